import Dispatch
import FreshetCore
import FreshetPlanner
import FreshetStreams

/// COPY … FROM STDIN: cuts the incoming bytes into chunks of whole records
/// (`CopyRecordScanner`, ~1 MiB each) and hands each chunk to the parse threads
/// (`CopyParsePool`), which split lines and fields (text or CSV format, as
/// PostgreSQL defines them) and parse each field straight into the encoded row
/// (RowEncoder) inside its shard's record buffer — no `Value`s and no per-row
/// allocation. So the session's thread only copies and scans bytes while the
/// other core parses, and chunks are parsed in parallel when both cores are free.
///
/// Order: each chunk's rows form one `PendingWrite`, and the writes are committed
/// in chunk order, so rows keep their input order within each shard.
///
/// Atomicity: nothing is visible until CopyDone: `finish` makes all rows durable in
/// one commit, so a COPY that fails on any row stores none of them, and the
/// error names the line (line numbers are counted by the scanner, so a chunk knows
/// the number of its first line) and column; with several bad lines, the first is
/// reported. A small COPY's encoded rows wait in memory until then (about the size
/// of the input plus 40 bytes a row). Once they pass `stageAfterBytes` (and outside a
/// transaction block), the COPY is *staged*: each parsed chunk's rows are written, in
/// chunk order, to per-shard staging files (StagedStreamWrite) while the next chunks
/// are parsed, and CopyDone links those files in as segments in one staged commit
/// (sequence numbers and the one ROWTIME stamped in place, fdatasync, commit-journal
/// link entry) — memory stays bounded, and the write overlaps the parsing. On an
/// error, CopyFail or a lost connection the staging files are deleted (and a crash
/// leaves none: the logs delete them when opened). Raw input waits for at most
/// `maxChunksInFlight` chunks. After a large COPY the freed memory is given back to the system
/// (`malloc_trim`): glibc kept it otherwise (its mmap threshold rises to 32 MiB
/// after the first large free, so later buffers come from heaps it does not
/// shrink), and RSS grew by a COPY's size every few COPYs with 1 MB in use.
final class CopyInReceiver: CopyInHandler {
    let plan: CopyFromPlan
    unowned let session: Session
    let columnCount: Int
    let isBinary = false

    /// Bytes not yet handed to a parse thread; begins at the start of a record.
    private var chunk: [UInt8] = []
    /// Where the last complete record in `chunk` ends (0: none yet).
    private var recordsEnd = 0
    /// Records in `chunk[0..<recordsEnd]`.
    private var recordsInChunk = 0
    /// Lines (records) handed over so far: the number of the next chunk's first line, minus one.
    private var linesHandedOver = 0
    private var scanner: CopyRecordScanner
    private let results = CopyChunkResults(maxInFlight: CopyInReceiver.maxChunksInFlight,
                                           stageAfterBytes: CopyInReceiver.stageAfterBytes,
                                           maxHeldBytes: CopyInReceiver.maxHeldBytes)
    private var failed: FreshetError?
    /// The target stream and its partition key column, looked up on first use.
    private var target: (store: StreamStore, keyName: String?)?

    /// A chunk is handed over once it holds this many bytes of whole records.
    static let chunkBytes = 1 << 20
    static let chunkCapacity = chunkBytes + 64 << 10
    static let maxChunksInFlight = 4
    /// COPYs whose encoded rows took more than this give memory back when done.
    static let trimAfterBytes = 16 << 20
    /// A COPY whose parsed rows pass this many bytes is staged (see above).
    static let stageAfterBytes = 8 << 20
    /// When staged, the receiver waits while more parsed bytes than this wait to be written.
    static let maxHeldBytes = 8 << 20

    init(plan: CopyFromPlan, session: Session) {
        self.plan = plan
        self.session = session
        columnCount = plan.fieldColumns.count
        scanner = CopyRecordScanner(csvQuote: plan.format.format == .csv ? plan.format.quote : nil)
    }

    private func resolveTarget() throws -> (store: StreamStore, keyName: String?) {
        if let target { return target }
        let t = (store: try session.engine.store(for: plan.target.oid),
                 keyName: session.engine.partitionKeyColumn(of: plan.target.oid))
        target = t
        if session.transactionStatus != .inTransaction {
            let store = t.store
            results.allowStaging { StagedStreamWrite(store: store) }
        }
        return t
    }

    func receive(_ bytes: UnsafeRawBufferPointer) throws {
        if let failed { throw failed }
        do {
            let t = try resolveTarget()
            let (end, records) = scanner.scan(bytes)
            if records > 0 {
                recordsEnd = chunk.count + end
                recordsInChunk += records
            }
            if chunk.capacity == 0 { chunk.reserveCapacity(CopyInReceiver.chunkCapacity) }
            chunk.append(contentsOf: bytes)
            if chunk.count >= CopyInReceiver.chunkBytes && recordsEnd > 0 { handOver(store: t.store, keyName: t.keyName) }
            if let e = results.settledFailure() { throw e }
        } catch let e as FreshetError {
            failed = e
            throw e
        }
    }

