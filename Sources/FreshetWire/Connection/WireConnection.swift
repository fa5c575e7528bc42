import FreshetCore
import FreshetEngine
import Logging
import NIOCore

/// Serves one client connection from StartupMessage to Terminate (protocol
/// §55.2): runs the `ConnectionStateMachine`, performs its actions, opens the
/// Engine session once the client is authenticated and hands over to a
/// `SessionHandler` for queries. Every error ends here: protocol violations get
/// a FATAL ErrorResponse, a lost client nothing; the session is always closed
/// and unregistered, so nothing of a dead connection stays behind.
final class WireConnection {
    let transport: WireTransport
    var machine: ConnectionStateMachine
    let provider: any WireSessionProvider
    let registry: CancelRegistry
    let configuration: WireConfiguration
    let closeFuture: EventLoopFuture<Void>
    var logger: Logger

    init(transport: WireTransport, authenticator: WireAuthenticator, provider: any WireSessionProvider,
         registry: CancelRegistry, configuration: WireConfiguration, closeFuture: EventLoopFuture<Void>, logger: Logger) {
        self.transport = transport
        self.machine = ConnectionStateMachine(authenticator: authenticator)
        self.provider = provider
        self.registry = registry
        self.configuration = configuration
        self.closeFuture = closeFuture
        self.logger = logger
    }

    /// Runs the connection to its end. Never throws.
    func run() async {
        do {
            try await startup()
        } catch let error as WireProtocolError {
            await sendFatal(ErrorResponse(anyError: error))
        } catch is ConnectionGone {
            logger.debug("client went away")
        } catch {
            logger.debug("connection ended: \(error)")
        }
    }

    /// Startup and authentication; then the session's query loop.
    private func startup() async throws {
        while let message = try await transport.next() {
            switch machine.received(message) {
            case .none:
                continue
            case .refuseEncryption:
                BackendMessageEncoder.encodeEncryptionRefusal(into: &transport.buffer)
                try await transport.flush()
            case .send(let messages):
                for m in messages { transport.send(m) }
                try await transport.flush()
            case .sendFatalAndClose(let error):
                await sendFatal(error)
                return
            case .cancel(let request):
                let found = registry.cancel(CancelRegistry.Key(processID: request.processID, secretKey: request.secretKey))
                logger.debug("cancel request for backend \(request.processID): \(found ? "sent" : "no such backend")")
                return
            case let .authenticated(startup, messages):
                for m in messages { transport.send(m) }
                transport.send(.authentication(.ok))
                let session = provider.openWireSession(user: startup.user ?? "", database: startup.database,
                                                       applicationName: startup.applicationName)
                logger[metadataKey: "user"] = "\(startup.user ?? "")"
                try await serve(session, startup: startup)
                return
            case .terminate:
                return
            default:
                await sendFatal(.fatal(.protocolViolation, "unexpected message during startup"))
                return
            }
        }
    }

    /// Registers the session for cancellation, sends the session's greeting and
    /// runs its queries; closes the session whatever happens.
    private func serve<S: WireSession>(_ session: S, startup: StartupMessage) async throws {
        let key = registry.register(session.cancelHandle)
        // A client that disconnects mid-statement stops the statement.
        let cancelHandle = session.cancelHandle
        closeFuture.whenComplete { _ in cancelHandle.cancel() }
        let handler = SessionHandler(session: session, connection: self)
        defer {
            handler.releaseAll()
            session.close()
            registry.unregister(key)
        }
        for (name, value) in session.initialParameterStatus {
            let reported = name == "application_name" ? startup.applicationName : value
            transport.send(.parameterStatus(name: name, value: reported))
        }
        transport.send(.backendKeyData(processID: key.processID, secretKey: key.secretKey))
        transport.send(.readyForQuery(session.transactionStatus))
        try await transport.flush()
        try await handler.run()
    }

    /// Sends a FATAL error; the caller then returns and the channel is closed.
    func sendFatal(_ error: ErrorResponse) async {
        var fatal = error
        if !fatal.isFatal { fatal.severity = "FATAL" }
        transport.send(.errorResponse(fatal))
        try? await transport.flush()
    }
}
