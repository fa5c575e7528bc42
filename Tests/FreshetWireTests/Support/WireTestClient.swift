import NIOCore
import NIOPosix
@testable import FreshetWire

/// A raw PostgreSQL protocol client over loopback for tests: sends bytes, reads
/// backend messages as (type, payload) frames.
final class WireTestClient {
    struct Message: CustomStringConvertible {
        var type: Character
        var body: ByteBuffer
        var description: String { "\(type)(\(body.readableBytes) bytes)" }

        /// The field of an ErrorResponse/NoticeResponse, e.g. "C" or "M".
        func field(_ code: Character) -> String? {
            var b = body
            while let t = b.readInteger(as: UInt8.self), t != 0 {
                let value = b.readNullTerminatedString()
                if Character(UnicodeScalar(t)) == code { return value }
            }
            return nil
        }

        /// A DataRow's values as text (nil for NULL).
        var dataRow: [String?] {
            var b = body
            let n = Int(b.readInteger(as: Int16.self)!)
            return (0..<n).map { _ in
                let len = b.readInteger(as: Int32.self)!
                return len < 0 ? nil : b.readString(length: Int(len))
            }
        }

        var string: String {
            var b = body
            return b.readNullTerminatedString() ?? ""
        }
    }

    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var pending = ByteBuffer()

    init(port: Int) async throws {
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { ch in
                ch.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: ch)
                }
            }
        iterator = channel.inbound.makeAsyncIterator()
    }

    func send(_ buffers: ByteBuffer...) async throws {
        for b in buffers { try await channel.outbound.write(b) }
    }

    /// Reads exactly `count` raw bytes (for the SSL 'N').
    func readBytes(_ count: Int) async throws -> [UInt8]? {
        while pending.readableBytes < count {
            guard var more = try await iterator.next() else { return nil }
            pending.writeBuffer(&more)
        }
        return pending.readBytes(length: count)
    }

    /// The next message, or nil when the server closed the connection.
    func read() async throws -> Message? {
        while true {
            if pending.readableBytes >= 5, let len = pending.getInteger(at: pending.readerIndex + 1, as: Int32.self),
               pending.readableBytes >= Int(len) + 1 {
                guard len >= 4 else {
                    throw TestClientError("bad frame length \(len): \(Array(pending.readableBytesView.prefix(40)))")
                }
                let type = pending.readInteger(as: UInt8.self)!
                pending.moveReaderIndex(forwardBy: 4)
                return Message(type: Character(UnicodeScalar(type)), body: pending.readSlice(length: Int(len) - 4)!)
            }
            guard var more = try await iterator.next() else { return nil }
            pending.writeBuffer(&more)
        }
    }

    /// Reads messages up to and including the next one of `type`.
    func read(until type: Character) async throws -> [Message] {
        var out: [Message] = []
        while let m = try await read() {
            out.append(m)
            if m.type == type { return out }
        }
        return out
    }

    /// Startup with trust auth, up to the first ReadyForQuery.
    func startup(user: String = "alice", database: String = "db") async throws -> [Message] {
        try await send(FrontendBytes.startup([("user", user), ("database", database)]))
        return try await read(until: "Z")
    }

    func close() async {
        channel.outbound.finish()
        try? await channel.channel.close()
    }

    deinit {
        channel.outbound.finish()
        channel.channel.close(promise: nil)
    }
}

struct TestClientError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
