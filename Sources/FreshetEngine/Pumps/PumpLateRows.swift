import FreshetCore
import FreshetRuntime

/// The rows a pump's windows found behind their watermark during one step. A pump
/// does not hand them to the engine's error batcher (as SELECT STREAM does) but writes
/// them to error_stream with the step's output, under the step's producer tag: they
/// are part of the step's result, so a replayed step finds them already written
/// instead of writing them twice (exactly once, like the output rows).
final class PumpLateRows: @unchecked Sendable {
    private(set) var rows: [(row: Row, watermark: Int64, reason: String)] = []

    /// The handler to build the pump's pipelines with.
    var handler: LateRowHandler {
        { [weak self] row, watermark, reason in self?.rows.append((row, watermark, reason)) }
    }

    func clear() { rows.removeAll(keepingCapacity: true) }

    /// The late rows collected since `clear()` as error_stream entries (ERROR_NAME
    /// 'LATE_ROW', level WARNING, DATA_ROWTIME the watermark, as Engine.reportLateRow
    /// writes them), then cleared.
    func drain(stream: String, userColumns: Int, types: [DataType], time: Int64, pump: String) -> [ErrorStream.Entry] {
        defer { clear() }
        return rows.map { r in
            ErrorStream.Entry(time: time, level: "WARNING", name: "LATE_ROW", message: "stream \(stream): \(r.reason)",
                              dataRowtime: r.watermark, dataRow: ErrorStream.hex(row: Array(r.row.prefix(userColumns)), types: types),
                              pumpName: pump)
        }
    }
}
