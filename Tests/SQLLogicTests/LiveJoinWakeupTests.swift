import Dispatch
import FreshetCore
@testable import FreshetEngine
import FreshetTestSupport
import Testing

/// A live join of two streams is woken by a commit to either stream and by a cancel,
/// with nothing else to wake it: the reader's idle re-check is set to ten minutes, so
/// a reader that only waited on the first stream's signal (or only re-checked the
/// cancel flag now and then) would not see the row or the cancel before the test's
/// safety deadline. (Lives in this target because it can import the Engine.)
@Suite struct LiveJoinWakeupTests {
    /// The live query, handed to the task that reads it.
    final class Reader: @unchecked Sendable {
        let stream: LiveQueryStream
        init(_ s: LiveQueryStream) { stream = s }
    }

    static let longIdle: UInt64 = 600_000_000_000
    /// How long a read may take before the test gives up on it (a safety net: a woken reader takes milliseconds).
    static let safetyNanoseconds: UInt64 = 30_000_000_000

    static func run(_ session: Session, _ sql: String) async throws -> ExecutionResult {
        var last = ExecutionResult.empty
        for st in try session.parse(sql) {
            last = try await session.execute(try session.prepare(st, parameterTypes: []), parameters: [])
        }
        return last
    }

    static func open(_ session: Session, _ sql: String) async throws -> Reader {
        guard case .rows(let s) = try await run(session, sql), let live = s as? LiveQueryStream else {
            throw FreshetError(.internalError, "not a live query: \(sql)")
        }
        live.idleWaitNanoseconds = longIdle
        return Reader(live)
    }

    /// Read the next batch in a task, giving up (an empty batch) after the safety deadline.
    static func nextBatch(_ r: Reader) -> Task<[Row]?, any Error> {
        Task { try await r.stream.next(maxRows: 10, deadlineNanoseconds: DispatchTime.now().uptimeNanoseconds + safetyNanoseconds) }
    }

    @Test func aRowOnTheSecondStreamWakesTheJoinWhileTheFirstIsIdle() async throws {
        let dir = try TemporaryDirectory()
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: ManualClock(), segmentBytes: 1 << 20))
        let reader = engine.openSession(user: "freshet", database: "freshet")
        let writer = engine.openSession(user: "freshet", database: "freshet")
        _ = try await Self.run(writer, "CREATE STREAM orders (id INTEGER, item TEXT); CREATE STREAM shipments (order_id INTEGER, carrier TEXT)")
        _ = try await Self.run(writer, "INSERT INTO orders VALUES (1, 'book')")
        let q = try await Self.open(reader, """
            SELECT STREAM o.id, o.item, s.carrier FROM orders OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS o
              JOIN shipments AS s ON o.id = s.order_id START AT TRIM_HORIZON
            """)
        let first = Self.nextBatch(q)
        // Let the reader take the order and park (the result does not depend on this pause:
        // it only makes sure the shipment comes while the reader waits).
        try await Task.sleep(nanoseconds: 200_000_000)
        _ = try await Self.run(writer, "INSERT INTO shipments VALUES (1, 'ups')")
        let rows = try await first.value
        #expect(rows?.map { Array($0.prefix(3)) } == [[.int(1), .string("book"), .string("ups")]])

        // And again, with the first stream still idle: every shipment commit wakes it.
        let second = Self.nextBatch(q)
        try await Task.sleep(nanoseconds: 100_000_000)
        _ = try await Self.run(writer, "INSERT INTO shipments VALUES (1, 'dhl')")
        let more = try await second.value
        #expect(more?.count == 1 && more?.first?[2] == .string("dhl"))
        q.stream.close()
        await engine.shutdown()
    }

    @Test func aCancelEndsAParkedJoinAtOnce() async throws {
        let dir = try TemporaryDirectory()
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: ManualClock(), segmentBytes: 1 << 20))
        let reader = engine.openSession(user: "freshet", database: "freshet")
        _ = try await Self.run(reader, "CREATE STREAM a (k INTEGER); CREATE STREAM b (k INTEGER)")
        let q = try await Self.open(reader, "SELECT STREAM a.k FROM a OVER (RANGE INTERVAL '1' MINUTE PRECEDING) JOIN b ON a.k = b.k")
        let batch = Self.nextBatch(q)
        try await Task.sleep(nanoseconds: 100_000_000)
        reader.cancelHandle.cancel()
        let result = await batch.result
        guard case .failure(let e as FreshetError) = result else {
            Issue.record("the parked query did not end with an error on cancel: \(result)")
            return
        }
        #expect(e.state.code == "57014")
        q.stream.close()
        await engine.shutdown()
    }
}
