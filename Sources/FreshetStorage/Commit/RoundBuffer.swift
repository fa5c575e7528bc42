// RoundBuffer: the commit thread's own memory for one round's frames.
//
// The committer stamps sequence numbers and rowtimes into the frames and hands
// pointers to them to pwritev, after the staging call has returned. Those pointers must
// stay valid for the whole round, which a pointer obtained inside an Array's
// `withUnsafeMutableBytes` does not promise (it must not escape the closure). So each
// round copies every part's frames (one memcpy per part) into this buffer, allocated
// and grown here, before stamping them. It also leaves the producers' RecordInputs
// untouched, as a value type should be. The copy costs about as much as the
// copy-on-write the old scheme triggered anyway (see docs/storage-format.md,
// "Measured"), without allocating per round once the buffer has grown.

final class RoundBuffer {
    private(set) var base: UnsafeMutableRawPointer?
    private(set) var capacity = 0
    private var used = 0
    /// Capacity kept between rounds; a larger buffer (a bulk round) is freed after it.
    let retainedCapacity: Int

    init(retainedCapacity: Int = 16 << 20) {
        self.retainedCapacity = retainedCapacity
    }

    deinit { base?.deallocate() }

    /// Start a round that will copy at most `bytes` bytes. Pointers handed out by the
    /// previous round become invalid.
    func beginRound(bytes: Int) {
        used = 0
        guard bytes > capacity else { return }
        base?.deallocate()
        // Grow geometrically so that rounds of slowly increasing size do not reallocate
        // each time.
        capacity = max(bytes, min(capacity * 2, retainedCapacity), 64 << 10)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    /// Copy `source` into the buffer; the copy stays valid and unmoved until `endRound`.
    func copy(_ source: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
        let count = source.count
        precondition(used + count <= capacity, "round buffer sized too small")
        guard count > 0, let src = source.baseAddress else {
            return UnsafeMutableRawBufferPointer(start: nil, count: 0)
        }
        let dst = base! + used
        dst.copyMemory(from: src, byteCount: count)
        used += count
        return UnsafeMutableRawBufferPointer(start: dst, count: count)
    }

    /// The round is over: free a buffer grown past `retainedCapacity`.
    func endRound() {
        used = 0
        if capacity > retainedCapacity {
            base?.deallocate()
            base = nil
            capacity = 0
        }
    }
}
