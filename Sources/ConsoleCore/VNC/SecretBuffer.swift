import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of a secret (a VNC password being typed or held) in one allocation this buffer owns: never a String or
/// an Array, whose copies and reallocations leave the bytes behind in freed memory. Every byte is zeroed when it
/// is removed, when the buffer grows (the old allocation is zeroed before it is freed), on `wipe()` and on
/// deinit. A class, so assigning it shares the one allocation instead of copying the secret; the allocation is in
/// a Mutex because the UI thread wipes what a session thread may be reading.
public final class SecretBuffer: Sendable {
    private let storage: Mutex<SecretStorage>

    public init(capacity: Int = 32) { storage = Mutex(SecretStorage(capacity: capacity)) }

    /// A copy of `bytes` (the caller wipes the original).
    public convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(capacity: bytes.count)
        append(bytes)
    }

    public var count: Int { storage.withLock { $0.count } }
    public var isEmpty: Bool { count == 0 }

    public func append(_ bytes: UnsafeRawBufferPointer) { storage.withLock { $0.append(bytes) } }

    /// Appends a character's UTF-8 bytes.
    public func append(_ c: Character) {
        var s = String(c)
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Removes the last `n` bytes, zeroing them.
    public func removeLast(_ n: Int = 1) { storage.withLock { $0.removeLast(n) } }

    /// Removes the last UTF-8 character (all of its bytes), zeroing it.
    public func removeLastCharacter() { storage.withLock { $0.removeLastCharacter() } }

    /// Zeroes every byte of the allocation and empties the buffer.
    public func wipe() { storage.withLock { $0.wipe() } }

    /// The secret's bytes, valid only inside `body` (which runs under the lock: keep it short).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> sending R) -> sending R {
        storage.withLock { body($0.used) }
    }

    /// A copy of the whole allocation, used or not: for tests that check what is left in memory.
    package func allocationBytes() -> [UInt8] { storage.withLock { Array($0.whole) } }
}

/// The allocation itself, with its one owner (~Copyable): moved into the Mutex, never shared or copied.
struct SecretStorage: ~Copyable, @unchecked Sendable {   // a raw allocation owned alone: moved between threads, never shared
    private var bytes: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(capacity: Int) {
        bytes = .allocate(byteCount: max(1, capacity), alignment: 1)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        Self.zero(bytes)
        bytes.deallocate()
    }

    var used: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[0..<count]) }
    var whole: UnsafeRawBufferPointer { UnsafeRawBufferPointer(bytes) }

    mutating func append(_ more: UnsafeRawBufferPointer) {
        if count + more.count > bytes.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count * 2, count + more.count), alignment: 1)
            bigger.initializeMemory(as: UInt8.self, repeating: 0)
            bigger.copyMemory(from: used)
            Self.zero(bytes)
            bytes.deallocate()
            bytes = bigger
        }
        UnsafeMutableRawBufferPointer(rebasing: bytes[count..<(count + more.count)]).copyMemory(from: more)
        count += more.count
    }

    mutating func removeLast(_ n: Int) {
        let n = min(max(0, n), count)
        Self.zero(UnsafeMutableRawBufferPointer(rebasing: bytes[(count - n)..<count]))
        count -= n
    }

    mutating func removeLastCharacter() {
        guard count > 0 else { return }
        var i = count - 1
        while i > 0, bytes[i] & 0xC0 == 0x80 { i -= 1 }   // UTF-8 continuation bytes
        removeLast(count - i)
    }

    mutating func wipe() {
        Self.zero(bytes)
        count = 0
    }

    /// explicit_bzero: a plain loop of stores to memory about to be freed may be removed by the optimiser.
    private static func zero(_ b: UnsafeMutableRawBufferPointer) {
        guard let base = b.baseAddress, b.count > 0 else { return }
        explicit_bzero(base, b.count)
    }
}
