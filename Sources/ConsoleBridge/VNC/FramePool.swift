import FleetCore
import Foundation
import Synchronization

/// Frame-sized buffers kept from one look to the next (the screen sampler's). Every look at a display fills two
/// frame-sized buffers (libvncclient's framebuffer and the session's copy of it); allocated fresh, each is a new
/// mapping (the process maps blocks over 256 KiB: CLibvirtShims) whose every page faults in zeroed on first touch
/// and is unmapped at the end of the look: over half of a look's CPU went there (perf, 500 displays). Reused, the
/// pages stay mapped. Bounded by count and bytes, not by the number of displays; `drain()` hands everything back
/// (the sampler does when it has no look under way, so an idle monitor keeps none).
///
/// A reused buffer holds an earlier picture: the session publishes a picture only once every pixel of it came
/// (FrameCoverage), so nothing stale is ever read as the display's; the same for the session's copy, whose covered
/// parts are copied from the framebuffer.
public final class FramePool: Sendable {
    public static let shared = FramePool(maxBuffers: 16, maxBytes: 96 << 20)

    public let maxBuffers: Int
    public let maxBytes: Int

    private struct State {
        /// Raw buffers (libvncclient's framebuffer): address and capacity in bytes.
        var raw: [(address: UInt, bytes: Int)] = []
        /// Pixel arrays (the session's copy): kept with their capacity, count zero.
        var arrays: [[UInt32]] = []
        var bytes = 0
        var reused = 0
    }
    private let state = Mutex(State())

    public init(maxBuffers: Int, maxBytes: Int) {
        self.maxBuffers = maxBuffers
        self.maxBytes = maxBytes
    }

    deinit { drain() }

    /// A buffer of at least `bytes` (the smallest kept one that fits, else a new one): its address and capacity.
    /// Its content is undefined. Give it back with `give(raw:bytes:)` or `free()` it.
    public func takeRaw(bytes: Int) -> (pointer: UnsafeMutableRawPointer, bytes: Int)? {
        let kept = state.withLock { s -> (UInt, Int)? in
            var best: Int?
            for (i, b) in s.raw.enumerated() where b.bytes >= bytes && b.bytes <= bytes * 2 {
                if best.map({ b.bytes < s.raw[$0].bytes }) ?? true { best = i }
            }
            guard let i = best else { return nil }
            let b = s.raw.remove(at: i)
            s.bytes -= b.bytes
            s.reused += 1
            return (b.address, b.bytes)
        }
        if let (a, n) = kept, let p = UnsafeMutableRawPointer(bitPattern: a) { return (p, n) }
        guard let p = malloc(max(1, bytes)) else { return nil }
        return (p, max(1, bytes))
    }

    /// Keeps a buffer from `takeRaw` (or frees it when the pool is full).
    public func give(raw pointer: UnsafeMutableRawPointer, bytes: Int) {
        let kept = state.withLock { s -> Bool in
            guard s.raw.count + s.arrays.count < maxBuffers, s.bytes + bytes <= maxBytes else { return false }
            s.raw.append((UInt(bitPattern: pointer), bytes))
            s.bytes += bytes
            return true
        }
        if !kept { free(pointer) }
    }

    /// An array of `count` pixels whose content is undefined (an earlier picture, or zeros when new), like a buffer
    /// from `takeRaw`.
    public func takePixels(count: Int) -> [UInt32] {
        // Bound straight to a var: one reference, so the changes below stay in the same storage.
        guard var a = state.withLock({ s -> [UInt32]? in
            var best: Int?
            for (i, a) in s.arrays.enumerated() where a.capacity >= count && a.capacity <= count * 2 {
                if best.map({ a.capacity < s.arrays[$0].capacity }) ?? true { best = i }
            }
            guard let i = best else { return nil }
            let a = s.arrays.remove(at: i)
            s.bytes -= a.capacity * 4
            s.reused += 1
            return a
        }) else { return [UInt32](repeating: 0, count: count) }
        // Within the capacity: no new storage, its pages already there. Only elements past the kept count are written.
        if a.count > count { a.removeLast(a.count - count) } else if a.count < count { a.append(contentsOf: repeatElement(0, count: count - a.count)) }
        return a
    }

    /// Keeps a pixel array for a later `takePixels` (`pixels` is left empty). Best given when nothing else holds
    /// the same storage (VNCSession.releasePicture): a copy still held elsewhere is copied by its next writer
    /// (correct, only slower).
    public func give(pixels: inout [UInt32]) {
        guard pixels.capacity > 0 else { return }
        var a = [UInt32]()
        swap(&a, &pixels)
        let bytes = a.capacity * 4
        state.withLock { s in
            guard s.raw.count + s.arrays.count < maxBuffers, s.bytes + bytes <= maxBytes else { return }
            s.bytes += bytes
            s.arrays.append(a)
        }
    }

    /// Hands every kept buffer back to the system.
    public func drain() {
        let (raw, arrays) = state.withLock { s -> ([(address: UInt, bytes: Int)], [[UInt32]]) in
            defer { s.raw = []; s.arrays = []; s.bytes = 0 }
            return (s.raw, s.arrays)
        }
        for b in raw { free(UnsafeMutableRawPointer(bitPattern: b.address)) }
        withExtendedLifetime(arrays) {}
    }

    /// Bytes kept now; buffers handed out again since the start (tests, benchmarks).
    public var keptBytes: Int { state.withLock { $0.bytes } }
    public var reuses: Int { state.withLock { $0.reused } }
}
