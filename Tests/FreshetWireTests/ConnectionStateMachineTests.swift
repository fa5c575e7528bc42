import FreshetEngine
import FreshetCore
import NIOCore
import Testing
@testable import FreshetWire

@Suite("ConnectionStateMachine")
struct ConnectionStateMachineTests {
    func ready() -> ConnectionStateMachine {
        var m = ConnectionStateMachine(authenticator: WireAuthenticator(mode: .trust))
        _ = m.received(.startup(StartupMessage(parameters: ["user": "u"])))
        return m
    }

    @Test func startupInTrustMode() {
        var m = ConnectionStateMachine(authenticator: WireAuthenticator(mode: .trust))
        #expect(m.received(.sslRequest) == .refuseEncryption)
        #expect(m.received(.gssEncRequest) == .refuseEncryption)
        let s = StartupMessage(parameters: ["user": "u", "database": "d"])
        #expect(m.received(.startup(s)) == .authenticated(s, messages: []))
        guard case .ready = m.state else { Issue.record("not ready"); return }
    }

    @Test func startupErrors() {
        var noUser = ConnectionStateMachine(authenticator: WireAuthenticator(mode: .trust))
        #expect(noUser.received(.startup(StartupMessage(parameters: [:])))
                == .sendFatalAndClose(.fatal(.invalidAuthorizationSpecification, "no PostgreSQL user name specified in startup packet")))
        var v2 = ConnectionStateMachine(authenticator: WireAuthenticator(mode: .trust))
        #expect(v2.received(.unsupportedProtocolVersion(ProtocolVersion(major: 2, minor: 0)))
                == .sendFatalAndClose(.fatal(.featureNotSupported, "unsupported frontend protocol 2.0: server supports 3.0 to 3.0")))
        var cancel = ConnectionStateMachine(authenticator: WireAuthenticator(mode: .trust))
        #expect(cancel.received(.cancelRequest(CancelRequest(processID: 1, secretKey: 2))) == .cancel(CancelRequest(processID: 1, secretKey: 2)))
    }

    @Test func readyStateDispatchesAndIgnoresStrayCopyMessages() {
        var m = ready()
        #expect(m.received(.query("x")) == .simpleQuery("x"))
        #expect(m.received(.sync) == .sync)
        #expect(m.received(.flush) == .flush)
        #expect(m.received(.copyData(ByteBuffer(string: "x"))) == .none)
        #expect(m.received(.copyDone) == .none)
        guard case .sendFatalAndClose(let e) = m.received(.password(ByteBuffer())) else { Issue.record(); return }
        #expect(e.code == "08P01")
    }

    @Test func extendedErrorSkipsUntilSync() {
        var m = ready()
        m.extendedQueryFailed()
        #expect(m.received(.bind(BindMessage(portalName: "", statementName: "", parameterFormats: [], parameters: [], resultFormats: []))) == .none)
        #expect(m.received(.execute(ExecuteMessage(portalName: "", maxRows: 0))) == .none)
        #expect(m.received(.query("x")) == .none)
        #expect(m.received(.sync) == .sync)
        #expect(m.received(.query("x")) == .simpleQuery("x"))
    }

    @Test func invalidMessages() {
        var m = ready()
        let bad = InvalidFrontendMessage(sqlState: "08P01", message: "insufficient data left in message")
        #expect(m.received(.invalid(type: UInt8(ascii: "Q"), error: bad))
                == .reportError(ErrorResponse(code: "08P01", message: bad.message), readyForQuery: true))
        #expect(m.received(.invalid(type: UInt8(ascii: "B"), error: bad))
                == .reportError(ErrorResponse(code: "08P01", message: bad.message), readyForQuery: false))
        #expect(m.received(.parse(ParseMessage(statementName: "", query: "", parameterTypeOIDs: []))) == .none) // skipping
        #expect(m.received(.sync) == .sync)
    }

    @Test func simpleCopyIn() {
        var m = ready()
        m.copyInStarted(extended: false)
        #expect(m.received(.copyData(ByteBuffer(string: "a"))) == .copyData(ByteBuffer(string: "a")))
        #expect(m.received(.sync) == .none)
        #expect(m.received(.flush) == .none)
        #expect(m.received(.copyDone) == .copyDone)
        guard case .ready = m.state else { Issue.record(); return }

        m.copyInStarted(extended: false)
        #expect(m.received(.copyFail("why")) == .copyFail("why"))
        guard case .ready = m.state else { Issue.record(); return }

        m.copyInStarted(extended: false)
        m.copyInReceiveFailed()
        #expect(m.received(.copyData(ByteBuffer(string: "a"))) == .none)
        #expect(m.received(.copyDone) == .copyInDiscarded(replay: nil))
        #expect(m.received(.query("x")) == .simpleQuery("x"))

        m.copyInStarted(extended: false)
        #expect(m.received(.query("y")) == .copyInterrupted(ErrorResponse(code: "08P01", message: "unexpected message type 0x51 during COPY from stdin")))
    }

    @Test func extendedCopyInFailureSkipsUntilSync() {
        var m = ready()
        m.copyInStarted(extended: true)
        #expect(m.received(.sync) == .none)
        m.copyInReceiveFailed()
        #expect(m.received(.copyData(ByteBuffer(string: "a"))) == .none)
        #expect(m.received(.copyDone) == .none)
        #expect(m.received(.sync) == .sync)

        m.copyInStarted(extended: true)
        #expect(m.received(.copyFail("no")) == .copyFail("no"))
        #expect(m.received(.execute(ExecuteMessage(portalName: "", maxRows: 0))) == .none)
        #expect(m.received(.sync) == .sync)
    }

    @Test func terminate() {
        var m = ready()
        #expect(m.received(.terminate) == .terminate)
        #expect(m.received(.query("x")) == .none)
    }
}

