import FreshetCore
import FreshetRuntime

extension Engine {
    /// The late-row callback for a continuous query over `stream`: each row that arrives
    /// behind an event-time watermark is counted (sys.streams.late_rows) and reported
    /// through `reportLateRow`, never dropped silently.
    func lateRowHandler(stream: String) -> LateRowHandler {
        { [weak self] row, watermark, reason in
            self?.reportLateRow(stream: stream, row: row, watermark: watermark, reason: reason)
        }
    }

    /// One late row. This is the adapter to error_stream: once `reportError` exists
    /// (branch pumps), call it here with ERROR_NAME 'LATE_ROW', MESSAGE = `reason`,
    /// DATA_ROWTIME = the watermark and DATA_ROW = the row.
    func reportLateRow(stream: String, row: Row, watermark: Int64, reason: String) {
        lateRows.add(stream: stream)
        logger.debug("late row in stream \(stream): \(reason)")
    }

    /// Rows of `stream` that arrived behind a watermark since the server started.
    public func lateRowCount(stream: String) -> Int64 { lateRows.count(stream: stream) }
}
