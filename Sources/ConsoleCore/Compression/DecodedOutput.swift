/// What a decompressor writes into, which is also the window its matches copy from: one buffer that grows as
/// output really comes (never from a size a header merely claims) and never past `limit`. The decoders check
/// every length and distance against it before they copy; the preconditions here are the backstop that turns a
/// decoder bug into a trap rather than a write outside the buffer.
struct DecodedOutput: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var count = 0
    let limit: Int

    /// `expected` is a hint for the first allocation (clamped to 16 MiB and to `limit`).
    init(limit: Int, expected: Int = 1 << 16) {
        self.limit = max(0, limit)
        capacity = max(64, min(expected, self.limit, 16 << 20))
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Room for `n` more bytes; false when that would pass the limit.
    @inline(__always) mutating func reserve(_ n: Int) -> Bool {
        guard n >= 0, n <= limit - count else { return false }
        if n > capacity - count { grow(count + n) }
        return true
    }

    private mutating func grow(_ need: Int) {
        let newCapacity = min(limit, max(need, capacity * 2))
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = newCapacity
    }

    /// Appends one byte; false at the limit.
    @inline(__always) mutating func append(_ byte: UInt8) -> Bool {
        guard reserve(1) else { return false }
        base[count] = byte
        count += 1
        return true
    }

    /// Appends bytes; false (and nothing appended) if they would pass the limit.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard reserve(bytes.count) else { return false }
        if let from = bytes.baseAddress { (base + count).update(from: from, count: bytes.count) }
        count += bytes.count
        return true
    }

    /// Copies `length` bytes starting `distance` bytes back; overlapping copies repeat the pattern, as LZ77 means
    /// them. The caller has checked the distance and reserved the room.
    @inline(__always) mutating func copyMatch(distance: Int, length: Int) {
        precondition(distance >= 1 && distance <= count && length >= 0 && length <= capacity - count)
        var from = base + (count - distance), to = base + count
        if distance >= length {
            to.update(from: from, count: length)
        } else {
            for _ in 0..<length { to.pointee = from.pointee; to += 1; from += 1 }
        }
        count += length
    }

    /// The byte `back` positions before the end (1 = the last byte written).
    @inline(__always) func byte(back: Int) -> UInt8 {
        precondition(back >= 1 && back <= count)
        return base[count - back]
    }

    /// The bytes written since `start`, for in-place filters and checksums.
    func withBytes<R>(from start: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(start >= 0 && start <= count)
        return try body(UnsafeMutableBufferPointer(start: base + start, count: count - start))
    }

    /// Everything written, as an array.
    func array() -> [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
