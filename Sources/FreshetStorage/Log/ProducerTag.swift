/// Who wrote a record, when the writer needs to find its own records again: a pump's
/// id and the number of the output batch the record belongs to. A pump that was
/// killed between logging an output batch's intent and its checkpoint finds the
/// records of that batch that reached the log by this tag, and writes only the rest
/// (docs/storage-format.md, "Producer tags"; docs/continuous-queries.md, "Pumps").
/// Stored in the record frame behind flag bit 1 (12 bytes).
public struct ProducerTag: Hashable, Sendable {
    public var producer: UInt32
    public var sequence: UInt64
    public init(producer: UInt32, sequence: UInt64) {
        self.producer = producer
        self.sequence = sequence
    }
}
