import FreshetCore
import FreshetStorage

/// Builds a PendingWrite row by row on the hot path (COPY FROM): the caller
/// hands over the partition key bytes and encodes the row straight into the
/// chosen shard's record buffer. No `Value`, no per-row allocation.
public struct StreamBatchBuilder {
    let store: StreamStore
    var parts: [RecordInputs]
    public private(set) var rowCount = 0
    var rng = SystemRandomNumberGenerator()

    public init(store: StreamStore, reservingBytesPerShard: Int = 0) {
        self.store = store
        parts = [RecordInputs](repeating: RecordInputs(reservingBytes: reservingBytesPerShard), count: store.logs.count)
    }

    /// Append one row. `encode` must append exactly one encoded row (RowEncoder.finish).
    public mutating func appendRow(partitionKey: UnsafeRawBufferPointer, encode: (inout [UInt8]) throws -> Void) throws {
        let pos = store.shardPosition(for: PartitionHash.hashKey(partitionKey))
        try parts[pos].append(partitionKey: partitionKey, explicitHashKey: nil, encodePayload: encode)
        rowCount += 1
    }

    /// Append one row with a random partition key (streams without `partition_key`).
    public mutating func appendRowWithRandomKey(encode: (inout [UInt8]) throws -> Void) throws {
        var key = (rng.next() as UInt64)
        // 16 lower-case hex digits, as the INSERT path writes them.
        var text: (UInt64, UInt64) = (0, 0)
        try withUnsafeMutableBytes(of: &text) { buf in
            let digits = Array("0123456789abcdef".utf8)
            var n = 0
            var started = false
            for shift in stride(from: 60, through: 0, by: -4) {
                let d = Int((key >> UInt64(shift)) & 0xF)
                if d != 0 || started || shift == 0 {
                    buf[n] = digits[d]
                    n += 1
                    started = true
                }
            }
            key = 0
            try appendRow(partitionKey: UnsafeRawBufferPointer(rebasing: buf[0..<n]), encode: encode)
        }
    }

    /// Append the row `encoder` holds (it is finished into the record and reset).
    public mutating func appendRow(partitionKey: UnsafeRawBufferPointer, finishing encoder: inout RowEncoder) throws {
        let pos = store.shardPosition(for: PartitionHash.hashKey(partitionKey))
        try parts[pos].append(partitionKey: partitionKey, explicitHashKey: nil) { encoder.finish(into: &$0) }
        rowCount += 1
    }

    /// Same, with a random partition key.
    public mutating func appendRowWithRandomKey(finishing encoder: inout RowEncoder) throws {
        try appendRowWithRandomKey { encoder.finish(into: &$0) }
    }

    /// The rows so far as one pending write (RETURNING is not available on this path).
    public func finish() -> PendingWrite {
        PendingWrite(store: store, parts: parts, rowShard: [], rowIndex: [], partitionKeys: [])
    }
}

extension StreamStore {
    /// Whether rows carry a partition key column (else each row gets a random key).
    public var partitionKeyColumn: Int? { definition.partitionKeyColumn }
}
