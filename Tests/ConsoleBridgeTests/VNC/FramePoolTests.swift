import ConsoleBridge
import Testing

/// The frame buffers the sampler's looks pass on to each other: reused (same storage, no new pages), bounded, and
/// handed back on drain.
@Suite struct FramePoolTests {
    @Test func aGivenBufferIsReusedForTheNextFrameOfAboutItsSize() {
        let pool = FramePool(maxBuffers: 4, maxBytes: 64 << 20)
        var pixels = pool.takePixels(count: 800 * 600)
        #expect(pixels.count == 800 * 600)
        let storage = pixels.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        pool.give(pixels: &pixels)
        #expect(pixels.isEmpty && pool.keptBytes >= 800 * 600 * 4)
        let again = pool.takePixels(count: 720 * 400)
        #expect(again.count == 720 * 400 && again.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) } == storage)
        #expect(pool.reuses == 1 && pool.keptBytes == 0)
        // Far smaller than what is kept: a buffer of its own (a 4K frame's buffer is not spent on a tiny one).
        var big = pool.takePixels(count: 3840 * 2160)
        pool.give(pixels: &big)
        #expect(pool.takePixels(count: 640 * 480).capacity < 3840 * 2160 && pool.reuses == 1)

        let raw = pool.takeRaw(bytes: 1 << 20)!
        pool.give(raw: raw.pointer, bytes: raw.bytes)
        #expect(pool.takeRaw(bytes: 900 << 10)!.pointer == raw.pointer)
    }

    @Test func thePoolIsBoundedAndDrains() {
        let pool = FramePool(maxBuffers: 2, maxBytes: 64 << 20)
        for _ in 0..<3 {
            var p = [UInt32](repeating: 1, count: 1 << 18)
            pool.give(pixels: &p)
        }
        #expect(pool.keptBytes >= 2 << 20 && pool.keptBytes < 3 << 20, "two buffers of 1 MiB kept, the third freed: \(pool.keptBytes)")
        let tiny = FramePool(maxBuffers: 8, maxBytes: 1 << 20)
        var p = [UInt32](repeating: 1, count: 1 << 19)   // 2 MiB: over the byte limit
        tiny.give(pixels: &p)
        #expect(tiny.keptBytes == 0)
        pool.drain()
        #expect(pool.keptBytes == 0)
    }
}