    /// Hand `chunk[0..<recordsEnd]` to a parse thread; keep the incomplete record.
    private func handOver(store: StreamStore, keyName: String?) {
        var tail: [UInt8] = []
        tail.reserveCapacity(CopyInReceiver.chunkCapacity)
        tail.append(contentsOf: chunk[recordsEnd...])
        chunk.removeSubrange(recordsEnd...)
        let whole = chunk
        let firstLine = linesHandedOver
        let records = recordsInChunk
        linesHandedOver += recordsInChunk
        chunk = tail
        recordsEnd = 0
        recordsInChunk = 0
        let index = results.reserve()
        let plan = self.plan
        let results = self.results
        CopyParsePool.shared.submit {
            if results.isAborted { return results.complete(index, .failed(FreshetError(.queryCanceled, "COPY aborted"))) }
            var p = CopyRowParser(plan: plan, keyName: keyName, store: store,
                                  reservingBytesPerShard: CopyInReceiver.reserve(bytes: whole.count, records: records, store: store))
            p.lineNumber = firstLine
            do {
                _ = try whole.withUnsafeBytes { try p.process($0) }
                results.complete(index, .parsed(p.builder.finish(), rows: p.rowCount, inputBytes: whole.count,
                                                sawEndMarker: p.sawEndMarker))
            } catch let e as FreshetError {
                results.complete(index, .failed(e))
            } catch {
                results.complete(index, .failed(FreshetError(.internalError, "COPY: \(error)")))
            }
        }
    }

    /// Bytes to reserve per shard for a chunk: each record adds a 32-byte frame, its key
    /// and a few bytes of row header to its text, spread evenly over the shards.
    static func reserve(bytes: Int, records: Int, store: StreamStore) -> Int {
        let shards = max(1, store.shards.count)
        return (bytes + records * 56) / shards * 9 / 8 + 4096
    }

    func finish() async throws -> String {
        if let failed { throw failed }
        let t = try resolveTarget()
        await results.drain()
        let stage = results.stage
        defer { stage?.discard() }
        var pending: [PendingWrite] = []
        var rows = 0
        var ended = false
        var heldBytes = 0
        defer { if heldBytes > CopyInReceiver.trimAfterBytes { CopyInReceiver.giveMemoryBack() } }
        for slot in results.take() {
            switch slot {
            case .waiting:
                throw FreshetError(.internalError, "COPY: a chunk was not parsed")
            case .failed(let e):
                failed = e
                throw e
            case .parsed(let w, let n, let bytes, let end):
                rows += n
                heldBytes += bytes
                if n > 0 {
                    if let stage { try stage.append(w) } else { pending.append(w) }
                }
                ended = end
            case .staged(let n, let bytes, let end):
                rows += n
                heldBytes += bytes
                ended = end
            }
            if ended { break }
        }
        if !ended && !chunk.isEmpty {
            // The last chunk (smaller than a chunk's size), parsed here.
            var p = CopyRowParser(plan: plan, keyName: t.keyName, store: t.store)
            p.lineNumber = linesHandedOver
            let rest = chunk
            chunk = []
            do {
                try rest.withUnsafeBytes { buf in
                    let consumed = try p.process(buf)
                    if !p.sawEndMarker && consumed < buf.count {
                        var end = buf.count
                        if buf[end - 1] == 0x0D { end -= 1 }
                        try p.line(UnsafeRawBufferPointer(rebasing: buf[consumed..<end]))
                    }
                }
            } catch let e as FreshetError {
                failed = e
                throw e
            }
            if p.rowCount > 0 {
                heldBytes += rest.count
                if let stage { try stage.append(p.builder.finish()) } else { pending.append(p.builder.finish()) }
                rows += p.rowCount
            }
        }
        chunk = []
        if let stage {
            _ = try await session.engine.committer.commit(stage)
            return "COPY \(rows)"
        }
        if session.transactionStatus == .inTransaction {
            session.pendingWrites.append(contentsOf: pending)
        } else if !pending.isEmpty {
            _ = try await session.engine.commit(pending)
            pending = []
        }
        return "COPY \(rows)"
    }

    func abort(reason: String) {
        results.abort()
        results.stage?.discard()
        chunk = []
        if linesHandedOver > 0 { CopyInReceiver.giveMemoryBack() }
    }

    /// A handler dropped without `finish` or `abort` (its task was cancelled) leaves
    /// no staging files behind.
    deinit {
        results.abort()
        results.stage?.discard()
    }

    /// Return the freed pages of a large COPY to the system. The buffers are freed
    /// only after the acknowledgement (the group committer drops its round buffer
    /// and the submission's records after resuming the waiters), so the trim runs a
    /// moment later, off every hot path (it walks every malloc arena).
    static func giveMemoryBack() {
        #if os(Linux)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { _ = glibcMallocTrim(0) }
        #endif
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (malloc.h, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
