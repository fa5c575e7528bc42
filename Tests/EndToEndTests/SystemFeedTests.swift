import Foundation
import FreshetTestSupport
import Testing

/// `COPY (SELECT STREAM … FROM sys.…) TO STDOUT` against the built server: catalog
/// changes made on another connection arrive as they happen, one CopyData per row.
@Suite(.serialized) struct SystemFeedTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var text = ""
        var outcome = ""
    }

    @Test func copySelectStreamOverSysShardsFollowsReshards() throws {
        let f = try ServerFixture()
        let reader = try LibPQConnection(port: f.port)
        let writer = try LibPQConnection(port: f.port)
        let got = Box()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            do {
                // 2 shards created, 1 closed and 2 children by the split, then the stream's drop: 2 + 3 + 4 = 9 rows.
                try reader.copyOut("COPY (SELECT STREAM shard_id, parent_shard_id, open, _change FROM sys.shards WHERE stream_name = 'live_sf' LIMIT 9) TO STDOUT") { chunk in
                    got.lock.withLock { got.text += chunk }
                    return true
                }
                got.lock.withLock { got.outcome = "completed" }
            } catch {
                got.lock.withLock { got.outcome = "\(error)" }
            }
            done.signal()
        }
        func waitFor(_ lines: Int) -> Bool {
            for _ in 0..<200 {
                if got.lock.withLock({ got.text.split(separator: "\n").count }) >= lines { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        // The live query starts AT LATEST: give it time to start before the first change.
        Thread.sleep(forTimeInterval: 0.3)
        try writer.exec("CREATE STREAM live_sf (k TEXT) WITH (shards = 2, partition_key = 'k')")
        #expect(waitFor(2), "the CREATE did not reach the feed")
        try writer.exec("ALTER STREAM live_sf SPLIT SHARD 'shardId-000000000000' AT '12345'")
        #expect(waitFor(5), "the split did not reach the feed")
        try writer.exec("DROP STREAM live_sf")
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(got.lock.withLock { got.outcome } == "completed")
        let lines = got.lock.withLock { got.text }.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(5)) == [
            "shardId-000000000000\t\\N\tt\tinsert",
            "shardId-000000000001\t\\N\tt\tinsert",
            "shardId-000000000000\t\\N\tf\tupdate",
            "shardId-000000000002\tshardId-000000000000\tt\tinsert",
            "shardId-000000000003\tshardId-000000000000\tt\tinsert",
        ])
        #expect(lines.dropFirst(5).sorted() == [
            "shardId-000000000000\t\\N\tf\tdelete",
            "shardId-000000000001\t\\N\tt\tdelete",
            "shardId-000000000002\tshardId-000000000000\tt\tdelete",
            "shardId-000000000003\tshardId-000000000000\tt\tdelete",
        ])
    }
}
