import FreshetCore
import FreshetEngine
import NIOCore

/// The query loop of an authenticated connection: simple Query, the extended
/// query messages and COPY (protocol §55.2.2–§55.2.6), executed through the
/// Engine session API. The state machine decides what each message means;
/// this class does the Engine calls and writes the answers.
///
/// Results are streamed: rows are pulled from the Engine's `RowStream` in
/// batches of `rowBatchSize` and each batch is written and flushed before the
/// next is pulled, so an endless `SELECT STREAM` never piles up in memory.
final class SessionHandler<S: WireSession> {
    let session: S
    unowned let connection: WireConnection
    var transport: WireTransport { connection.transport }
    var store = ExtendedQueryStore<StatementEntry, Portal>()
    var encoder = BackendMessageEncoder()
    let rowBatchSize: Int

    init(session: S, connection: WireConnection) {
        self.session = session
        self.connection = connection
        self.rowBatchSize = max(1, connection.configuration.rowBatchSize)
    }

    /// A prepared statement as Parse left it. `prepared` is nil for the empty query.
    struct StatementEntry {
        var name: String
        var prepared: S.Prepared?
        var parameterTypes: [DataType]
        var resultColumns: [ResultColumn]?
    }

    /// A portal: a bound statement, and once executed, its result in progress.
    final class Portal {
        enum Progress {
            case notStarted
            /// Rows are left (an Execute stopped at its row limit).
            case suspended(RowStream)
            /// All rows were sent; a new Execute sends CommandComplete again.
            case exhausted(tag: String)
            /// A statement without rows ran; it cannot run again.
            case done
        }

        let statement: StatementEntry
        let parameters: [Value]
        /// One format per result column.
        let resultFormats: [FormatCode]
        var progress: Progress = .notStarted

        init(statement: StatementEntry, parameters: [Value], resultFormats: [FormatCode]) {
            self.statement = statement
            self.parameters = parameters
            self.resultFormats = resultFormats
        }

        /// Releases a result still in progress.
        func release() {
            if case .suspended(let stream) = progress { stream.close() }
            progress = .done
        }
    }

    // MARK: - The loop

    func run() async throws {
        while let message = try await transport.next() {
            let action = connection.machine.received(message)
            switch action {
            case .none:
                continue
            case .simpleQuery(let sql):
                try await simpleQuery(sql)
            case .parse(let m):
                try await extended { try self.parse(m) }
            case .bind(let m):
                try await extended { try self.bind(m) }
            case .describe(let m):
                try await extended { try self.describe(m) }
            case .execute(let m):
                try await extended { try await self.execute(m) }
            case .closeObject(let m):
                try await extended { self.close(m) }
            case .sync:
                sync()
                try await transport.flush()
            case .flush:
                try await transport.flush()
            case let .reportError(error, readyForQuery):
                transport.send(.errorResponse(error))
                if readyForQuery {
                    transport.send(.readyForQuery(session.transactionStatus))
                }
                try await transport.flush()
            case .sendFatalAndClose(let error):
                await connection.sendFatal(error)
                return
            case .terminate:
                return
            case .refuseEncryption, .send, .cancel, .authenticated, .copyData, .copyDone, .copyFail,
                 .copyInterrupted, .copyInDiscarded:
                // Not produced in the ready states.
                await connection.sendFatal(.fatal(.protocolViolation, "unexpected message \(message.typeDescription)"))
                return
            }
        }
    }

    /// Releases every portal's result (the connection is ending).
    func releaseAll() {
        for portal in store.removeAll() { portal.release() }
    }

    /// Sends the ParameterStatus messages for settings the last statement changed.
    func reportParameterChanges() {
        for (name, value) in session.takeParameterStatusChanges() {
            transport.send(.parameterStatus(name: name, value: value))
        }
    }

    // MARK: - Simple query (§55.2.2)

