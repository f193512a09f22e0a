/// Which pixels of a framebuffer have come from the server since a starting point (the framebuffer's allocation, or
/// a request for the whole picture). A client's framebuffer starts out zeroed, which looks like a black screen: a
/// picture can be believed only once every pixel of it came at least once. A slow server may answer the first
/// request with pseudo-rectangles only and then send small changes (a blinking cursor) long before the whole picture
/// (qemu-xen's PV framebuffer in an emulated dom0: ~20 s).
public struct FrameCoverage: Sendable {
    public let width: Int
    public let height: Int
    /// Pixels not received yet.
    public private(set) var missing: Int
    private let wordsPerRow: Int
    /// One bit per pixel, row by row; dropped once complete.
    private var bits: [UInt64]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        missing = self.width * self.height
        wordsPerRow = (self.width + 63) / 64
        bits = missing > 0 ? [UInt64](repeating: 0, count: wordsPerRow * self.height) : []
    }

    public var isComplete: Bool { missing == 0 }

    /// Marks the pixels of `rect` (clipped to the framebuffer) as received.
    public mutating func add(_ rect: VNCRect) {
        guard missing > 0 else { return }
        let r = rect.clipped(width: width, height: height)
        guard !r.isEmpty else { return }
        let end = r.x + r.width
        bits.withUnsafeMutableBufferPointer { b in
            for y in r.y..<(r.y + r.height) {
                var x = r.x
                let row = y * wordsPerRow
                while x < end {
                    let bit = x & 63, n = min(64 - bit, end - x)
                    let mask: UInt64 = (n == 64 ? ~0 : ((1 << UInt64(n)) - 1)) << UInt64(bit)
                    let i = row + (x >> 6)
                    missing -= (mask & ~b[i]).nonzeroBitCount
                    b[i] |= mask
                    x += n
                }
            }
        }
        if missing == 0 { bits = [] }
    }
}
