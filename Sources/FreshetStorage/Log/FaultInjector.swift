// FaultInjector: a test seam that makes chosen system calls of FileIO fail, to exercise
// the failure paths of the log (an aborted round is undone; a failed fdatasync makes
// the log refuse writes until reopened) without a broken disk.
//
// Rules match a call kind and a path prefix (each test uses its own directory, so
// tests running in parallel do not see each other's faults). When no rule is armed
// the cost on the I/O path is one relaxed atomic load.

import Foundation
import Synchronization

final class FaultInjector: @unchecked Sendable {
    enum Call: Sendable { case write, fdatasync, fsync, ftruncate, unlink }

    struct Rule: Sendable {
        var call: Call
        /// Applies to paths starting with this (typically a test's directory).
        var pathPrefix: String
        /// And ending with this ("" for any), e.g. ".log" for segment files only.
        var pathSuffix: String = ""
        /// The errno reported (e.g. ENOSPC, EIO).
        var errorNumber: Int32
        /// Let this many matching calls succeed first.
        var skip: Int = 0
        /// Fail this many matching calls, then retire the rule.
        var times: Int = 1
        /// For writes: write this many bytes of the call first, then fail (a short
        /// write followed by an error, as when the disk fills up mid-write).
        var partialBytes: Int = 0
    }

    static let shared = FaultInjector()
    private static let armed = Atomic<Int>(0)
    private let lock = NSLock()
    private var rules: [Rule] = []

    /// Add a rule (tests). Returns nothing; `clear(pathPrefix:)` removes it.
    func add(_ rule: Rule) {
        lock.lock(); defer { lock.unlock() }
        rules.append(rule)
        FaultInjector.armed.store(rules.count, ordering: .releasing)
    }

    /// Remove the rules of a directory (tests, at the end).
    func clear(pathPrefix: String) {
        lock.lock(); defer { lock.unlock() }
        rules.removeAll { $0.pathPrefix == pathPrefix }
        FaultInjector.armed.store(rules.count, ordering: .releasing)
    }

    /// The fault to inject for `call` on `path`, if any: (errno, bytes to write first).
    @inline(__always)
    static func check(_ call: Call, _ path: String) -> (errorNumber: Int32, partialBytes: Int)? {
        if armed.load(ordering: .relaxed) == 0 { return nil }
        return shared.match(call, path)
    }

    private func match(_ call: Call, _ path: String) -> (errorNumber: Int32, partialBytes: Int)? {
        lock.lock(); defer { lock.unlock() }
        guard let i = rules.firstIndex(where: {
            $0.call == call && path.hasPrefix($0.pathPrefix) && path.hasSuffix($0.pathSuffix)
        }) else { return nil }
        if rules[i].skip > 0 {
            rules[i].skip -= 1
            return nil
        }
        let rule = rules[i]
        rules[i].times -= 1
        if rules[i].times <= 0 {
            rules.remove(at: i)
            FaultInjector.armed.store(rules.count, ordering: .releasing)
        }
        return (rule.errorNumber, rule.partialBytes)
    }
}
