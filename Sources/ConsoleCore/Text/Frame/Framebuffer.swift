/// A guest screen as plain pixels: 0x00RRGGBB, row-major, `width * height` entries.
/// Filled from a saved frame (binary PPM, `virsh screenshot`) or from a VNC client's raw buffer.
public struct Framebuffer: Sendable, Equatable {
    public private(set) var width: Int
    public private(set) var height: Int
    public var pixels: [UInt32]

    /// Frames larger than this (8K UHD, 141 MB of pixels) are refused: a hostile server or file must not make
    /// us allocate gigabytes.
    public static let maxPixels = 7680 * 4320

    public init(width: Int, height: Int, pixels: [UInt32]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height, "pixel count must be width*height")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int, fill: UInt32 = 0) {
        self.init(width: width, height: height, pixels: [UInt32](repeating: fill & 0xFFFFFF, count: width * height))
    }

    @inlinable public subscript(x: Int, y: Int) -> UInt32 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue & 0xFFFFFF }
    }

    /// The whole frame as a rectangle.
    public var bounds: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }
}

/// A rectangle of pixels (VNC update regions, dirty areas).
public struct PixelRect: Sendable, Equatable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func intersection(_ o: PixelRect) -> PixelRect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        let x1 = min(maxX, o.maxX), y1 = min(maxY, o.maxY)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}

/// Why a frame could not be read; `description` is one line for the user.
public struct FramebufferError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
