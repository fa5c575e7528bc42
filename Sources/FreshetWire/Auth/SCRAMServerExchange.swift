import Crypto

/// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677) as
/// PostgreSQL runs it inside SASL (protocol §55.3.1):
///
/// 1. client-first `n,,n=<ignored>,r=<client nonce>` arrives in SASLInitialResponse;
/// 2. server-first `r=<client nonce><server nonce>,s=<salt>,i=<iterations>` goes out
///    in AuthenticationSASLContinue;
/// 3. client-final `c=biws,r=<nonce>,p=<proof>` arrives in SASLResponse; the proof
///    is checked against StoredKey;
/// 4. server-final `v=<server signature>` goes out in AuthenticationSASLFinal.
///
/// Channel binding is not supported: only SCRAM-SHA-256 is advertised, a client
/// flag `p=` is refused, `y` is accepted (RFC 5802 §6). The user name in the SCRAM
/// message is ignored, as in PostgreSQL: the StartupMessage names the user. For an
/// unknown user the exchange runs to the end with mock credentials and then fails
/// with the same error as a wrong password, so the two cannot be told apart.
struct SCRAMServerExchange {
    static let mechanism = "SCRAM-SHA-256"

    enum Failure: Error, Equatable {
        /// A message that does not follow RFC 5802's grammar (08P01).
        case malformed(String)
        /// Authorization identities or channel binding the server does not do (0A000 / 08P01).
        case unsupported(String)
        /// Wrong password or unknown user (28P01).
        case authenticationFailed
    }

    private enum Step {
        case awaitingClientFirst
        case awaitingClientFinal(clientFirstBare: String, serverFirst: String, gs2Header: String, nonce: String)
        case done
    }

    private let credentials: SCRAMCredentials
    private let userExists: Bool
    private let serverNonce: String
    private var step: Step = .awaitingClientFirst

    /// - Parameters:
    ///   - credentials: the user's verifier; nil for an unknown user.
    ///   - mockSalt: the salt shown to an unknown user (stable per user name).
    ///   - serverNonce: printable, without ','; random in production, fixed in tests.
    init(credentials: SCRAMCredentials?, mockSalt: [UInt8], serverNonce: String) {
        if let credentials {
            self.credentials = credentials
            self.userExists = true
        } else {
            self.credentials = SCRAMCredentials(salt: mockSalt)
            self.userExists = false
        }
        self.serverNonce = serverNonce
    }

    /// A random server nonce: base64 of 18 random bytes, as PostgreSQL makes it.
    static func randomNonce() -> String {
        var rng = SystemRandomNumberGenerator()
        return Base64.encode((0..<18).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }

    /// Handles client-first-message; returns server-first-message.
    mutating func receiveClientFirst(_ message: [UInt8]) throws(Failure) -> [UInt8] {
        guard case .awaitingClientFirst = step else { throw .malformed("unexpected SCRAM client-first-message") }
        guard let text = String(validating: message, as: UTF8.self) else { throw .malformed("SCRAM message is not UTF-8") }
        // gs2-header: cbind-flag "," [authzid] ","
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("malformed SCRAM message: missing GS2 header") }
        switch parts[0] {
        case "n", "y": break
        case let flag where flag.hasPrefix("p="):
            throw .malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.")
        default:
            throw .malformed("malformed SCRAM message: unexpected channel-binding flag \"\(parts[0])\"")
        }
        guard parts[1].isEmpty else { throw .unsupported("client uses authorization identity, but it is not supported") }
        let gs2Header = "\(parts[0]),,"
        let bare = String(parts[2])
        let attributes = bare.split(separator: ",", omittingEmptySubsequences: false)
        guard attributes.count >= 2, attributes[0].hasPrefix("n="), attributes[1].hasPrefix("r=") else {
            throw .malformed("malformed SCRAM message: expected username and nonce attributes")
        }
        if attributes.dropFirst(2).contains(where: { $0.hasPrefix("m=") }) {
            throw .unsupported("SCRAM extensions are not supported")
        }
        let clientNonce = attributes[1].dropFirst(2)
        guard !clientNonce.isEmpty, clientNonce.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: ",") }) else {
            throw .malformed("malformed SCRAM message: invalid client nonce")
        }
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Base64.encode(credentials.salt)),i=\(credentials.iterations)"
        step = .awaitingClientFinal(clientFirstBare: bare, serverFirst: serverFirst, gs2Header: gs2Header, nonce: String(nonce))
        return Array(serverFirst.utf8)
    }

    /// Handles client-final-message; returns server-final-message when the proof is right.
    mutating func receiveClientFinal(_ message: [UInt8]) throws(Failure) -> [UInt8] {
        guard case let .awaitingClientFinal(clientFirstBare, serverFirst, gs2Header, nonce) = step else {
            throw .malformed("unexpected SCRAM client-final-message")
        }
        step = .done
        guard let text = String(validating: message, as: UTF8.self) else { throw .malformed("SCRAM message is not UTF-8") }
        // client-final-message-without-proof "," proof; the proof is the last attribute.
        guard let comma = text.lastIndex(of: ","), text[comma...].hasPrefix(",p=") else {
            throw .malformed("malformed SCRAM message: missing proof")
        }
        let withoutProof = text[..<comma]
        let attributes = withoutProof.split(separator: ",", omittingEmptySubsequences: false)
        guard attributes.count >= 2, attributes[0].hasPrefix("c="), attributes[1].hasPrefix("r=") else {
            throw .malformed("malformed SCRAM message: expected channel binding and nonce attributes")
        }
        guard Base64.decode(attributes[0].dropFirst(2)) == Array(gs2Header.utf8) else {
            throw .malformed("SCRAM channel binding check failed")
        }
        guard attributes[1].dropFirst(2) == nonce else { throw .malformed("SCRAM nonce does not match") }
        guard let proof = Base64.decode(text[comma...].dropFirst(3)), proof.count == SHA256.byteCount else {
            throw .malformed("malformed SCRAM message: invalid proof")
        }

        let authMessage = Array("\(clientFirstBare),\(serverFirst),\(withoutProof)".utf8)
        let clientSignature = Array(HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: credentials.storedKey)))
        var clientKey = proof
        for i in 0..<clientKey.count { clientKey[i] ^= clientSignature[i] }
        let candidate = Array(SHA256.hash(data: clientKey))
        var difference: UInt8 = 0
        for i in 0..<candidate.count { difference |= candidate[i] ^ credentials.storedKey[i] }
        guard userExists, difference == 0 else { throw .authenticationFailed }

        let serverSignature = HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: credentials.serverKey))
        return Array("v=\(Base64.encode(Array(serverSignature)))".utf8)
    }
}

extension SCRAMCredentials {
    /// Credentials nobody can pass (random keys), for the mock exchange of an unknown user.
    init(salt: [UInt8]) {
        var rng = SystemRandomNumberGenerator()
        self.salt = salt
        self.iterations = SCRAMCredentials.defaultIterations
        self.storedKey = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        self.serverKey = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
    }
}