    func simpleQuery(_ sql: String) async throws {
        do {
            let statements = try session.parse(sql)
            if statements.isEmpty {
                transport.send(.emptyQueryResponse)
            }
            for statement in statements {
                let prepared = try session.prepare(statement, parameterTypes: [])
                let result = try await session.execute(prepared, parameters: [])
                let outcome = try await deliver(result, extended: false, rowDescription: true, formats: [])
                reportParameterChanges()
                if case .failedAndReported = outcome {
                    session.statementFailed()
                    break
                }
                try await transport.flushIfFull()
            }
        } catch let error as ConnectionGone {
            throw error
        } catch {
            reportParameterChanges()
            transport.send(.errorResponse(ErrorResponse(anyError: error)))
            session.statementFailed()
        }
        transport.send(.readyForQuery(session.transactionStatus))
        try await transport.flush()
    }

    // MARK: - Results

    enum DeliveryOutcome {
        /// CommandComplete (or EmptyQueryResponse) was sent.
        case completed
        /// An Execute row limit was reached; the stream has more rows.
        case suspended(RowStream)
        /// The statement failed and its ErrorResponse is already sent (COPY).
        case failedAndReported
    }

    /// Sends a statement's result. For rows, `rowDescription` says whether to
    /// send RowDescription first (simple query) and `maxRows` limits the rows
    /// (0: all). `formats` are the result formats, one per column (empty: text).
    func deliver(_ result: ExecutionResult, extended: Bool, rowDescription: Bool, formats: [FormatCode],
                 maxRows: Int = 0) async throws -> DeliveryOutcome {
        switch result {
        case .command(let tag):
            transport.send(.commandComplete(tag))
            return .completed
        case .empty:
            transport.send(.emptyQueryResponse)
            return .completed
        case .rows(let stream):
            if rowDescription {
                transport.send(.rowDescription(stream.columns.enumerated().map { i, c in
                    RowDescriptionColumn(c, format: i < formats.count ? formats[i] : .text)
                }))
            }
            return try await streamRows(stream, formats: formats, maxRows: maxRows)
        case .copyIn(let handler):
            return try await copyIn(handler, extended: extended)
        case .copyOut(let stream):
            try await copyOut(stream)
            return .completed
        }
    }

    /// Sends DataRows until the stream ends (CommandComplete) or `maxRows` rows
    /// were sent (returns `.suspended`). Each batch is written and flushed.
    func streamRows(_ stream: RowStream, formats: [FormatCode], maxRows: Int) async throws -> DeliveryOutcome {
        let types = stream.columns.map(\.type)
        var sent = 0
        do {
            while maxRows <= 0 || sent < maxRows {
                let want = maxRows <= 0 ? rowBatchSize : min(rowBatchSize, maxRows - sent)
                guard let rows = try await stream.next(maxRows: want) else {
                    transport.send(.commandComplete(stream.commandTag))
                    stream.close()
                    return .completed
                }
                for row in rows {
                    try encoder.writeDataRow(row, types: types, formats: formats, into: &transport.buffer)
                }
                sent += rows.count
                try await transport.flush()
            }
        } catch {
            stream.close()
            throw error
        }
        return .suspended(stream)
    }

    /// COPY TO STDOUT: CopyOutResponse, CopyData per chunk, CopyDone, CommandComplete.
    func copyOut(_ stream: CopyOutStream) async throws {
        defer { stream.close() }
        let format: FormatCode = stream.isBinary ? .binary : .text
        transport.send(.copyOutResponse(CopyResponse(format: format,
                                                     columnFormats: Array(repeating: format, count: stream.columnCount))))
        // Flush every chunk: a chunk is a batch of rows as the query produced them, so
        // `COPY (SELECT STREAM …) TO STDOUT` reaches psql row batch by row batch.
        // One CopyData message per row (PostgreSQL's framing, which libpq's PQgetCopyData
        // promises its callers), written straight from the chunk's buffer.
        while let (bytes, rowEnds) = try await stream.nextRows() {
            var start = 0
            for end in rowEnds {
                transport.buffer.writeInteger(UInt8(ascii: "d"))
                transport.buffer.writeInteger(Int32(4 + end - start))
                bytes.withUnsafeBytes { transport.buffer.writeBytes(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                start = end
            }
            try await transport.flush()
        }
        transport.send(.copyDone)
        transport.send(.commandComplete(stream.commandTag))
    }
}
