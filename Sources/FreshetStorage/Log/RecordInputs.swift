// RecordInputs: records waiting to be appended, framed into one contiguous buffer.
//
// A producer (INSERT, COPY, PutRecords) appends records here on its own thread; each
// `append` writes the frame header, keys and payload and checksums them, so the commit
// thread only copies the buffer into its round buffer (one memcpy), stamps the sequence
// number and rowtime (16 bytes each) and writes it with one pwritev. The producer's
// buffer is never modified by a commit. No per-record allocation: a million 100-byte
// rows are one ~130 MB array. See RecordFrame.swift for the layout.

public struct RecordInputs: Sendable {
    /// Pending frames, back to back. The crc field of each holds the raw CRC state of
    /// bytes [8, L-16) until the committer seals the frame.
    var bytes: [UInt8]
    /// The number of records.
    public private(set) var count: Int = 0

    /// An empty set; `reservingBytes` pre-sizes the buffer (≈ records × (32 + keys + payload)).
    public init(reservingBytes: Int = 0) {
        bytes = []
        if reservingBytes > 0 { bytes.reserveCapacity(reservingBytes) }
    }

    /// The size of the framed records in bytes (what will be written to the log).
    public var byteCount: Int { bytes.count }
    public var isEmpty: Bool { count == 0 }

    /// Append one record whose payload the caller encodes straight into the buffer
    /// (e.g. `RowCodec.encode(row, schema:, into: &buffer)`): `encodePayload` must only
    /// append to the array it is given. Throws `.invalidArgument` for keys longer than
    /// 65,535 bytes or frames over 64 MiB; on any throw the set is unchanged.
    public mutating func append(partitionKey: UnsafeRawBufferPointer,
                                explicitHashKey: UnsafeRawBufferPointer?,
                                producer: ProducerTag? = nil,
                                encodePayload: (inout [UInt8]) throws -> Void) throws {
        let pkLen = partitionKey.count
        let hkLen = explicitHashKey?.count ?? 0
        guard pkLen <= RecordFrame.maxKeyLength, hkLen <= RecordFrame.maxKeyLength else {
            throw StorageError(.invalidArgument, "partition key or explicit hash key longer than 65535 bytes")
        }
        let start = bytes.count
        // Header placeholder: length and crc patched below.
        appendLE(UInt32(0)); appendLE(UInt32(0))
        bytes.append(RecordFrame.magic)
        bytes.append((explicitHashKey == nil ? 0 : RecordFrame.flagHasHashKey) | (producer == nil ? 0 : RecordFrame.flagHasProducer))
        appendLE(UInt16(pkLen)); appendLE(UInt16(hkLen)); appendLE(UInt16(0))
        bytes.append(contentsOf: partitionKey)
        if let explicitHashKey { bytes.append(contentsOf: explicitHashKey) }
        if let producer { appendLE(producer.producer); appendLE(producer.sequence) }
        do { try encodePayload(&bytes) } catch {
            bytes.removeSubrange(start...)
            throw error
        }
        let length = bytes.count + RecordFrame.trailerSize - start
        guard length <= RecordFrame.maxFrameLength, bytes.count >= start + RecordFrame.headerSize + pkLen + hkLen + (producer == nil ? 0 : RecordFrame.producerTagSize) else {
            bytes.removeSubrange(start...)
            throw StorageError(.invalidArgument, "record of \(length) bytes exceeds the \(RecordFrame.maxFrameLength)-byte limit")
        }
        // Trailer placeholder (sequence, rowtime).
        bytes.append(contentsOf: repeatElement(0, count: RecordFrame.trailerSize))
        bytes.withUnsafeMutableBytes { buf in
            let p = buf.baseAddress! + start
            p.storeBytes(of: UInt32(length).littleEndian, as: UInt32.self)
            let state = CRC32C.update(CRC32C.initialState, p + 8, length - 8 - RecordFrame.trailerSize)
            p.storeBytes(of: state.littleEndian, toByteOffset: 4, as: UInt32.self)
        }
        count += 1
    }

    /// Append one record from buffers.
    public mutating func append(partitionKey: UnsafeRawBufferPointer,
                                explicitHashKey: UnsafeRawBufferPointer?,
                                producer: ProducerTag? = nil,
                                payload: UnsafeRawBufferPointer) throws {
        try append(partitionKey: partitionKey, explicitHashKey: explicitHashKey, producer: producer) { $0.append(contentsOf: payload) }
    }

    /// Append one record from byte arrays.
    public mutating func append(partitionKey: [UInt8], explicitHashKey: [UInt8]? = nil, producer: ProducerTag? = nil, payload: [UInt8]) throws {
        try partitionKey.withUnsafeBytes { pk in
            try payload.withUnsafeBytes { pl in
                if let explicitHashKey {
                    try explicitHashKey.withUnsafeBytes { hk in
                        try append(partitionKey: pk, explicitHashKey: hk, producer: producer, payload: pl)
                    }
                } else {
                    try append(partitionKey: pk, explicitHashKey: nil, producer: producer, payload: pl)
                }
            }
        }
    }

    /// Remove all records, keeping the capacity (for reuse by a producer).
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
    }

    @inline(__always)
    private mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
