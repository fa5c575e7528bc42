import FreshetCore
import FreshetPlanner
import FreshetSQL

/// A SQL function as catalog.json keeps it: its name and its canonical
/// CREATE FUNCTION statement, parsed again when a query calls it.
struct FunctionDefinition: Codable, Sendable {
    var name: String
    var sql: String

    /// The descriptor the binder inlines; nil if the stored text no longer parses (never expected).
    var descriptor: FunctionDescriptor? {
        guard let statement = try? Parser.parseStatement(sql), case .createFunction(let f) = statement.kind else { return nil }
        return try? Binder.functionDescriptor(f)
    }
}
