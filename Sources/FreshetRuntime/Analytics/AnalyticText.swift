/// Builds the JSON text of ANOMALY_EXPLANATION and HOTSPOTS_RESULT without Foundation:
/// numbers in fixed notation with four decimals, so the text is the same everywhere.
enum AnalyticText {
    /// Appends `x` rounded to 4 decimals (`-0.0000` is written `0.0000`; non-finite as 0).
    static func appendFixed4(_ x: Double, to out: inout String) {
        guard x.isFinite else { out += "0.0000"; return }
        var scaled = (abs(x) * 10_000).rounded()
        if scaled > 9.0e15 { scaled = 9.0e15 }
        let n = UInt64(scaled)
        if x < 0 && n != 0 { out += "-" }
        out += String(n / 10_000)
        out += "."
        let frac = n % 10_000
        if frac < 1000 { out += "0" }
        if frac < 100 { out += "0" }
        if frac < 10 { out += "0" }
        out += String(frac)
    }

    /// Appends `s` as a JSON string literal.
    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    let hex = String(ch.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        out += "\""
    }
}
