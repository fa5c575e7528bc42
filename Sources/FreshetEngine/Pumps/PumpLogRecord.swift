import FreshetCore
import FreshetRuntime
import FreshetStreams

/// A record of a pump's checkpoint log (docs/continuous-queries.md, "Exactly once").
///
/// Per output batch the pump appends, durably before the next step:
/// 1. an `Intent`: the reads (steps) since the previous batch (or the checkpoint, when
///    one was written since) — per source stream the rows up to each step's position,
///    the watermark it advanced to, the time it ran at; only the last step had output —,
///    the batch's time, and where each stream it writes (target, error_stream) ends now;
/// 2. (the output rows, tagged with the pump's oid and the batch number, go to the
///    target streams through the ordinary group commit);
/// and now and then (at most 64 steps or 1 s apart, see PumpRunner) a `Checkpoint`: the
/// last batch number, the read position per source, the operator state.
///
/// On restart the intents after the last checkpoint are re-run from it in order; all but
/// the last are complete (an intent is appended only after the previous batch's output
/// is durable), the last one's missing rows are written.
///
/// Positions are per source stream, in the pipeline's input order: one for a pump
/// reading one stream, two (left, right) for a join of two streams.
///
/// Format versions (the first byte): 1 (one source, no step times; still read: a
/// step of it has `time` nil), 2 (a count of positions before each position list, a
/// time per step, the table versions always present; an intent follows the checkpoint
/// of the batch before it) and 3 (written now: the layout of 2; an intent may follow the
/// intent of the batch before it, its `from` being that batch's last position — so a
/// server that knows only versions 1 and 2 refuses the log instead of misreading it).
enum PumpLogRecord {
    /// One read of the pump: per source, the rows up to `to[i]` pushed (as input i), then
    /// (when set) the pipeline advanced to `watermark`; its expressions' statement time
    /// (CURRENT_ROW_TIMESTAMP, CURRENT_TIMESTAMP, …) was `time` (nil: the pump's
    /// creation time, as before version 2).
    struct Step: Equatable {
        var to: [TailPosition]
        var watermark: Int64?
        var time: Int64?
    }

    struct Intent {
        var batch: UInt64
        var generation: Int
        /// Where the first step starts, one position per source: the previous batch's last
        /// step's, or the checkpoint's when the record before is a checkpoint.
        var from: [TailPosition]
        /// The steps since `from`; only the last one had output.
        var steps: [Step]
        /// The batch's time (ERROR_TIME of its error rows; the last step's time).
        var time: Int64
        /// Per stream written (oid): each shard's next sequence number before the batch.
        var starts: [UInt32: [Int: UInt64]]
        /// The version of each table a stream–table join read (oid → version) when the
        /// batch first ran; a re-run compares it with the table's version then. (In
        /// version 1, written after `starts` only when not empty.)
        var tableVersions: [UInt32: UInt64] = [:]
    }

    struct Checkpoint {
        /// The last batch whose output is durable (0: none yet).
        var batch: UInt64
        var generation: Int
        /// The read position per source stream.
        var positions: [TailPosition]
        var state: [UInt8]
        var rowsIn: Int64
        var rowsOut: Int64
        var errors: Int64
    }

    case intent(Intent)
    case checkpoint(Checkpoint)

    /// The version written.
    static let version: UInt8 = 3

    func encode() -> [UInt8] {
        var bytes: [UInt8] = []
        encode(into: &bytes)
        return bytes
    }

    /// Append the encoding to `bytes` (a checkpoint's state is copied once, straight into
    /// the log's frame buffer, not through a writer of its own first).
    func encode(into bytes: inout [UInt8]) {
        if case .checkpoint(let c) = self {
            var w = StateWriter()
            w.u8(PumpLogRecord.version)
            w.u8(2)
            w.u64(c.batch)
            w.int(c.generation)
            PumpLogRecord.write(c.positions, &w)
            w.u32(UInt32(c.state.count))
            bytes.reserveCapacity(bytes.count + w.bytes.count + c.state.count + 24)
            bytes.append(contentsOf: w.bytes)
            bytes.append(contentsOf: c.state)
            var t = StateWriter()
            t.i64(c.rowsIn)
            t.i64(c.rowsOut)
            t.i64(c.errors)
            bytes.append(contentsOf: t.bytes)
            return
        }
        var w = StateWriter()
        w.u8(PumpLogRecord.version)
        switch self {
        case .intent(let i):
            w.u8(1)
            w.u64(i.batch)
            w.int(i.generation)
            PumpLogRecord.write(i.from, &w)
            w.u32(UInt32(i.steps.count))
            for step in i.steps {
                PumpLogRecord.write(step.to, &w)
                w.bool(step.watermark != nil)
                w.i64(step.watermark ?? 0)
                w.bool(step.time != nil)
                w.i64(step.time ?? 0)
            }
            w.i64(i.time)
            w.u32(UInt32(i.starts.count))
            for oid in i.starts.keys.sorted() {
                w.u32(oid)
                PumpLogRecord.write(i.starts[oid]!, &w)
            }
            w.u32(UInt32(i.tableVersions.count))
            for oid in i.tableVersions.keys.sorted() { w.u32(oid); w.u64(i.tableVersions[oid]!) }
        case .checkpoint:
            preconditionFailure("encoded above")
        }
        bytes.append(contentsOf: w.bytes)
    }

