import FreshetCore

/// Called for every row that arrives behind its window's watermark (its windows have
/// already closed), so it is not aggregated: the row, the watermark at that moment
/// (microseconds since the epoch) and a sentence saying why. The Engine supplies it
/// (it counts the row and hands it on to error_stream); rows are never dropped silently.
public typealias LateRowHandler = (_ row: Row, _ watermark: Int64, _ reason: String) -> Void
