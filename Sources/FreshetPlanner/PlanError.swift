import FreshetCore
import FreshetSQL

/// Builds planner errors: a FreshetError whose position points at the node
/// that caused it (1-based, as psql expects).
public enum PlanError {
    public static func error(_ state: SQLState, _ message: String, _ span: SourceSpan?, hint: String? = nil,
                             detail: String? = nil) -> FreshetError {
        FreshetError(state, message, detail: detail, hint: hint, position: span.map { $0.start.offset + 1 })
    }
}
