import FreshetCore
import FreshetRuntime

/// The joined rows of a pump joining two streams whose evaluation failed during one step
/// (`JoinedRowErrorHandler`): an ON condition that could not be evaluated, or, when the step
/// is re-run with `StreamingPipeline.isolatesJoinedRowErrors`, WHERE, the select list or an
/// aggregate's argument. Like late rows they are part of the step's result: written to
/// error_stream with the step's output under its producer tag, so a replayed step finds
/// them already written (exactly once).
final class PumpJoinErrors: @unchecked Sendable {
    private(set) var rows: [(row: Row, error: Error)] = []

    /// The handler to build the pump's pipelines with.
    var handler: JoinedRowErrorHandler {
        { [weak self] row, error in self?.rows.append((row, error)) }
    }

    func clear() { rows.removeAll(keepingCapacity: true) }

    /// The rows collected since `clear()` as error_stream entries (ERROR_NAME and MESSAGE
    /// from the error, DATA_ROW the joined row's columns before its ROWTIME, DATA_ROWTIME
    /// its ROWTIME: a pair's, the later of its two rows'; a row whose join key failed, its own), then cleared.
    func drain(userColumns: Int, types: [DataType], time: Int64, pump: String) -> [ErrorStream.Entry] {
        defer { clear() }
        return rows.map { r in
            var rowtime: Int64?
            if r.row.count > userColumns, case .timestamp(let t) = r.row[userColumns] { rowtime = t }
            return ErrorStream.entry(for: r.error, row: Array(r.row.prefix(userColumns)), types: types, rowtime: rowtime, time: time, pump: pump)
        }
    }
}
