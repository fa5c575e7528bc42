// RecordInputs+Records: read back the records waiting in a RecordInputs.
//
// Used by FreshetStreams to re-route a prepared write whose shard was closed by a
// reshard before the write reached the committer: each record's keys and payload
// are appended again to the inputs of the shard that now owns its hash key. This is
// a rare path (only writes in flight across a reshard take it), so it re-frames and
// re-checksums rather than copying frames.

extension RecordInputs {
    /// Call `body` with each pending record's partition key, explicit hash key (nil
    /// when absent), producer tag (nil when absent) and payload, in append order. The
    /// buffers are valid only inside `body`.
    public func forEachRecord(_ body: (_ partitionKey: UnsafeRawBufferPointer, _ explicitHashKey: UnsafeRawBufferPointer?,
                                       _ producer: ProducerTag?, _ payload: UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { buf in
            var offset = 0
            while offset < buf.count {
                let p = buf.baseAddress! + offset
                let length = RecordFrame.length(p)
                let pkLen = RecordFrame.partitionKeyLength(p)
                let hkLen = RecordFrame.hashKeyLength(p)
                let pkStart = offset + RecordFrame.headerSize
                let hkStart = pkStart + pkLen
                let payloadStart = hkStart + hkLen + RecordFrame.producerLength(p)
                let payloadEnd = offset + length - RecordFrame.trailerSize
                let hk = RecordFrame.hasHashKey(p) ? UnsafeRawBufferPointer(rebasing: buf[hkStart..<(hkStart + hkLen)]) : nil
                try body(UnsafeRawBufferPointer(rebasing: buf[pkStart..<hkStart]), hk, RecordFrame.producer(p),
                         UnsafeRawBufferPointer(rebasing: buf[payloadStart..<payloadEnd]))
                offset += length
            }
        }
    }
}
