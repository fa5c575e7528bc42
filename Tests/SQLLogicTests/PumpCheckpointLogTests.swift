import FreshetCore
@testable import FreshetEngine
import FreshetStorage
import FreshetStreams
import FreshetTestSupport
import Testing

/// The pump checkpoint log: entries round-trip, recovery reads the last two, a torn
/// or reopened log keeps what was acknowledged, and compaction never drops the last
/// checkpoint. (Lives in this target because it can import the Engine.)
@Suite struct PumpCheckpointLogTests {
    static func position(_ n: UInt64) -> TailPosition {
        TailPosition(next: [0: n, 3: n * 2], finished: [1], included: n % 2 == 0 ? [0, 3] : nil)
    }

    static func checkpoint(_ b: UInt64) -> PumpLogRecord.Checkpoint {
        .init(batch: b, generation: 2, position: position(b), state: Array(repeating: UInt8(b & 0xff), count: Int(b % 50)),
              rowsIn: Int64(b) * 10, rowsOut: Int64(b) * 3, errors: Int64(b))
    }

    static func intent(_ b: UInt64) -> PumpLogRecord.Intent {
        .init(batch: b, generation: 2, from: position(b - 1),
              steps: [.init(to: position(b), watermark: nil), .init(to: position(b + 1), watermark: -Int64(b))],
              time: 1_700_000_000_000_000 + Int64(b), starts: [16_384: [0: 5, 1: 7], 16_390: [:]])
    }

    @Test func entriesRoundTripAndRecoveryReadsTheLastTwo() async throws {
        let dir = try TemporaryDirectory()
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let clock = ManualClock(startMicros: 1_000)
        let log = try PumpCheckpointLog(directory: dir.path + "/p", committer: committer, clock: clock)
        try await log.append(.checkpoint(Self.checkpoint(0)))
        for b in UInt64(1)...20 {
            try await log.append([.checkpoint(Self.checkpoint(b - 1)), .intent(Self.intent(b))])
        }
        let last = try log.readLast(2)
        guard last.count == 2, case .checkpoint(let c) = last[0], case .intent(let i) = last[1] else {
            Issue.record("expected a checkpoint then an intent, got \(last)")
            return
        }
        let wantC = Self.checkpoint(19), wantI = Self.intent(20)
        #expect(c.batch == wantC.batch && c.position == wantC.position && c.state == wantC.state && c.rowsIn == wantC.rowsIn
                && c.rowsOut == wantC.rowsOut && c.errors == wantC.errors && c.generation == 2)
        #expect(i.batch == 20 && i.from == wantI.from && i.steps == wantI.steps && i.time == wantI.time && i.starts == wantI.starts)
        #expect(try log.readAll().count == 41)
        log.close()
        // Reopened, the same entries are there.
        let again = try PumpCheckpointLog(directory: dir.path + "/p", committer: committer, clock: clock)
        #expect(try again.readAll().count == 41)
        again.close()
    }

    /// The table versions of a stream–table pump's intent round-trip; an intent without
    /// them (as written before pumps joined tables) encodes exactly as before and decodes
    /// with none.
    @Test func intentTableVersionsRoundTripAndOldIntentsStillDecode() throws {
        var joined = Self.intent(3)
        joined.tableVersions = [16_400: 7, 16_401: 0]
        guard case .intent(let back) = try PumpLogRecord.decode(PumpLogRecord.intent(joined).encode()) else {
            Issue.record("not an intent")
            return
        }
        #expect(back.tableVersions == [16_400: 7, 16_401: 0] && back.steps == joined.steps && back.starts == joined.starts)
        let plain = PumpLogRecord.intent(Self.intent(3)).encode()
        #expect(PumpLogRecord.intent(joined).encode().count == plain.count + 4 + 2 * 12)
        guard case .intent(let old) = try PumpLogRecord.decode(plain) else {
            Issue.record("not an intent")
            return
        }
        #expect(old.tableVersions.isEmpty && old.batch == 3)
        // Cut inside the table versions: refused, not read as fewer tables.
        #expect(throws: FreshetError.self) { try PumpLogRecord.decode(Array(PumpLogRecord.intent(joined).encode().dropLast(3))) }
    }

    @Test func compactionKeepsTheLastCheckpoint() async throws {
        let dir = try TemporaryDirectory()
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let clock = ManualClock(startMicros: 1_000)
        let log = try PumpCheckpointLog(directory: dir.path + "/p", committer: committer, clock: clock, segmentBytes: 1024)
        var lastRowtime: Int64 = 0
        for b in UInt64(0)..<300 {
            clock.advance(micros: 1)
            try await log.append(.intent(Self.intent(b + 1)))
            clock.advance(micros: 1)
            lastRowtime = try await log.append(.checkpoint(Self.checkpoint(b + 1)))
        }
        let segmentsBefore = log.log.stats.segmentCount
        try log.compact(before: lastRowtime)
        #expect(segmentsBefore > 10)
        #expect(log.log.stats.segmentCount < segmentsBefore)
        let last = try log.readLast(2)
        guard case .checkpoint(let c) = last.last else {
            Issue.record("the last checkpoint is gone: \(last)")
            return
        }
        #expect(c.batch == 300)
        log.close()
    }

    @Test func corruptStateIsRefused() throws {
        var bytes = PumpLogRecord.checkpoint(Self.checkpoint(7)).encode()
        bytes.removeLast(3)
        #expect(throws: FreshetError.self) { try PumpLogRecord.decode(bytes) }
        #expect(throws: FreshetError.self) { try PumpLogRecord.decode([9, 1]) }
    }
}
