import Foundation
import NIOCore
import Testing
@testable import FreshetWire

@Suite("SCRAM-SHA-256")
struct SCRAMTests {
    // RFC 7677 §3: user "user", password "pencil".
    static let clientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    static let serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    static func exchange(password: String = "pencil", known: Bool = true) -> SCRAMServerExchange {
        let salt = Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!
        return SCRAMServerExchange(credentials: known ? SCRAMCredentials(password: password, salt: salt) : nil,
                                   mockSalt: salt, serverNonce: serverNonce)
    }

    @Test func rfc7677TestVector() throws {
        var scram = Self.exchange()
        let first = try scram.receiveClientFirst(Array(Self.clientFirst.utf8))
        #expect(String(decoding: first, as: UTF8.self) == Self.serverFirst)
        let final = try scram.receiveClientFinal(Array(Self.clientFinal.utf8))
        #expect(String(decoding: final, as: UTF8.self) == Self.serverFinal)
    }

    @Test func wrongPasswordAndUnknownUserFailAlike() throws {
        var wrong = Self.exchange(password: "pencil2")
        _ = try wrong.receiveClientFirst(Array(Self.clientFirst.utf8))
        #expect(throws: SCRAMServerExchange.Failure.authenticationFailed) { try wrong.receiveClientFinal(Array(Self.clientFinal.utf8)) }

        var unknown = Self.exchange(known: false)
        let first = try unknown.receiveClientFirst(Array(Self.clientFirst.utf8))
        #expect(String(decoding: first, as: UTF8.self) == Self.serverFirst) // same salt shape, nothing revealed
        #expect(throws: SCRAMServerExchange.Failure.authenticationFailed) { try unknown.receiveClientFinal(Array(Self.clientFinal.utf8)) }
    }

    @Test func malformedAndUnsupportedMessages() throws {
        for bad in ["", "x,,n=user,r=abc", "n,,r=abc", "n,,n=user"] {
            var s = Self.exchange()
            #expect(throws: SCRAMServerExchange.Failure.self) { try s.receiveClientFirst(Array(bad.utf8)) }
        }
        var binding = Self.exchange()
        #expect(throws: SCRAMServerExchange.Failure.self) { try binding.receiveClientFirst(Array("p=tls-server-end-point,,n=,r=abc".utf8)) }
        var authzid = Self.exchange()
        #expect(throws: SCRAMServerExchange.Failure.unsupported("client uses authorization identity, but it is not supported")) {
            try authzid.receiveClientFirst(Array("n,a=admin,n=,r=abc".utf8))
        }
        // A client-final with another nonce or channel binding is refused even with a valid proof.
        var nonce = Self.exchange()
        _ = try nonce.receiveClientFirst(Array(Self.clientFirst.utf8))
        let tampered = Self.clientFinal.replacingOccurrences(of: "$k0,p=", with: "$k1,p=")
        #expect(throws: SCRAMServerExchange.Failure.malformed("SCRAM nonce does not match")) { try nonce.receiveClientFinal(Array(tampered.utf8)) }
    }

    @Test func pbkdf2MatchesRFC7914Vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", c=1), first 32 bytes.
        let dk = PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1)
        let hex: String = dk.map { (b: UInt8) -> String in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined()
        #expect(hex == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }

    @Test func base64RoundTripsAndRejectsGarbage() {
        for n in 0..<10 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) % 256) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("biws".utf8)) == "Yml3cw==")
        #expect(Base64.decode("biws") == Array("n,,".utf8))
        #expect(Base64.decode("abc") == nil)
        #expect(Base64.decode("ab=c") == nil)
        #expect(Base64.decode("a*cd") == nil)
    }

    @Test func fullExchangeThroughTheStateMachine() throws {
        let salt = Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!
        let auth = WireAuthenticator(mode: .scram(credentials: ["user": SCRAMCredentials(password: "pencil", salt: salt)],
                                                  mockSecret: [1, 2, 3]),
                                     makeNonce: { Self.serverNonce })
        var machine = ConnectionStateMachine(authenticator: auth)
        let startup = StartupMessage(parameters: ["user": "user"])
        #expect(machine.received(.startup(startup)) == .send([.authentication(.sasl(mechanisms: ["SCRAM-SHA-256"]))]))
        #expect(machine.received(.password(FrontendBytes.saslInitial("SCRAM-SHA-256", Array(Self.clientFirst.utf8)).dropHeader()))
                == .send([.authentication(.saslContinue(data: Array(Self.serverFirst.utf8)))]))
        #expect(machine.received(.password(FrontendBytes.password(Array(Self.clientFinal.utf8)).dropHeader()))
                == .authenticated(startup, messages: [.authentication(.saslFinal(data: Array(Self.serverFinal.utf8)))]))

        var wrongMechanism = ConnectionStateMachine(authenticator: auth)
        _ = wrongMechanism.received(.startup(startup))
        guard case .sendFatalAndClose(let e) = wrongMechanism.received(
            .password(FrontendBytes.saslInitial("SCRAM-SHA-256-PLUS", []).dropHeader())) else {
            Issue.record("expected a FATAL error")
            return
        }
        #expect(e.code == "08P01")

        var wrong = ConnectionStateMachine(authenticator: auth)
        _ = wrong.received(.startup(StartupMessage(parameters: ["user": "user"])))
        _ = wrong.received(.password(FrontendBytes.saslInitial("SCRAM-SHA-256", Array(Self.clientFirst.utf8)).dropHeader()))
        let bad = Self.clientFinal.replacingOccurrences(of: "p=dHzb", with: "p=dHzc")
        #expect(wrong.received(.password(FrontendBytes.password(Array(bad.utf8)).dropHeader()))
                == .sendFatalAndClose(ErrorResponse(severity: "FATAL", code: "28P01",
                                                    message: "password authentication failed for user \"user\"")))
    }
}

extension ByteBuffer {
    /// The payload of a typed frame (without type byte and length).
    func dropHeader() -> ByteBuffer {
        var b = self
        b.moveReaderIndex(forwardBy: 5)
        return b
    }
}
