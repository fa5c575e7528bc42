import FreshetCore
import FreshetStreams
import Foundation

extension Engine {
    /// The largest `max_record_size` a stream may have (Freshet's own ceiling; records
    /// are framed in the log with a 64 MiB hard limit).
    static let maxRecordSizeCeiling = 10 << 20

    /// `max_record_size`: a number of bytes, or a size with a unit ('512 kB', '1 MB',
    /// PostgreSQL's memory units, powers of 1024), from 1 byte to 10 MiB.
    func parseMaxRecordSize(_ text: String, position: Int?) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber }
        let unit = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let multiplier: Int? = switch unit {
        case "", "b", "bytes": 1
        case "kb": 1 << 10
        case "mb": 1 << 20
        default: nil
        }
        guard let n = Int(digits), let multiplier else {
            throw FreshetError(.invalidParameterValue, "max_record_size \"\(text)\" is not a size",
                               hint: "Write a number of bytes (1048576) or a size like '512 kB' or '1 MB'.", position: position)
        }
        let (bytes, overflow) = n.multipliedReportingOverflow(by: multiplier)
        guard !overflow, bytes >= 1, bytes <= Engine.maxRecordSizeCeiling else {
            throw FreshetError(.invalidParameterValue,
                               "max_record_size must be between 1 byte and 10 MB (\(Engine.maxRecordSizeCeiling) bytes), not \"\(text)\"",
                               position: position)
        }
        return bytes
    }
}
