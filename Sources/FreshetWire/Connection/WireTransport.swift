import NIOCore

/// The byte side of one connection: decoded client messages in, encoded server
/// messages out. Outgoing messages are appended to `buffer` and go out on
/// `flush()`, so that one statement's messages (or one batch of rows) cost one
/// write and one flush.
final class WireTransport {
    private var inbound: NIOAsyncChannelInboundStream<FrontendMessage>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Messages waiting to be flushed.
    var buffer: ByteBuffer
    /// A message to hand out again before reading more (see `push`).
    private var pushedBack: FrontendMessage?
    /// Flush early once this many bytes are waiting.
    let flushThreshold = 64 * 1024

    init(inbound: NIOAsyncChannelInboundStream<FrontendMessage>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
         allocator: ByteBufferAllocator) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.buffer = allocator.buffer(capacity: 16 * 1024)
    }

    /// The next client message; nil at end of stream. Throws what the decoder
    /// threw (a `WireProtocolError`) or a channel error.
    func next() async throws -> FrontendMessage? {
        if let m = pushedBack {
            pushedBack = nil
            return m
        }
        return try await inbound.next()
    }

    /// Makes `message` the next one `next()` returns.
    func push(_ message: FrontendMessage) {
        pushedBack = message
    }

    func send(_ message: BackendMessage) {
        BackendMessageEncoder.encode(message, into: &buffer)
    }

    /// Writes and flushes what is buffered.
    func flush() async throws {
        guard buffer.readableBytes > 0 else { return }
        let chunk = buffer
        buffer.clear()
        do {
            try await outbound.write(chunk)
        } catch {
            throw ConnectionGone(underlying: error)
        }
    }

    /// Flushes if enough bytes are waiting.
    func flushIfFull() async throws {
        if buffer.readableBytes >= flushThreshold { try await flush() }
    }
}

/// The client went away (a write failed or the input ended inside a statement).
/// Not reported to the client: there is nobody to report it to.
struct ConnectionGone: Error, CustomStringConvertible {
    var underlying: (any Error)?
    var description: String { underlying.map { "connection closed: \($0)" } ?? "connection closed" }
}
