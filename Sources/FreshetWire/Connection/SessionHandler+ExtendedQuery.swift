import FreshetCore
import FreshetEngine
import NIOCore

// The extended query protocol (§55.2.3): Parse, Bind, Describe, Execute,
// Close, Sync. The Engine parses and binds at Parse, and runs the statement at
// the first Execute of a portal; a portal stopped by its row limit keeps its
// RowStream for the next Execute (PortalSuspended). After an error the
// ErrorResponse is sent and the state machine discards messages until Sync.

extension SessionHandler {
    /// Runs one extended-query message; on error reports it and starts skipping until Sync.
    func extended(_ body: () async throws -> Void) async throws {
        do {
            try await body()
            try await transport.flushIfFull()
        } catch let error as ConnectionGone {
            throw error
        } catch {
            transport.send(.errorResponse(ErrorResponse(anyError: error)))
            session.statementFailed()
            connection.machine.extendedQueryFailed()
        }
    }

    func parse(_ m: ParseMessage) throws {
        if !m.statementName.isEmpty, store.statements[m.statementName] != nil {
            throw FreshetError(SQLState("42P05"), "prepared statement \"\(m.statementName)\" already exists")
        }
        let declared: [DataType?] = try m.parameterTypeOIDs.map { oid in
            if oid == 0 { return nil }
            guard let type = DataType(pgOID: oid) else {
                throw FreshetError(.undefinedObject, "type with OID \(oid) does not exist")
            }
            return type == .unknown ? nil : type
        }
        let statements = try session.parse(m.query)
        guard statements.count <= 1 else {
            throw FreshetError(.syntaxError, "cannot insert multiple commands into a prepared statement")
        }
        let entry: StatementEntry
        if let statement = statements.first {
            let prepared = try session.prepare(statement, parameterTypes: declared)
            entry = StatementEntry(name: m.statementName, prepared: prepared,
                                   parameterTypes: session.parameterTypes(of: prepared),
                                   resultColumns: session.resultColumns(of: prepared))
        } else {
            entry = StatementEntry(name: m.statementName, prepared: nil,
                                   parameterTypes: declared.map { $0 ?? .unknown }, resultColumns: nil)
        }
        _ = try store.addStatement(entry, named: m.statementName)
        transport.send(.parseComplete)
    }

    func bind(_ m: BindMessage) throws {
        let statement = try store.statement(named: m.statementName)
        try store.checkPortalName(m.portalName)
        let types = statement.parameterTypes
        guard m.parameters.count == types.count else {
            throw FreshetError(.protocolViolation,
                               "bind message supplies \(m.parameters.count) parameters, but prepared statement \"\(m.statementName)\" requires \(types.count)")
        }
        guard let parameterFormats = Self.resolveFormats(m.parameterFormats, count: types.count) else {
            throw FreshetError(.protocolViolation,
                               "bind message has \(m.parameterFormats.count) parameter formats but \(types.count) parameters")
        }
        var values: [Value] = []
        values.reserveCapacity(types.count)
        for (i, raw) in m.parameters.enumerated() {
            guard let raw else {
                values.append(.null)
                continue
            }
            do {
                values.append(try Self.decodeParameter(raw, as: types[i], format: parameterFormats[i]))
            } catch var error as FreshetError {
                error.detail = error.detail ?? "in bind parameter $\(i + 1)"
                throw error
            }
        }
        let columnCount = statement.resultColumns?.count ?? 0
        guard let resultFormats = Self.resolveFormats(m.resultFormats, count: columnCount) else {
            throw FreshetError(.protocolViolation,
                               "bind message has \(m.resultFormats.count) result formats but query has \(columnCount) columns")
        }
        let portal = Portal(statement: statement, parameters: values, resultFormats: resultFormats)
        try store.addPortal(portal, named: m.portalName)?.release()
        transport.send(.bindComplete)
    }

