import FreshetCore
import FreshetPlanner
import FreshetSQL

/// CREATE FUNCTION / DROP FUNCTION: catalog changes, durable before they are acknowledged.
extension Engine {
    func createFunction(_ def: FunctionDefinition, orReplace: Bool) throws {
        try catalogLock.withLock {
            var next = catalog
            var functions = next.functions ?? []
            if let i = functions.firstIndex(where: { $0.name == def.name }) {
                guard orReplace else {
                    throw FreshetError(.duplicateFunction, "function \(def.name) already exists",
                                       hint: "Use CREATE OR REPLACE FUNCTION to change it.")
                }
                functions[i] = def
            } else {
                if Binder.builtinFunctionNames.contains(def.name) {
                    throw FreshetError(.duplicateFunction, "\(def.name) is a built-in function and cannot be redefined")
                }
                functions.append(def)
            }
            next.functions = functions
            try persistCatalog(next)
            catalog = next
        }
    }

    func dropFunctions(_ d: Drop) throws {
        try catalogLock.withLock {
            var next = catalog
            var functions = next.functions ?? []
            for n in d.names {
                let name = n.last.value.lowercased()
                guard let i = functions.firstIndex(where: { $0.name == name }) else {
                    if d.ifExists { continue }
                    throw FreshetError(.undefinedFunction, "function \(name) does not exist", position: n.span.start.offset + 1)
                }
                functions.remove(at: i)
            }
            next.functions = functions
            try persistCatalog(next)
            catalog = next
        }
    }
}
