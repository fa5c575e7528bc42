import FreshetCore

/// The named and unnamed prepared statements and portals of a session
/// (protocol §55.2.3). The empty name is the unnamed statement/portal, which a
/// new Parse/Bind silently replaces; a named one must be closed before its name
/// is reused. Generic so that it can be tested without an Engine.
struct ExtendedQueryStore<Statement, Portal> {
    private(set) var statements: [String: Statement] = [:]
    private(set) var portals: [String: Portal] = [:]

    /// Adds a statement; returns the unnamed statement it replaced, if any.
    mutating func addStatement(_ statement: Statement, named name: String) throws -> Statement? {
        if !name.isEmpty, statements[name] != nil {
            throw FreshetError(SQLState("42P05"), "prepared statement \"\(name)\" already exists")
        }
        return statements.updateValue(statement, forKey: name)
    }

    func statement(named name: String) throws -> Statement {
        guard let s = statements[name] else {
            throw FreshetError(.invalidSQLStatementName, name.isEmpty
                ? "unnamed prepared statement does not exist"
                : "prepared statement \"\(name)\" does not exist")
        }
        return s
    }

    /// Checks that a portal may be created under `name` (named portals must be new).
    func checkPortalName(_ name: String) throws {
        if !name.isEmpty, portals[name] != nil {
            throw FreshetError(SQLState("42P03"), "cursor \"\(name)\" already exists")
        }
    }

    /// Adds a portal; returns the unnamed portal it replaced, if any.
    mutating func addPortal(_ portal: Portal, named name: String) throws -> Portal? {
        try checkPortalName(name)
        return portals.updateValue(portal, forKey: name)
    }

    func portal(named name: String) throws -> Portal {
        guard let p = portals[name] else {
            throw FreshetError(.invalidCursorName, "portal \"\(name)\" does not exist")
        }
        return p
    }

    /// Removes a statement (no error if absent, as Close specifies).
    mutating func removeStatement(named name: String) -> Statement? {
        statements.removeValue(forKey: name)
    }

    /// Removes a portal (no error if absent).
    mutating func removePortal(named name: String) -> Portal? {
        portals.removeValue(forKey: name)
    }

    /// Removes the portals for which `predicate` holds and returns them.
    mutating func removePortals(where predicate: (Portal) -> Bool) -> [Portal] {
        var removed: [Portal] = []
        for (name, portal) in portals where predicate(portal) {
            removed.append(portal)
            portals[name] = nil
        }
        return removed
    }

    /// Removes everything (end of the connection) and returns the portals.
    mutating func removeAll() -> [Portal] {
        let all = Array(portals.values)
        portals = [:]
        statements = [:]
        return all
    }
}