    /// Expands a Bind format list (none: all text; one: for all; else one each) to `count` entries.
    static func resolveFormats(_ formats: [FormatCode], count: Int) -> [FormatCode]? {
        switch formats.count {
        case 0: return Array(repeating: .text, count: count)
        case 1: return Array(repeating: formats[0], count: count)
        case count: return formats
        default: return nil
        }
    }

    /// A Bind parameter value: text through FreshetCore's parser, binary through `BinaryValueCodec`.
    static func decodeParameter(_ raw: ByteBuffer, as type: DataType, format: FormatCode) throws -> Value {
        switch format {
        case .binary:
            return try BinaryValueCodec.decode(raw, as: type)
        case .text:
            guard let text = String(validating: raw.readableBytesView, as: UTF8.self) else {
                throw FreshetError(.characterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
            }
            if type == .unknown { return .string(text) }
            return try Value.parse(pgText: Substring(text), as: type)
        }
    }

    func describe(_ m: ObjectReference) throws {
        switch m.kind {
        case .statement:
            let statement = try store.statement(named: m.name)
            transport.send(.parameterDescription(statement.parameterTypes.map(\.pgOID)))
            if let columns = statement.resultColumns {
                transport.send(.rowDescription(columns.map { RowDescriptionColumn($0, format: .text) }))
            } else {
                transport.send(.noData)
            }
        case .portal:
            let portal = try store.portal(named: m.name)
            if let columns = portal.statement.resultColumns {
                transport.send(.rowDescription(columns.enumerated().map { i, c in
                    RowDescriptionColumn(c, format: portal.resultFormats[i])
                }))
            } else {
                transport.send(.noData)
            }
        }
    }

    func execute(_ m: ExecuteMessage) async throws {
        let portal = try store.portal(named: m.portalName)
        let maxRows = Int(max(m.maxRows, 0))
        let outcome: DeliveryOutcome
        switch portal.progress {
        case .notStarted:
            guard let prepared = portal.statement.prepared else {
                transport.send(.emptyQueryResponse)
                portal.progress = .done
                return
            }
            let result = try await session.execute(prepared, parameters: portal.parameters)
            portal.progress = .done
            outcome = try await deliver(result, extended: true, rowDescription: false,
                                        formats: portal.resultFormats, maxRows: maxRows)
            reportParameterChanges()
            if case .rows(let stream) = result, case .completed = outcome {
                portal.progress = .exhausted(tag: stream.commandTag)
            }
        case .suspended(let stream):
            portal.progress = .done
            outcome = try await streamRows(stream, formats: portal.resultFormats, maxRows: maxRows)
            if case .completed = outcome { portal.progress = .exhausted(tag: stream.commandTag) }
        case .exhausted(let tag):
            transport.send(.commandComplete(tag))
            return
        case .done:
            throw FreshetError(SQLState("55000"), "portal \"\(m.portalName)\" cannot be run")
        }
        switch outcome {
        case .completed:
            break
        case .suspended(let stream):
            portal.progress = .suspended(stream)
            transport.send(.portalSuspended)
        case .failedAndReported:
            session.statementFailed()
            connection.machine.extendedQueryFailed()
        }
    }

    func close(_ m: ObjectReference) {
        switch m.kind {
        case .statement:
            if store.removeStatement(named: m.name) != nil {
                // Closing a statement closes the portals made from it.
                for portal in store.removePortals(where: { $0.statement.name == m.name }) { portal.release() }
            }
        case .portal:
            store.removePortal(named: m.name)?.release()
        }
        transport.send(.closeComplete)
    }

    /// Sync: outside a transaction block the implicit transaction ends here,
    /// and with it every portal; then ReadyForQuery.
    func sync() {
        if session.transactionStatus == .idle {
            for portal in store.removePortals(where: { _ in true }) { portal.release() }
        }
        transport.send(.readyForQuery(session.transactionStatus))
    }
}
