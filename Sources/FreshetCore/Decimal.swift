/// An exact decimal number: `mantissa × 10^-scale`, with a 128-bit mantissa
/// (38 significant digits, as DECIMAL(38, s)). Arithmetic is exact; an
/// operation that does not fit raises 22003 instead of rounding silently.
public struct Decimal: Hashable, Sendable {
    public var mantissa: Int128
    public var scale: Int
    public init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }
}
