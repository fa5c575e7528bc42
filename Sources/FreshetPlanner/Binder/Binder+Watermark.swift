import FreshetCore
import FreshetSQL

extension Binder {
    /// Check `WATERMARK FOR col AS col - INTERVAL '5' SECOND` (or `AS col`, no delay) of a
    /// CREATE STREAM whose user columns are `columns`: `col` must be one of them and a
    /// TIMESTAMP, the expression that column minus a constant interval of fixed length.
    /// Returns the column's index and the delay.
    public func bindWatermark(_ w: Watermark, columns: [Column]) throws -> EventTimeWatermark {
        guard let index = columns.firstIndex(where: { $0.name == w.column.value }) else {
            throw PlanError.error(.undefinedColumn, "WATERMARK FOR \"\(w.column.value)\": the stream has no such column", w.column.span,
                                  hint: "Columns: \(columns.map(\.name).joined(separator: ", ")).")
        }
        guard columns[index].type == .timestamp else {
            throw PlanError.error(.datatypeMismatch,
                "WATERMARK FOR \"\(w.column.value)\": an event-time column must be TIMESTAMP, not \(columns[index].type.sqlName)", w.column.span)
        }
        let example = "WATERMARK FOR \(w.column.value) AS \(w.column.value) - INTERVAL '5' SECOND"
        func isTheColumn(_ e: Expression) -> Bool {
            if case .column(let n) = e.kind, n.parts.count == 1, n.last.value == w.column.value { return true }
            return false
        }
        if isTheColumn(w.expression) { return EventTimeWatermark(column: index, delayMicros: 0) }
        guard case let .binary(.subtract, lhs, rhs) = w.expression.kind, isTheColumn(lhs) else {
            throw PlanError.error(.featureNotSupported,
                "a watermark must be the event-time column minus a constant interval", w.expression.span, hint: "Example: \(example)")
        }
        let delay = try constantDuration(rhs, what: "the watermark's delay", example: example)
        return EventTimeWatermark(column: index, delayMicros: delay)
    }
}
