import FreshetCore
import FreshetRuntime
@testable import FreshetEngine
import FreshetStorage
import FreshetStreams
import FreshetTestSupport
import Testing

/// The pump checkpoint log: entries round-trip, recovery reads back to the last checkpoint, a torn
/// or reopened log keeps what was acknowledged, and compaction never drops the last
/// checkpoint. (Lives in this target because it can import the Engine.)
@Suite struct PumpCheckpointLogTests {
    static func position(_ n: UInt64) -> TailPosition {
        TailPosition(next: [0: n, 3: n * 2], finished: [1], included: n % 2 == 0 ? [0, 3] : nil)
    }

    /// Positions of one source, or of two (a join of two streams) when `sources` is 2.
    static func positions(_ n: UInt64, sources: Int = 1) -> [TailPosition] {
        sources == 1 ? [position(n)] : [position(n), TailPosition(next: [0: n + 100, 1: n + 7], finished: [], included: nil)]
    }

    static func checkpoint(_ b: UInt64, sources: Int = 1) -> PumpLogRecord.Checkpoint {
        let state = [UInt8](repeating: UInt8(b & 0xff), count: Int(b % 50))
        return PumpLogRecord.Checkpoint(batch: b, generation: 2, positions: positions(b, sources: sources), state: state,
                                        rowsIn: Int64(b) * 10, rowsOut: Int64(b) * 3, errors: Int64(b))
    }

    static func intent(_ b: UInt64, sources: Int = 1) -> PumpLogRecord.Intent {
        let steps = [PumpLogRecord.Step(to: positions(b, sources: sources), watermark: nil, time: 1_700_000_000_000_000 + Int64(b) - 5),
                     PumpLogRecord.Step(to: positions(b + 1, sources: sources), watermark: -Int64(b), time: nil)]
        return PumpLogRecord.Intent(batch: b, generation: 2, from: positions(b - 1, sources: sources), steps: steps,
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
        #expect(c.batch == wantC.batch && c.positions == wantC.positions && c.state == wantC.state && c.rowsIn == wantC.rowsIn
                && c.rowsOut == wantC.rowsOut && c.errors == wantC.errors && c.generation == 2)
        #expect(i.batch == 20 && i.from == wantI.from && i.steps == wantI.steps && i.time == wantI.time && i.starts == wantI.starts)
        #expect(try log.readAll().count == 41)
        log.close()
        // Reopened, the same entries are there.
        let again = try PumpCheckpointLog(directory: dir.path + "/p", committer: committer, clock: clock)
        #expect(try again.readAll().count == 41)
        again.close()
    }

    /// Recovery reads back to the last checkpoint, however many intents follow it (it
    /// reads backwards in growing steps), and everything when there is no checkpoint.
    @Test func recoveryReadsFromTheLastCheckpoint() async throws {
        let dir = try TemporaryDirectory()
        let committer = GroupCommitter()
        defer { committer.shutdown() }
        let clock = ManualClock(startMicros: 1_000)
        let log = try PumpCheckpointLog(directory: dir.path + "/p", committer: committer, clock: clock)
        for b in UInt64(1)...3 { try await log.append(.intent(Self.intent(b))) }
        #expect(try log.readFromLastCheckpoint().count == 3)
        try await log.append(.checkpoint(Self.checkpoint(3)))
        for b in UInt64(4)...6 { try await log.append(.intent(Self.intent(b))) }
        try await log.append([.checkpoint(Self.checkpoint(6)), .intent(Self.intent(7))])
        for b in UInt64(8)...80 { try await log.append(.intent(Self.intent(b))) }
        let records = try log.readFromLastCheckpoint()
        guard records.count == 75, case .checkpoint(let c) = records[0] else {
            Issue.record("expected the checkpoint of batch 6 and 74 intents, got \(records.count) records")
            return
        }
        #expect(c.batch == 6)
        let batches = records.dropFirst().compactMap { r -> UInt64? in if case .intent(let i) = r { return i.batch } else { return nil } }
        #expect(batches == Array(7...80))
        try await log.append(.checkpoint(Self.checkpoint(80)))
        #expect(try log.readFromLastCheckpoint().count == 1)
        log.close()
    }

    /// Version 3 has version 2's layout: a record written by a version-2 server (the same
    /// bytes with version byte 2) decodes to the same record; an unknown version is refused.
    @Test func versionTwoRecordsStillDecode() throws {
        let records: [PumpLogRecord] = [.intent(Self.intent(5, sources: 2)), .checkpoint(Self.checkpoint(4, sources: 2))]
        for record in records {
            var bytes = record.encode()
            #expect(bytes[0] == 3)
            bytes[0] = 2
            let back = try PumpLogRecord.decode(bytes)
            var again = back.encode()
            again[0] = 2
            #expect(again == bytes)
            bytes[0] = 4
            #expect(throws: FreshetError.self) { try PumpLogRecord.decode(bytes) }
        }
        // Encoding into a buffer that already holds bytes appends the same encoding.
        var buffer: [UInt8] = [1, 2, 3]
        records[1].encode(into: &buffer)
        #expect(buffer == [1, 2, 3] + records[1].encode())
    }

