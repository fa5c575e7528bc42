import Testing
@testable import FreshetStorage

@Suite struct RecordFrameTests {
    /// Frame one record and stamp it as the committer would.
    func framed(pk: [UInt8], hk: [UInt8]?, payload: [UInt8], seq: UInt64, rowtime: Int64) throws -> [UInt8] {
        var inputs = RecordInputs()
        try inputs.append(partitionKey: pk, explicitHashKey: hk, payload: payload)
        var bytes = inputs.bytes
        let n = bytes.withUnsafeMutableBytes { RecordFrame.seal($0.baseAddress!, sequence: seq, rowtime: rowtime) }
        #expect(n == bytes.count)
        return bytes
    }

    @Test func layoutAndFields() throws {
        let bytes = try framed(pk: Array("user-1".utf8), hk: Array("42".utf8), payload: [1, 2, 3, 4, 5],
                               seq: 0x0102_0304_0506_0708, rowtime: -5)
        #expect(bytes.count == 32 + 6 + 2 + 5)
        #expect(bytes[0] == UInt8(bytes.count) && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0)
        #expect(bytes[8] == 0xFA)            // magic
        #expect(bytes[9] == 1)               // has hash key
        #expect(bytes[10] == 6 && bytes[12] == 2)
        #expect(Array(bytes[16..<22]) == Array("user-1".utf8))
        #expect(Array(bytes[bytes.count - 16..<bytes.count - 8]) == [8, 7, 6, 5, 4, 3, 2, 1])
        let crc = UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
        #expect(crc == CRC32C.checksum(Array(bytes[8...])))
        let probe = bytes.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: $0.count) }
        #expect(probe == .valid(bytes.count))

        let batch = RecordBatch(bytes: bytes, frameOffsets: [0], nextSequence: 0)
        #expect(batch.sequence(at: 0) == 0x0102_0304_0506_0708)
        #expect(batch.rowtime(at: 0) == -5)
        #expect(Array(batch[0].partitionKey) == Array("user-1".utf8))
        #expect(batch[0].explicitHashKey.map(Array.init) == Array("42".utf8))
        #expect(Array(batch[0].payload) == [1, 2, 3, 4, 5])
        #expect(batch.withPayload(at: 0) { $0.count } == 5)
    }

    @Test func absentHashKeyAndEmptyParts() throws {
        let bytes = try framed(pk: [], hk: nil, payload: [], seq: 1, rowtime: 2)
        #expect(bytes.count == 32)
        let batch = RecordBatch(bytes: bytes, frameOffsets: [0], nextSequence: 0)
        #expect(batch[0].explicitHashKey == nil)
        #expect(batch[0].partitionKey.isEmpty && batch[0].payload.isEmpty)
        // An empty but present hash key is distinguished from an absent one.
        let withEmpty = try framed(pk: [1], hk: [], payload: [2], seq: 1, rowtime: 2)
        let b2 = RecordBatch(bytes: withEmpty, frameOffsets: [0], nextSequence: 0)
        #expect(b2[0].explicitHashKey.map(Array.init) == [])
    }

    @Test func everyFlippedByteIsDetected() throws {
        let good = try framed(pk: Array("k".utf8), hk: nil, payload: Array(repeating: 9, count: 20), seq: 7, rowtime: 8)
        for i in 0..<good.count {
            var bad = good
            bad[i] ^= 0x10
            let probe = bad.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: $0.count) }
            if case .valid = probe { Issue.record("flip at \(i) not detected") }
        }
    }

    @Test func truncationAndZeros() throws {
        let good = try framed(pk: [1, 2], hk: nil, payload: [3, 4, 5], seq: 1, rowtime: 1)
        for cut in 1..<good.count {
            let probe = good.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: cut) }
            #expect(probe == .incomplete, "cut \(cut)")
        }
        let zeros = [UInt8](repeating: 0, count: 64)
        #expect(zeros.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: 64) } == .end)
    }

    @Test func oversizedKeyIsRefusedAndLeavesInputsUnchanged() throws {
        var inputs = RecordInputs()
        try inputs.append(partitionKey: [1], payload: [2])
        let before = inputs.bytes
        #expect(throws: StorageError.self) {
            try inputs.append(partitionKey: [UInt8](repeating: 0, count: 70_000), payload: [])
        }
        #expect(inputs.bytes == before && inputs.count == 1)
    }

    @Test func encodePayloadClosureWritesInPlace() throws {
        var inputs = RecordInputs()
        try [UInt8]([7]).withUnsafeBytes { pk in
            try inputs.append(partitionKey: pk, explicitHashKey: nil) { buf in buf.append(contentsOf: [10, 20, 30]) }
        }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try [UInt8]([7]).withUnsafeBytes { pk in
                try inputs.append(partitionKey: pk, explicitHashKey: nil) { buf in buf.append(1); throw Boom() }
            }
        }
        #expect(inputs.count == 1 && inputs.byteCount == 32 + 1 + 3)
    }
}
