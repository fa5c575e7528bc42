import FreshetCore
import FreshetEngine
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The PostgreSQL wire protocol (v3) server: binds `host:port` and serves every
/// connection in its own child task until cancelled or shut down (the shape of
/// NIO's `NIOTCPEchoServer/Server.swift`). A connection's errors end that
/// connection only. Each connection's pipeline is a `FrontendMessageDecoder`
/// feeding a `NIOAsyncChannel`; everything else happens in `WireConnection`.
///
/// ```swift
/// let server = WireServer(engine: engine, configuration: .init(port: 0), logger: logger)
/// try await server.start()          // optional: binds, so localPort is known
/// print(server.localPort)
/// try await server.run()            // serves until cancelled or shutdown()
/// ```
public final class WireServer: Sendable {
    private typealias ConnectionChannel = NIOAsyncChannel<FrontendMessage, ByteBuffer>
    private typealias ListeningChannel = NIOAsyncChannel<ConnectionChannel, Never>

    private struct State {
        var listener: ListeningChannel?
        var boundPort: Int?
        var running = false
        var shutDown = false
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    public let configuration: WireConfiguration
    private let provider: any WireSessionProvider
    private let logger: Logger
    private let authenticator: WireAuthenticator
    let registry = CancelRegistry()
    private let state = Mutex(State())
    private let group: MultiThreadedEventLoopGroup

    public convenience init(engine: Engine, configuration: WireConfiguration, logger: Logger) {
        self.init(provider: engine, configuration: configuration, logger: logger)
    }

    init(provider: any WireSessionProvider, configuration: WireConfiguration, logger: Logger,
         authenticator: WireAuthenticator? = nil) {
        self.provider = provider
        self.configuration = configuration
        self.logger = logger
        self.authenticator = authenticator ?? WireAuthenticator(configuration.authentication)
        self.group = .singleton
    }

    /// The bound port once started (useful with port 0), else the configured port.
    public var localPort: Int {
        state.withLock { $0.boundPort } ?? configuration.port
    }

    /// Binds the listening socket. Calling it again does nothing.
    public func start() async throws {
        if state.withLock({ $0.listener != nil || $0.shutDown }) { return }
        let maxMessageSize = configuration.maxMessageSize
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrontendMessageDecoder(maxMessageSize: maxMessageSize)))
                    return try ConnectionChannel(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(inboundType: FrontendMessage.self, outboundType: ByteBuffer.self))
                }
            }
        let port = listener.channel.localAddress?.port
        let lost = state.withLock { s -> Bool in
            if s.listener != nil || s.shutDown { return true }
            s.listener = listener
            s.boundPort = port
            return false
        }
        if lost {
            try? await listener.channel.close()
        } else {
            logger.info("listening for PostgreSQL clients", metadata: ["host": "\(configuration.host)", "port": "\(port ?? 0)"])
        }
    }

    /// Serves connections until the task is cancelled or `shutdown()` is called;
    /// returns once every connection has ended.
    public func run() async throws {
        try await start()
        let listener: ListeningChannel? = state.withLock { s in
            guard !s.running, !s.shutDown, let l = s.listener else { return nil }
            s.running = true
            return l
        }
        guard let listener else { return }
        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            self.closeAllChannels()
        }
    }

    /// Stops listening and closes every connection (their sessions are closed).
    public func shutdown() async {
        let listener = state.withLock { s -> ListeningChannel? in
            s.shutDown = true
            return s.listener
        }
        closeAllChannels()
        if let listener {
            try? await listener.channel.closeFuture.get()
        }
    }

    private func closeAllChannels() {
        let (listener, connections) = state.withLock { s in
            s.shutDown = true
            return (s.listener, Array(s.connections.values))
        }
        listener?.channel.close(promise: nil)
        for c in connections { c.close(promise: nil) }
    }

    /// One connection, start to end; errors stay here.
    private func serve(_ channel: ConnectionChannel) async {
        let raw = channel.channel
        let id = ObjectIdentifier(raw)
        let accepted = state.withLock { s -> Bool in
            guard !s.shutDown else { return false }
            s.connections[id] = raw
            return true
        }
        guard accepted else {
            try? await raw.close()
            return
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
        var logger = self.logger
        logger[metadataKey: "peer"] = "\(raw.remoteAddress.map { "\($0)" } ?? "?")"
        do {
            try await channel.executeThenClose { inbound, outbound in
                let transport = WireTransport(inbound: inbound, outbound: outbound, allocator: raw.allocator)
                let connection = WireConnection(transport: transport, authenticator: authenticator, provider: provider,
                                                registry: registry, configuration: configuration,
                                                closeFuture: raw.closeFuture, logger: logger)
                await connection.run()
            }
        } catch {
            logger.debug("connection closed with error: \(error)")
        }
    }
}
