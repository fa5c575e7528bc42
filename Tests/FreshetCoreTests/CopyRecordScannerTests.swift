import FreshetCore
import Testing

/// CopyRecordScanner finds record ends the way the engine's line splitter does:
/// every LF in the text format; in CSV only LFs outside double quotes, whatever
/// the pieces the bytes arrive in.
@Suite struct CopyRecordScannerTests {
    /// Record ends found by a byte-at-a-time reference with the same rule.
    func reference(_ bytes: [UInt8], quote: UInt8?) -> [Int] {
        var ends: [Int] = []
        var inQuotes = false
        for (i, b) in bytes.enumerated() {
            if let quote, b == quote { inQuotes.toggle() } else if b == 0x0A && !inQuotes { ends.append(i + 1) }
        }
        return ends
    }

    /// Feed `bytes` in pieces of `piece` bytes; returns (total records, last end, final quote state).
    func scanInPieces(_ bytes: [UInt8], quote: UInt8?, piece: Int) -> (Int, Int, Bool) {
        var s = CopyRecordScanner(csvQuote: quote)
        var records = 0
        var lastEnd = 0
        var offset = 0
        while offset < bytes.count {
            let n = min(piece, bytes.count - offset)
            let (end, r) = bytes[offset..<offset + n].withUnsafeBytes { s.scan($0) }
            if r > 0 { lastEnd = offset + end }
            records += r
            offset += n
        }
        return (records, lastEnd, s.inQuotes)
    }

    @Test func csvNewlinesInsideQuotesDoNotEndARecord() {
        let input = Array("1,plain\n2,\"two\nlines, \"\"quoted\"\"\"\r\n3,\n4,\"\"\n".utf8)
        let ends = reference(input, quote: 0x22)
        #expect(ends.count == 4)
        for piece in [1, 2, 3, 7, 8, 9, 16, input.count] {
            let (records, lastEnd, inQuotes) = scanInPieces(input, quote: 0x22, piece: piece)
            #expect(records == 4, "piece \(piece)")
            #expect(lastEnd == input.count, "piece \(piece)")
            #expect(!inQuotes)
        }
    }

    @Test func anOpenQuoteIsCarriedToTheNextPiece() {
        var s = CopyRecordScanner(csvQuote: 0x22)
        let a = Array("1,\"open\n".utf8), b = Array("still open\",x\n2,y\n".utf8)
        let (endA, recordsA) = a.withUnsafeBytes { s.scan($0) }
        #expect(recordsA == 0 && endA == 0)
        #expect(s.inQuotes)
        let (endB, recordsB) = b.withUnsafeBytes { s.scan($0) }
        #expect(recordsB == 2)
        #expect(endB == b.count)
        #expect(!s.inQuotes)
    }

    @Test func textFormatEndsAtEveryNewlineAndIgnoresQuotes() {
        let input = Array("1\t\"a\n2\tb\\\\\n\"3\tc\n4".utf8)
        for piece in [1, 5, 8, input.count] {
            let (records, lastEnd, _) = scanInPieces(input, quote: nil, piece: piece)
            #expect(records == 3, "piece \(piece)")
            #expect(lastEnd == input.count - 1, "piece \(piece)")
        }
    }

    @Test func agreesWithTheReferenceOnRandomInput() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x0A, 0x22, 0x2C, 0x0D, 0x41, 0x5C, 0xC3, 0xA9]
        for round in 0..<200 {
            let n = Int.random(in: 0...300, using: &rng)
            let bytes = (0..<n).map { _ in alphabet.randomElement(using: &rng)! }
            for quote in [UInt8(0x22), nil] {
                let ends = reference(bytes, quote: quote)
                let piece = Int.random(in: 1...40, using: &rng)
                let (records, lastEnd, _) = scanInPieces(bytes, quote: quote, piece: piece)
                #expect(records == ends.count, "round \(round)")
                #expect(lastEnd == (ends.last ?? 0), "round \(round)")
            }
        }
    }
}
