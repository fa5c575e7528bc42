// RecordBatch: records read from a log, as views into one byte buffer.
//
// A read does large sequential preads into one array; each record is a frame inside
// it (see RecordFrame.swift), located by `frameOffsets`. Accessing a field reads it in
// place: no per-record allocation. `nextSequence` is where the next read continues.

public struct RecordBatch: Sendable {
    /// The bytes read (frames, possibly with skipped frames before the first record).
    public let bytes: [UInt8]
    /// Where each record's frame starts in `bytes`.
    public let frameOffsets: [Int]
    /// The sequence number to read from next (one past the last record returned, or the
    /// first retained sequence when nothing was returned).
    public let nextSequence: UInt64

    public var count: Int { frameOffsets.count }
    public var isEmpty: Bool { frameOffsets.isEmpty }

    public subscript(i: Int) -> Record { Record(bytes: bytes, offset: frameOffsets[i]) }

    public func sequence(at i: Int) -> UInt64 {
        bytes.withUnsafeBytes { RecordFrame.sequence($0.baseAddress! + frameOffsets[i]) }
    }
    public func rowtime(at i: Int) -> Int64 {
        bytes.withUnsafeBytes { RecordFrame.rowtime($0.baseAddress! + frameOffsets[i]) }
    }
    /// `Record.withFields` of record `i`, read in place (no `Record` made, so nothing
    /// retained per record), with the record's sequence number.
    public func withFields<R>(at i: Int, _ body: (_ payload: UnsafeRawBufferPointer, _ partitionKey: UnsafeRawBufferPointer,
                                                  _ explicitHashKey: UnsafeRawBufferPointer?, _ sequence: UInt64) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { buf in
            let offset = frameOffsets[i]
            let f = RecordFrame.fields(buf, at: offset)
            return try body(UnsafeRawBufferPointer(rebasing: buf[f.payload]), UnsafeRawBufferPointer(rebasing: buf[f.partitionKey]),
                            f.explicitHashKey.map { UnsafeRawBufferPointer(rebasing: buf[$0]) }, RecordFrame.sequence(buf.baseAddress! + offset))
        }
    }

    /// Call `body` with the payload bytes of record `i` (valid only inside `body`).
    public func withPayload<R>(at i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try self[i].withPayload(body)
    }
}

/// One record of a RecordBatch (a view: it shares the batch's buffer).
public struct Record: Sendable {
    let bytes: [UInt8]
    let offset: Int

    public var sequence: UInt64 { bytes.withUnsafeBytes { RecordFrame.sequence($0.baseAddress! + offset) } }
    public var rowtime: Int64 { bytes.withUnsafeBytes { RecordFrame.rowtime($0.baseAddress! + offset) } }

    private var layout: (pk: Range<Int>, hk: Range<Int>?, payload: Range<Int>) {
        bytes.withUnsafeBytes { buf in
            let f = RecordFrame.fields(buf, at: offset)
            return (f.partitionKey, f.explicitHashKey, f.payload)
        }
    }

    public var partitionKey: ArraySlice<UInt8> { bytes[layout.pk] }
    /// nil when the record was written without an explicit hash key.
    public var explicitHashKey: ArraySlice<UInt8>? { layout.hk.map { bytes[$0] } }
    public var payload: ArraySlice<UInt8> { bytes[layout.payload] }
    /// The producer tag (nil when the record was written without one).
    public var producer: ProducerTag? { bytes.withUnsafeBytes { RecordFrame.producer($0.baseAddress! + offset) } }

    /// Call `body` with the payload, the partition key and the explicit hash key (nil when
    /// the record has none), all valid only inside `body`: the frame's layout is read once
    /// and nothing is copied or retained per field (a live reader decodes every record
    /// this way).
    public func withFields<R>(_ body: (_ payload: UnsafeRawBufferPointer, _ partitionKey: UnsafeRawBufferPointer,
                                       _ explicitHashKey: UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { buf in
            let f = RecordFrame.fields(buf, at: offset)
            return try body(UnsafeRawBufferPointer(rebasing: buf[f.payload]), UnsafeRawBufferPointer(rebasing: buf[f.partitionKey]),
                            f.explicitHashKey.map { UnsafeRawBufferPointer(rebasing: buf[$0]) })
        }
    }

    /// Call `body` with the payload bytes (valid only inside `body`), e.g. for
    /// `RowCodec.decode(_:schema:)`.
    public func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = layout.payload
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}
