import FreshetCore
import NIOCore

// NUMERIC in PostgreSQL's binary form (src/backend/utils/adt/numeric.c,
// numeric_send/numeric_recv): Int16 ndigits, Int16 weight, UInt16 sign
// (0x0000 positive, 0x4000 negative, 0xC000 NaN, 0xD000/0xF000 ±Infinity),
// Int16 dscale (digits after the decimal point to display), then ndigits
// base-10000 digits, most significant first. The value is
// Σ digit[i] × 10000^(weight − i). Trailing zero digits are not sent.
//
// Freshet's Decimal is mantissa × 10^−scale; dscale carries the scale, so
// 1.50 stays 1.50 after a round trip.

extension BinaryValueCodec {
    static let numericPositive: UInt16 = 0x0000
    static let numericNegative: UInt16 = 0x4000

    /// Appends `decimal` as a binary NUMERIC.
    static func writeNumeric(_ decimal: Decimal, into buffer: inout ByteBuffer) {
        let dscale = Int16(clamping: max(decimal.scale, 0))
        var magnitude = decimal.mantissa.magnitude
        let sign = decimal.mantissa < 0 ? numericNegative : numericPositive
        if magnitude == 0 {
            buffer.writeInteger(Int16(0))
            buffer.writeInteger(Int16(0))
            buffer.writeInteger(numericPositive)
            buffer.writeInteger(dscale)
            return
        }
        // The lowest decimal digit has exponent −scale; it lands in base-10000
        // group ⌊−scale / 4⌋ at position (−scale) mod 4 within that group.
        let lowestExponent = -decimal.scale
        let lowestGroup = floorDivide(lowestExponent, 4)
        var position = lowestExponent - lowestGroup * 4
        // At most 39 decimal digits plus 3 alignment digits: 11 groups.
        withUnsafeTemporaryAllocation(of: Int16.self, capacity: 12) { groups in
            var count = 0
            var group = 0
            var multiplier = [1, 10, 100, 1000][position]
            while magnitude > 0 {
                let (q, r) = magnitude.quotientAndRemainder(dividingBy: 10)
                group += Int(r) * multiplier
                magnitude = q
                position += 1
                multiplier *= 10
                if position == 4 {
                    groups[count] = Int16(group)
                    count += 1
                    group = 0
                    position = 0
                    multiplier = 1
                }
            }
            if position > 0 {
                groups[count] = Int16(group)
                count += 1
            }
            // groups[0] is the least significant; drop trailing (low) zero groups.
            var low = 0
            while groups[low] == 0 { low += 1 }
            let weight = lowestGroup + count - 1
            buffer.writeInteger(Int16(count - low))
            buffer.writeInteger(Int16(clamping: weight))
            buffer.writeInteger(sign)
            buffer.writeInteger(dscale)
            var i = count - 1
            while i >= low {
                buffer.writeInteger(groups[i])
                i -= 1
            }
        }
    }

    /// Reads a binary NUMERIC that fills `buffer`. Digits below `dscale` are
    /// truncated, as numeric_recv does.
    static func readNumeric(_ buffer: inout ByteBuffer) throws -> Decimal {
        guard let ndigits = buffer.readInteger(as: Int16.self),
              let weight = buffer.readInteger(as: Int16.self),
              let sign = buffer.readInteger(as: UInt16.self),
              let dscale = buffer.readInteger(as: Int16.self) else {
            throw FreshetError(.invalidBinaryRepresentation, "insufficient data for a binary numeric value")
        }
        guard ndigits >= 0, buffer.readableBytes == Int(ndigits) * 2 else {
            throw FreshetError(.invalidBinaryRepresentation, "invalid length in external \"numeric\" value")
        }
        switch sign {
        case numericPositive, numericNegative: break
        case 0xC000, 0xD000, 0xF000:
            throw FreshetError(.featureNotSupported, "numeric NaN and Infinity are not supported")
        default:
            throw FreshetError(.invalidBinaryRepresentation, "invalid sign in external \"numeric\" value")
        }
        guard dscale >= 0, dscale <= 0x3FFF else {
            throw FreshetError(.invalidBinaryRepresentation, "invalid scale in external \"numeric\" value")
        }
        var mantissa: Int128 = 0
        for i in 0..<Int(ndigits) {
            let digit = buffer.readInteger(as: Int16.self)!
            guard digit >= 0, digit < 10_000 else {
                throw FreshetError(.invalidBinaryRepresentation, "invalid digit in external \"numeric\" value")
            }
            // The digit is worth digit × 10^(4(weight − i)) units, i.e.
            // digit × 10^(4(weight − i) + dscale) in mantissa units.
            let exponent = 4 * (Int(weight) - i) + Int(dscale)
            let contribution: Int128
            if exponent >= 0 {
                guard digit != 0 else { continue }
                guard exponent <= 38 else { throw numericOverflow }
                let (c, overflow) = Int128(digit).multipliedReportingOverflow(by: powerOfTen(exponent))
                guard !overflow else { throw numericOverflow }
                contribution = c
            } else if exponent > -4 {
                contribution = Int128(digit) / powerOfTen(-exponent)
            } else {
                continue
            }
            let (sum, overflow) = mantissa.addingReportingOverflow(contribution)
            guard !overflow else { throw numericOverflow }
            mantissa = sum
        }
        return Decimal(mantissa: sign == numericNegative ? -mantissa : mantissa, scale: Int(dscale))
    }

    private static var numericOverflow: FreshetError {
        FreshetError(.numericValueOutOfRange, "numeric value out of range",
                     detail: "Freshet decimals hold at most 38 significant digits")
    }

    private static func powerOfTen(_ n: Int) -> Int128 {
        var r: Int128 = 1
        for _ in 0..<n { r *= 10 }
        return r
    }

    private static func floorDivide(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
