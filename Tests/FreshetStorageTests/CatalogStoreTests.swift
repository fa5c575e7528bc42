import Testing
import Foundation
@testable import FreshetStorage

@Suite struct CatalogStoreTests {
    @Test func writeReadReplace() throws {
        let dir = TempDir("catalog"); defer { dir.remove() }
        let store = CatalogStore(path: dir.file("catalog.json"))
        #expect(try store.read() == nil)
        try store.write(Array("{\"v\":1}".utf8))
        #expect(try store.read() == Array("{\"v\":1}".utf8))
        let big = [UInt8](repeating: 65, count: 100_000)
        try store.write(big)
        #expect(try store.read() == big)
        try store.write(Array("{}".utf8))   // shorter content fully replaces the longer one
        #expect(try store.read() == Array("{}".utf8))
        #expect(dir.files() == ["catalog.json"])  // no temporary file left behind
    }

    @Test func staleTemporaryFileDoesNotMatter() throws {
        let dir = TempDir("catalog"); defer { dir.remove() }
        let store = CatalogStore(path: dir.file("c"))
        try store.write([1, 2, 3])
        // A crash after writing the temporary file but before the rename leaves the old
        // content in place.
        FileManager.default.createFile(atPath: dir.file("c.tmp"), contents: Data([9, 9]))
        #expect(try store.read() == [1, 2, 3])
        try store.write([4])
        #expect(try store.read() == [4])
        #expect(dir.files() == ["c"])
    }

    @Test func missingDirectoryIsAnError() {
        let store = CatalogStore(path: "/tmp/freshet-no-such-dir-\(UUID().uuidString)/c")
        #expect(throws: StorageError.self) { try store.write([1]) }
    }
}
