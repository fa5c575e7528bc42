import Crypto

/// A SCRAM-SHA-256 verifier for one user (RFC 5802 §3), as PostgreSQL keeps it
/// in pg_authid: salt, iteration count, StoredKey and ServerKey. The password
/// itself is not kept. Computed once when the server starts, so that a login
/// costs two HMACs instead of 4096.
struct SCRAMCredentials: Sendable, Hashable {
    static let defaultIterations = 4096

    var salt: [UInt8]
    var iterations: Int
    var storedKey: [UInt8]
    var serverKey: [UInt8]

    /// Derives the verifier from a password. The password is used as UTF-8
    /// without SASLprep, which equals SASLprep for ASCII passwords.
    init(password: String, salt: [UInt8], iterations: Int = SCRAMCredentials.defaultIterations) {
        let salted = PBKDF2.sha256(password: Array(password.utf8), salt: salt, iterations: iterations)
        let saltedKey = SymmetricKey(data: salted)
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: saltedKey))
        self.salt = salt
        self.iterations = iterations
        self.storedKey = Array(SHA256.hash(data: clientKey))
        self.serverKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: saltedKey))
    }

    /// Derives a verifier with a fresh random 16-byte salt.
    init(password: String) {
        var rng = SystemRandomNumberGenerator()
        self.init(password: password, salt: (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }
}