    /// The table versions of a stream–table pump's intent round-trip (written as a count
    /// and pairs; none: a zero count).
    @Test func intentTableVersionsRoundTrip() throws {
        var joined = Self.intent(3)
        joined.tableVersions = [16_400: 7, 16_401: 0]
        guard case .intent(let back) = try PumpLogRecord.decode(PumpLogRecord.intent(joined).encode()) else {
            Issue.record("not an intent")
            return
        }
        #expect(back.tableVersions == [16_400: 7, 16_401: 0] && back.steps == joined.steps && back.starts == joined.starts)
        let plain = PumpLogRecord.intent(Self.intent(3)).encode()
        #expect(PumpLogRecord.intent(joined).encode().count == plain.count + 2 * 12)
        guard case .intent(let none) = try PumpLogRecord.decode(plain) else {
            Issue.record("not an intent")
            return
        }
        #expect(none.tableVersions.isEmpty && none.batch == 3)
        // Cut inside the table versions: refused, not read as fewer tables.
        #expect(throws: FreshetError.self) { try PumpLogRecord.decode(Array(PumpLogRecord.intent(joined).encode().dropLast(3))) }
    }

    /// A join of two streams: both sources' positions and each step's time round-trip,
    /// in checkpoints and intents.
    @Test func twoSourcesAndStepTimesRoundTrip() throws {
        let i = Self.intent(9, sources: 2)
        guard case .intent(let back) = try PumpLogRecord.decode(PumpLogRecord.intent(i).encode()) else {
            Issue.record("not an intent")
            return
        }
        #expect(back.from == i.from && back.from.count == 2 && back.steps == i.steps && back.time == i.time)
        #expect(back.steps.map(\.time) == [1_700_000_000_000_004, nil])
        let c = Self.checkpoint(9, sources: 2)
        guard case .checkpoint(let cb) = try PumpLogRecord.decode(PumpLogRecord.checkpoint(c).encode()) else {
            Issue.record("not a checkpoint")
            return
        }
        #expect(cb.positions == c.positions && cb.positions.count == 2 && cb.state == c.state)
        // A step with another number of positions than the intent's start is refused.
        var bad = i
        bad.steps[1].to = Self.positions(10)
        #expect(throws: FreshetError.self) { try PumpLogRecord.decode(PumpLogRecord.intent(bad).encode()) }
    }

    /// Logs written before pumps read two streams (record version 1: one position, no step
    /// times, table versions only when there are some) still load: one position each, step
    /// times nil (the re-run uses the pump's creation time, as the original run did).
    @Test func versionOneRecordsStillDecode() throws {
        func v1Position(_ p: TailPosition, _ w: inout StateWriter) { PumpLogRecord.write(p, &w) }
        var w = StateWriter()
        w.u8(1); w.u8(1)                       // version 1, intent
        w.u64(4); w.int(2)                     // batch, generation
        v1Position(Self.position(3), &w)       // from
        w.u32(2)                               // steps
        v1Position(Self.position(4), &w); w.bool(false); w.i64(0)
        v1Position(Self.position(5), &w); w.bool(true); w.i64(-77)
        w.i64(1_700_000_000_000_123)           // time
        w.u32(1); w.u32(16_384); PumpLogRecord.write([0: 5, 1: 7] as [Int: UInt64], &w)
        guard case .intent(let i) = try PumpLogRecord.decode(w.bytes) else {
            Issue.record("not an intent")
            return
        }
        #expect(i.batch == 4 && i.generation == 2 && i.from == [Self.position(3)] && i.time == 1_700_000_000_000_123)
        let wantSteps = [PumpLogRecord.Step(to: [Self.position(4)], watermark: nil, time: nil),
                         PumpLogRecord.Step(to: [Self.position(5)], watermark: -77, time: nil)]
        #expect(i.steps == wantSteps)
        #expect(i.starts == [16_384: [0: 5, 1: 7]] && i.tableVersions.isEmpty)
        // … with table versions after the starts.
        var withTables = w
        withTables.u32(1); withTables.u32(16_400); withTables.u64(9)
        guard case .intent(let it) = try PumpLogRecord.decode(withTables.bytes) else {
            Issue.record("not an intent")
            return
        }
        #expect(it.tableVersions == [16_400: 9])
        var c = StateWriter()
        c.u8(1); c.u8(2)                       // version 1, checkpoint
        c.u64(4); c.int(2)
        v1Position(Self.position(5), &c)
        c.blob([1, 2, 3]); c.i64(50); c.i64(20); c.i64(1)
        guard case .checkpoint(let cp) = try PumpLogRecord.decode(c.bytes) else {
            Issue.record("not a checkpoint")
            return
        }
        #expect(cp.batch == 4 && cp.positions == [Self.position(5)] && cp.state == [1, 2, 3] && cp.rowsIn == 50 && cp.rowsOut == 20 && cp.errors == 1)
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
