import Crypto

/// PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2) for one output block: SCRAM's
/// Hi(password, salt, i) (RFC 5802 §2.2), which is PBKDF2 with dkLen = hLen.
enum PBKDF2 {
    static func sha256(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        let keyed = HMAC<SHA256>(key: key)
        var first = keyed
        first.update(data: salt)
        first.update(data: [0, 0, 0, 1]) // INT(1): block index, big-endian
        var u = Array(first.finalize())
        var result = u
        for _ in 1..<max(iterations, 1) {
            var h = keyed
            h.update(data: u)
            u = Array(h.finalize())
            for k in 0..<result.count { result[k] ^= u[k] }
        }
        return result
    }
}
