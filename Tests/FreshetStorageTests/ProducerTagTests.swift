import Testing
@testable import FreshetStorage

/// Record frames with a producer tag (flag bit 1): the tag reads back, the keys and
/// payload around it are unchanged, the CRC covers it, untagged frames are as before.
@Suite struct ProducerTagTests {
    func framed(pk: [UInt8], hk: [UInt8]?, tag: ProducerTag?, payload: [UInt8]) throws -> [UInt8] {
        var inputs = RecordInputs()
        try pk.withUnsafeBytes { p in
            try payload.withUnsafeBytes { pl in
                if let hk {
                    try hk.withUnsafeBytes { h in try inputs.append(partitionKey: p, explicitHashKey: h, producer: tag, payload: pl) }
                } else {
                    try inputs.append(partitionKey: p, explicitHashKey: nil, producer: tag, payload: pl)
                }
            }
        }
        var bytes = inputs.bytes
        _ = bytes.withUnsafeMutableBytes { RecordFrame.seal($0.baseAddress!, sequence: 9, rowtime: 10) }
        return bytes
    }

    @Test func tagReadsBackBetweenKeysAndPayload() throws {
        let tag = ProducerTag(producer: 0xDEAD_BEEF, sequence: 0x0102_0304_0506_0708)
        for hk in [nil, Array("77".utf8)] as [[UInt8]?] {
            let bytes = try framed(pk: Array("key".utf8), hk: hk, tag: tag, payload: [1, 2, 3])
            #expect(bytes.count == 32 + 3 + (hk?.count ?? 0) + 12 + 3)
            #expect(bytes[9] == (hk == nil ? 2 : 3))
            let probe = bytes.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: $0.count) }
            #expect(probe == .valid(bytes.count))
            let batch = RecordBatch(bytes: bytes, frameOffsets: [0], nextSequence: 10)
            #expect(batch[0].producer == tag)
            #expect(Array(batch[0].partitionKey) == Array("key".utf8))
            #expect(batch[0].explicitHashKey.map(Array.init) == hk)
            #expect(Array(batch[0].payload) == [1, 2, 3])
            #expect(batch.sequence(at: 0) == 9 && batch.rowtime(at: 0) == 10)
        }
    }

    @Test func untaggedFramesHaveNoTagAndUnknownFlagsAreCorrupt() throws {
        let plain = try framed(pk: [1], hk: nil, tag: nil, payload: [2])
        #expect(plain.count == 34 && plain[9] == 0)
        #expect(RecordBatch(bytes: plain, frameOffsets: [0], nextSequence: 0)[0].producer == nil)
        var bad = try framed(pk: [1], hk: nil, tag: ProducerTag(producer: 1, sequence: 1), payload: [2])
        bad[9] |= 4
        let probe = bad.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: $0.count) }
        if case .valid = probe { Issue.record("flag bit 2 accepted") }
    }

    @Test func everyFlippedByteOfTheTagIsDetected() throws {
        let good = try framed(pk: [7], hk: nil, tag: ProducerTag(producer: 5, sequence: 6), payload: [8, 9])
        for i in 17..<29 {
            var bad = good
            bad[i] ^= 0x01
            let probe = bad.withUnsafeBytes { RecordFrame.probe($0.baseAddress!, available: $0.count) }
            if case .valid = probe { Issue.record("flip at \(i) not detected") }
        }
    }

    @Test func reroutingKeepsTheTag() throws {
        var inputs = RecordInputs()
        let tag = ProducerTag(producer: 3, sequence: 4)
        try inputs.append(partitionKey: [1] as [UInt8], explicitHashKey: [2], producer: tag, payload: [3])
        try inputs.append(partitionKey: [4] as [UInt8], explicitHashKey: nil, payload: [5])
        var seen: [(ProducerTag?, [UInt8], [UInt8]?, [UInt8])] = []
        inputs.forEachRecord { pk, hk, producer, payload in seen.append((producer, Array(pk), hk.map(Array.init), Array(payload))) }
        #expect(seen.count == 2)
        #expect(seen[0].0 == tag && seen[0].1 == [1] && seen[0].2 == [2] && seen[0].3 == [3])
        #expect(seen[1].0 == nil && seen[1].1 == [4] && seen[1].2 == nil && seen[1].3 == [5])
    }
}
