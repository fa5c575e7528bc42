import FreshetCore

/// Which of a stream row's text system columns a reader fills in. Every row a reader
/// returns has the user columns, then ROWTIME, `_shard_id`, `_sequence_number`,
/// `_partition_key` and `_explicit_hash_key`; the last three are strings made per row
/// (a sequence number is up to 40 digits, a heap allocation), so a reader whose query
/// reads none of them leaves them NULL. User columns, ROWTIME and `_shard_id` are always
/// filled: a pump's error_stream and late rows carry the user columns whatever the query
/// reads, ROWTIME orders everything, and `_shard_id` is one shared string.
public struct SystemColumnSelection: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let sequenceNumber = SystemColumnSelection(rawValue: 1)
    public static let partitionKey = SystemColumnSelection(rawValue: 2)
    public static let explicitHashKey = SystemColumnSelection(rawValue: 4)
    public static let all: SystemColumnSelection = [.sequenceNumber, .partitionKey, .explicitHashKey]

    /// The system columns among `columns` (input column numbers of a stream with
    /// `userColumns` user columns); nil (not known) selects all.
    public init(reading columns: Set<Int>?, userColumns: Int) {
        guard let columns else { self = .all; return }
        var s: SystemColumnSelection = []
        if columns.contains(userColumns + 2) { s.insert(.sequenceNumber) }
        if columns.contains(userColumns + 3) { s.insert(.partitionKey) }
        if columns.contains(userColumns + 4) { s.insert(.explicitHashKey) }
        self = s
    }
}
