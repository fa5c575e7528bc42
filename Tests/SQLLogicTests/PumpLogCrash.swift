import Foundation
import FreshetCore
@testable import FreshetEngine
import FreshetStorage
import FreshetTestSupport

/// What a crash right after a pump's intent leaves, made by hand for recovery tests: the
/// pump's log rewritten with only `records`, then a fresh engine on the data directory,
/// waited on until the pump has recovered through `batch` (or ~4 s passed).
enum PumpLogCrash {
    static func restart(keeping records: [PumpLogRecord], logDirectory: String, committer: GroupCommitter, dataDirectory: String,
                        clock: ManualClock, until batch: UInt64) async throws -> (engine: Engine, session: Session, batch: UInt64) {
        try FileManager.default.removeItem(atPath: logDirectory)
        let rewritten = try PumpCheckpointLog(directory: logDirectory, committer: committer, clock: clock)
        for r in records { try await rewritten.append(r) }
        rewritten.close()

        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dataDirectory, clock: clock, segmentBytes: 1 << 20))
        let session = engine.openSession(user: "t", database: "t")
        var reached: UInt64 = 0
        for _ in 0..<200 {
            reached = engine.pumpsWithRunners().first?.runner?.stats.batch ?? 0
            if reached >= batch { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return (engine, session, reached)
    }
}
