import Testing
import ConsoleCore

@Suite struct FrameCoverageTests {
    @Test func aWholeFrameRectangleCompletesIt() {
        var c = FrameCoverage(width: 800, height: 600)
        #expect(!c.isComplete && c.missing == 480_000)
        c.add(VNCRect(x: 0, y: 0, width: 800, height: 600))
        #expect(c.isComplete && c.missing == 0)
    }

    /// qemu-xen's PV framebuffer before its first whole picture: only the blinking cursor's rectangle, again and again.
    @Test func repeatedSmallUpdatesNeverMakeAPicture() {
        var c = FrameCoverage(width: 800, height: 600)
        for _ in 0..<50 { c.add(VNCRect(x: 80, y: 190, width: 16, height: 2)) }
        #expect(!c.isComplete && c.missing == 480_000 - 32)
    }

    /// Tiles, strips and overlaps (hextile, tight and QEMU split a picture into many rectangles), odd widths across
    /// 64-pixel words, rectangles reaching past the edge.
    @Test func manyOverlappingPiecesCompleteItExactlyWhenTheLastPixelComes() {
        var c = FrameCoverage(width: 130, height: 7)
        for y in stride(from: 0, to: 7, by: 2) { c.add(VNCRect(x: 0, y: y, width: 70, height: 2)) }
        #expect(c.missing == 130 * 7 - 70 * 7)
        c.add(VNCRect(x: 60, y: 0, width: 200, height: 6))   // past the right edge: clipped
        #expect(c.missing == 60)                              // the last row's x 70..<130
        c.add(VNCRect(x: 69, y: 6, width: 60, height: 5))     // one pixel short, past the bottom
        #expect(c.missing == 1 && !c.isComplete)
        c.add(VNCRect(x: 129, y: 6, width: 1, height: 1))
        #expect(c.isComplete)
        c.add(VNCRect(x: -5, y: -5, width: 3, height: 3))     // outside: nothing, no trap
        #expect(c.isComplete)
    }

    @Test func anEmptyFramebufferIsCompleteAtOnce() {
        #expect(FrameCoverage(width: 0, height: 0).isComplete)
        #expect(FrameCoverage(width: 64, height: 0).isComplete)
    }
}
