import FreshetCore
import FreshetEngine
import NIOCore

// COPY FROM STDIN (protocol §55.2.6). The data is handed to the Engine's
// CopyInHandler chunk by chunk as it arrives (the decoder has already merged
// consecutive CopyData frames), never accumulated.

extension SessionHandler {
    func copyIn(_ handler: CopyInHandler, extended: Bool) async throws -> DeliveryOutcome {
        let format: FormatCode = handler.isBinary ? .binary : .text
        transport.send(.copyInResponse(CopyResponse(format: format,
                                                    columnFormats: Array(repeating: format, count: handler.columnCount))))
        try await transport.flush()
        connection.machine.copyInStarted(extended: extended)

        while true {
            guard let message = try await transport.next() else {
                handler.abort(reason: "connection lost during COPY")
                throw ConnectionGone()
            }
            switch connection.machine.received(message) {
            case .none:
                continue
            case .copyData(let bytes):
                do {
                    try bytes.withUnsafeReadableBytes { try handler.receive($0) }
                } catch {
                    handler.abort(reason: "\(error)")
                    transport.send(.errorResponse(ErrorResponse(anyError: error)))
                    connection.machine.copyInReceiveFailed()
                    if extended {
                        // The machine now skips until Sync, dropping the rest of the data.
                        return .failedAndReported
                    }
                    try await transport.flush()
                    // Simple query: keep reading; the machine drops data until CopyDone/CopyFail.
                }
            case .copyInDiscarded(let replay):
                if let replay { transport.push(replay) }
                return .failedAndReported
            case .copyDone:
                let tag = try await handler.finish()
                transport.send(.commandComplete(tag))
                return .completed
            case .copyFail(let reason):
                handler.abort(reason: reason)
                throw FreshetError(.queryCanceled, "COPY from stdin failed: \(reason)")
            case .copyInterrupted(let error):
                handler.abort(reason: error.message)
                transport.send(.errorResponse(error))
                return .failedAndReported
            case .terminate:
                handler.abort(reason: "client terminated the connection during COPY")
                throw ConnectionGone()
            case .sendFatalAndClose(let error):
                handler.abort(reason: error.message)
                await connection.sendFatal(error)
                throw ConnectionGone()
            default:
                handler.abort(reason: "protocol error during COPY")
                throw FreshetError(.protocolViolation, "unexpected message \(message.typeDescription) during COPY from stdin")
            }
        }
    }
}
