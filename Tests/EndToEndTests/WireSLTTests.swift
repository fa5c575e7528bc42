import Foundation
import FreshetTestSupport
import Testing

/// The same .slt files as SQLLogicTests, over the wire with libpq against a
/// real server, one connection per file.
@Suite(.serialized) struct WireSLTTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SQLLogicTests/slt").path

    static func files() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            if f.hasSuffix(".slt") { out.append(f) }
        }
        return out.sorted()
    }

    @Test func allFilesOverLibPQ() async throws {
        let f = try ServerFixture()
        #expect(WireSLTTests.files().count >= 4)
        // Files that move the clock (`clock advance`) need the in-process ManualClock; the
        // server runs on the real clock, so they run in SQLLogicTests only.
        for name in WireSLTTests.files() where !SLTRunner.needsManualClock(WireSLTTests.root + "/" + name) {
            let c = try LibPQConnection(port: f.port)
            let failures = try await SLTRunner().run(file: WireSLTTests.root + "/" + name, executor: LibPQExecutor(connection: c))
            for fl in failures { Issue.record("over the wire: \(fl)") }
        }
    }
}
