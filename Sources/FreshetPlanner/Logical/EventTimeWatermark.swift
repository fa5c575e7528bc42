import FreshetCore

/// A stream's event-time watermark (`WATERMARK FOR col AS col - INTERVAL '5' SECOND`
/// in CREATE STREAM, SQL.md "Streams are tables"): windows over `column` close when
/// the watermark — the largest `column` value seen minus `delayMicros` — passes
/// their end. As in Flink, the watermark only moves forward.
public struct EventTimeWatermark: Sendable, Equatable {
    /// Index of the TIMESTAMP column in the stream's rows.
    public var column: Int
    /// How far behind the largest event time seen the watermark stays (≥ 0).
    public var delayMicros: Int64
    public init(column: Int, delayMicros: Int64) {
        self.column = column
        self.delayMicros = delayMicros
    }
}
