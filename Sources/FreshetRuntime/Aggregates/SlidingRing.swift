/// A double-ended queue in one contiguous ring (power-of-two capacity, masked
/// indexes): the storage of a sliding window's rows. Appends at the back, removes
/// at both ends, reads any position — all O(1), no allocation once it has grown
/// to the window's size. Freed slots are overwritten with `filler`, so a removed
/// value (a string, say) is released at once; the ring shrinks when it is mostly
/// empty, so a burst does not pin its memory for the life of the query.
struct SlidingRing<Element> {
    private var storage: ContiguousArray<Element>
    private var head = 0
    private(set) var count = 0
    private let filler: Element
    static var minimumCapacity: Int { 8 }

    init(filler: Element) {
        self.filler = filler
        storage = []
    }

    var isEmpty: Bool { count == 0 }
    var capacity: Int { storage.count }

    /// Element `i` counted from the front (0 is the oldest).
    subscript(i: Int) -> Element {
        get { storage[(head &+ i) & (storage.count &- 1)] }
        set { storage[(head &+ i) & (storage.count &- 1)] = newValue }
    }

    var first: Element { self[0] }
    var last: Element { self[count - 1] }

    mutating func append(_ e: Element) {
        if count == storage.count { resize(to: max(Self.minimumCapacity, storage.count * 2)) }
        storage[(head &+ count) & (storage.count &- 1)] = e
        count += 1
    }

    @discardableResult
    mutating func removeFirst() -> Element {
        let e = storage[head]
        storage[head] = filler
        head = (head &+ 1) & (storage.count &- 1)
        count -= 1
        shrinkIfSparse()
        return e
    }

    @discardableResult
    mutating func removeLast() -> Element {
        let i = (head &+ count &- 1) & (storage.count &- 1)
        let e = storage[i]
        storage[i] = filler
        count -= 1
        shrinkIfSparse()
        return e
    }

    mutating func removeAll() {
        storage = []
        head = 0
        count = 0
    }

    private mutating func shrinkIfSparse() {
        if storage.count > 64 && count * 8 <= storage.count { resize(to: storage.count / 4) }
    }

    private mutating func resize(to newCapacity: Int) {
        var fresh = ContiguousArray(repeating: filler, count: newCapacity)
        for i in 0..<count { fresh[i] = self[i] }
        storage = fresh
        head = 0
    }
}
