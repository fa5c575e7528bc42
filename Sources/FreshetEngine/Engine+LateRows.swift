import FreshetCore
import FreshetRuntime
import FreshetStreams

extension Engine {
    /// The late-row callback for a continuous query over `stream`: each row that arrives
    /// behind an event-time watermark is counted (sys.streams.late_rows) and reported
    /// through `reportLateRow`, never dropped silently.
    func lateRowHandler(stream: String) -> LateRowHandler {
        { [weak self] row, watermark, reason in
            self?.reportLateRow(stream: stream, row: row, watermark: watermark, reason: reason)
        }
    }

    /// One late row: counted, and written to error_stream (batched, see ErrorBatcher) with
    /// ERROR_NAME 'LATE_ROW', MESSAGE = `reason`, DATA_ROWTIME = the watermark and
    /// DATA_ROW = the row's user columns.
    func reportLateRow(stream: String, row: Row, watermark: Int64, reason: String) {
        countLateRow(stream: stream, row: row)
        logger.debug("late row in stream \(stream): \(reason)")
        let descriptor = streamDefinitions().first { $0.name == stream }?.descriptor
        let types = descriptor?.columns.map(\.type) ?? []
        let user = Array(row.prefix(descriptor?.userColumnCount ?? row.count))
        errorBatcher.enqueue(ErrorStream.Entry(time: configuration.clock.nowMicros(), level: "WARNING", name: "LATE_ROW",
                                               message: "stream \(stream): \(reason)", dataRowtime: watermark,
                                               dataRow: ErrorStream.hex(row: user, types: types), pumpName: nil), engine: self)
    }

    /// Counts one late row of `stream`: in sys.streams.late_rows, and in the
    /// sys.stream_metrics minute of the shard the row came from (its `_shard_id`,
    /// the column after ROWTIME).
    func countLateRow(stream: String, row: Row) {
        lateRows.add(stream: stream)
        guard let (d, store) = streamsWithStores().first(where: { $0.0.name == stream }), let store else { return }
        let shardColumn = d.descriptor.userColumnCount + 1
        if shardColumn < row.count, case .string(let id) = row[shardColumn], let shard = ShardID.index(id) {
            store.metrics.recordLateRows(shard: shard, now: configuration.clock.nowMicros())
        }
    }

    /// Rows of `stream` that arrived behind a watermark since the server started.
    public func lateRowCount(stream: String) -> Int64 { lateRows.count(stream: stream) }
}
