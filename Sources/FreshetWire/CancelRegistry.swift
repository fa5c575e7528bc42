import FreshetEngine
import Synchronization

/// The backends that a CancelRequest may address (protocol §55.2.8): each
/// session gets a process id and a random secret in BackendKeyData; a new
/// connection presenting both cancels that session's running statement.
/// Thread-safe; shared by all connections of a server.
final class CancelRegistry: Sendable {
    struct Key: Hashable, Sendable {
        var processID: Int32
        var secretKey: Int32
    }

    private struct State {
        var nextProcessID: Int32
        var entries: [Int32: (secret: Int32, handle: CancelHandle)] = [:]
    }

    private let state: Mutex<State>

    init(firstProcessID: Int32 = 1000) {
        state = Mutex(State(nextProcessID: firstProcessID))
    }

    /// Registers a session's cancel handle; returns its key for BackendKeyData.
    func register(_ handle: CancelHandle) -> Key {
        let secret = Int32.random(in: .min ... .max)
        return state.withLock { s in
            var pid = s.nextProcessID
            while s.entries[pid] != nil || pid <= 0 { pid = pid &+ 1 }
            s.nextProcessID = pid &+ 1
            s.entries[pid] = (secret, handle)
            return Key(processID: pid, secretKey: secret)
        }
    }

    func unregister(_ key: Key) {
        state.withLock { s in
            if s.entries[key.processID]?.secret == key.secretKey { s.entries[key.processID] = nil }
        }
    }

    /// Cancels the statement of the session with this key. Returns false, and
    /// does nothing, when the key is unknown or the secret is wrong.
    @discardableResult
    func cancel(_ key: Key) -> Bool {
        let handle: CancelHandle? = state.withLock { s in
            guard let entry = s.entries[key.processID], entry.secret == key.secretKey else { return nil }
            return entry.handle
        }
        handle?.cancel()
        return handle != nil
    }

    var count: Int { state.withLock { $0.entries.count } }
}
