import Crypto

/// The server's authentication settings prepared for use: for SCRAM, every
/// user's verifier is derived once at start-up, and a per-server secret makes
/// the mock salts shown to unknown users stable (as PostgreSQL's
/// scram_mock_salt does), so probing cannot tell which users exist.
struct WireAuthenticator: Sendable {
    enum Mode: Sendable {
        case trust
        case scram(credentials: [String: SCRAMCredentials], mockSecret: [UInt8])
    }

    let mode: Mode
    /// Makes server nonces; replaceable in tests.
    let makeNonce: @Sendable () -> String

    init(mode: Mode, makeNonce: @escaping @Sendable () -> String = SCRAMServerExchange.randomNonce) {
        self.mode = mode
        self.makeNonce = makeNonce
    }

    init(_ configuration: WireConfiguration.Authentication) {
        switch configuration {
        case .trust:
            self.init(mode: .trust)
        case .scram(let users):
            var rng = SystemRandomNumberGenerator()
            let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
            self.init(mode: .scram(credentials: users.mapValues { SCRAMCredentials(password: $0) }, mockSecret: secret))
        }
    }

    /// A new SCRAM exchange for `user`, or nil in trust mode.
    func scramExchange(for user: String) -> SCRAMServerExchange? {
        guard case let .scram(credentials, secret) = mode else { return nil }
        let mockSalt = Array(SHA256.hash(data: secret + Array(user.utf8)).prefix(16))
        return SCRAMServerExchange(credentials: credentials[user], mockSalt: mockSalt, serverNonce: makeNonce())
    }
}
