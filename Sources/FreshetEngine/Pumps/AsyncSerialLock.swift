/// Runs async critical sections one at a time, in arrival order (pump DDL awaits
/// the runner it stops while holding it, so an NSLock would not do).
actor AsyncSerialLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private func acquire() async {
        if !busy { busy = true; return }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }

    nonisolated func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let v = try await body()
            await release()
            return v
        } catch {
            await release()
            throw error
        }
    }
}