    static func decode(_ bytes: [UInt8]) throws -> PumpLogRecord {
        var r = StateReader(bytes)
        let version = try r.u8()
        guard (1...3).contains(version) else { throw r.corrupt() }
        // Version 1 holds one source's position where version 2 holds a list.
        func positions(_ r: inout StateReader) throws -> [TailPosition] {
            version == 1 ? [try readPosition(&r)] : try readPositions(&r)
        }
        switch try r.u8() {
        case 1:
            let batch = try r.u64(), generation = try r.int()
            let from = try positions(&r)
            var steps: [Step] = []
            for _ in 0..<Int(try r.u32()) {
                let to = try positions(&r)
                guard to.count == from.count else { throw r.corrupt() }
                let hasWatermark = try r.bool()
                let watermark = try r.i64()
                var time: Int64?
                if version >= 2 {
                    let hasTime = try r.bool()
                    let t = try r.i64()
                    time = hasTime ? t : nil
                }
                steps.append(Step(to: to, watermark: hasWatermark ? watermark : nil, time: time))
            }
            let time = try r.i64()
            var starts: [UInt32: [Int: UInt64]] = [:]
            for _ in 0..<Int(try r.u32()) {
                let oid = try r.u32()
                starts[oid] = try readSequences(&r)
            }
            var tableVersions: [UInt32: UInt64] = [:]
            if version >= 2 || !r.isAtEnd {
                for _ in 0..<Int(try r.u32()) {
                    let oid = try r.u32()
                    tableVersions[oid] = try r.u64()
                }
            }
            guard r.isAtEnd else { throw r.corrupt() }
            return .intent(Intent(batch: batch, generation: generation, from: from, steps: steps, time: time, starts: starts,
                                  tableVersions: tableVersions))
        case 2:
            let batch = try r.u64(), generation = try r.int()
            let positions = try positions(&r)
            let state = try r.blob()
            let c = Checkpoint(batch: batch, generation: generation, positions: positions, state: state,
                               rowsIn: try r.i64(), rowsOut: try r.i64(), errors: try r.i64())
            guard r.isAtEnd else { throw r.corrupt() }
            return .checkpoint(c)
        default:
            throw r.corrupt()
        }
    }

    /// A list of positions (version 2): their count (1 or 2), then each.
    static func write(_ positions: [TailPosition], _ w: inout StateWriter) {
        w.u8(UInt8(positions.count))
        for p in positions { write(p, &w) }
    }

    static func readPositions(_ r: inout StateReader) throws -> [TailPosition] {
        let n = Int(try r.u8())
        guard (1...2).contains(n) else { throw r.corrupt() }
        return try (0..<n).map { _ in try readPosition(&r) }
    }

    static func write(_ s: [Int: UInt64], _ w: inout StateWriter) {
        w.u32(UInt32(s.count))
        for k in s.keys.sorted() { w.int(k); w.u64(s[k]!) }
    }

    static func readSequences(_ r: inout StateReader) throws -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        for _ in 0..<Int(try r.u32()) { out[try r.int()] = try r.u64() }
        return out
    }

    static func write(_ p: TailPosition, _ w: inout StateWriter) {
        write(p.next, &w)
        w.u32(UInt32(p.finished.count))
        for f in p.finished.sorted() { w.int(f) }
        w.bool(p.included != nil)
        let inc = (p.included ?? []).sorted()
        w.u32(UInt32(inc.count))
        for i in inc { w.int(i) }
    }

    static func readPosition(_ r: inout StateReader) throws -> TailPosition {
        let next = try readSequences(&r)
        var finished = Set<Int>()
        for _ in 0..<Int(try r.u32()) { finished.insert(try r.int()) }
        let hasIncluded = try r.bool()
        var included = Set<Int>()
        for _ in 0..<Int(try r.u32()) { included.insert(try r.int()) }
        return TailPosition(next: next, finished: finished, included: hasIncluded ? included : nil)
    }
}
