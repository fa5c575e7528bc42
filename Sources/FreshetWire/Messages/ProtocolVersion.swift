/// A frontend/backend protocol version as the StartupMessage carries it:
/// the major version in the high 16 bits, the minor in the low 16 bits.
struct ProtocolVersion: Hashable, Sendable, CustomStringConvertible {
    var major: UInt16
    var minor: UInt16

    init(major: UInt16, minor: UInt16) {
        self.major = major
        self.minor = minor
    }

    init(code: UInt32) {
        self.major = UInt16(truncatingIfNeeded: code >> 16)
        self.minor = UInt16(truncatingIfNeeded: code)
    }

    var code: UInt32 { UInt32(major) << 16 | UInt32(minor) }

    /// The only version Freshet speaks.
    static let v3_0 = ProtocolVersion(major: 3, minor: 0)

    var description: String { "\(major).\(minor)" }
}