@Suite("ExtendedQueryStore")
struct ExtendedQueryStoreTests {
    @Test func namedAndUnnamedObjects() throws {
        var store = ExtendedQueryStore<String, String>()
        #expect(try store.addStatement("a", named: "") == nil)
        #expect(try store.addStatement("b", named: "") == "a")
        #expect(try store.statement(named: "") == "b")
        _ = try store.addStatement("n", named: "s1")
        #expect(throws: FreshetError.self) { try store.addStatement("m", named: "s1") }
        #expect(throws: FreshetError.self) { try store.statement(named: "nope") }
        #expect(try store.addPortal("p", named: "") == nil)
        #expect(try store.addPortal("q", named: "") == "p")
        _ = try store.addPortal("c", named: "cur")
        #expect(throws: FreshetError.self) { try store.addPortal("d", named: "cur") }
        #expect(store.removePortal(named: "cur") == "c")
        #expect(throws: FreshetError.self) { try store.portal(named: "cur") }
        #expect(store.removePortals(where: { $0 == "q" }) == ["q"])
        #expect(store.removeStatement(named: "s1") == "n")
        #expect(store.removeAll().isEmpty)
        #expect(store.statements.isEmpty)
    }
}

@Suite("WireConfiguration users")
struct WireConfigurationUsersTests {
    @Test func parsesFileAndEnvironmentForms() throws {
        #expect(try WireConfiguration.Authentication.parseUsers("# users\nalice:pw1\n\nbob:p:w\r\n")
                == ["alice": "pw1", "bob": "p:w"])
        #expect(try WireConfiguration.Authentication.scram(environment: ["FRESHET_USERS": "alice:pw1,bob:pw2"])
                == .scram(users: ["alice": "pw1", "bob": "pw2"]))
        #expect(try WireConfiguration.Authentication.scram(environment: [:]) == nil)
        #expect(throws: FreshetError.self) { try WireConfiguration.Authentication.parseUsers("nopassword") }
        #expect(throws: FreshetError.self) { try WireConfiguration.Authentication.scram(usersFile: "/nonexistent/users") }
    }

    @Test func cancelRegistry() {
        let registry = CancelRegistry()
        let handle = FreshetEngine.CancelHandle()
        let key = registry.register(handle)
        #expect(!registry.cancel(.init(processID: key.processID, secretKey: key.secretKey &+ 1)))
        #expect(!handle.isCancelled)
        #expect(registry.cancel(key))
        #expect(handle.isCancelled)
        registry.unregister(key)
        #expect(registry.count == 0)
        #expect(!registry.cancel(key))
    }
}
