import Foundation
import FreshetCore
import FreshetEngine
import FreshetTestSupport
import Testing

/// Runs every .slt file under slt/ in process, through a fresh Engine and
/// Session per file (the same files run over the wire with libpq in
/// EndToEndTests/WireSLTTests.swift).
@Suite struct SQLLogicTests {
    static func files() -> [String] {
        guard let root = Bundle.module.resourcePath.map({ $0 + "/slt" }),
              let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            if f.hasSuffix(".slt") { out.append(f) }
        }
        // FRESHET_SLT_ONLY=substring runs only the matching files (while working on one).
        if let only = ProcessInfo.processInfo.environment["FRESHET_SLT_ONLY"], !only.isEmpty {
            out = out.filter { $0.contains(only) }
        }
        return out.sorted()
    }

    @Test func thereAreFiles() {
        #expect(SQLLogicTests.files().count >= 4 || ProcessInfo.processInfo.environment["FRESHET_SLT_ONLY"] != nil)
    }

    @Test(arguments: SQLLogicTests.files())
    func file(_ name: String) async throws {
        let dir = try TemporaryDirectory()
        // A ManualClock (2026-01-01 00:00:00 UTC) moved only by `clock advance`: ROWTIMEs and windows are deterministic.
        let clock = ManualClock(startMicros: 1_767_225_600_000_000)
        let engine = try Engine(configuration: EngineConfiguration(dataDirectory: dir.path + "/data", clock: clock, segmentBytes: 1 << 20))
        let session = engine.openSession(user: "freshet", database: "freshet")
        let path = Bundle.module.resourcePath! + "/slt/" + name
        // Rewrite mode edits the source file, not the copied resource.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("slt/" + name).path
        let target = ProcessInfo.processInfo.environment["FRESHET_SLT_REWRITE"] == "1" ? source : path
        let failures = try await SLTRunner().run(file: target, executor: EngineExecutor(session: session),
                                                 advanceClock: { clock.advance(micros: $0) })
        await engine.shutdown()
        for f in failures { Issue.record("\(f)") }
    }
}
