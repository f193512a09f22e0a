/// A rectangle of framebuffer pixels.
public struct VNCRect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    /// This rectangle clipped to a width x height framebuffer (empty when outside).
    public func clipped(width w: Int, height h: Int) -> VNCRect {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(w, x + width), y1 = min(h, y + height)
        return VNCRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// The smallest rectangle holding both.
    public func union(_ o: VNCRect) -> VNCRect {
        if isEmpty { return o }
        if o.isEmpty { return self }
        let x0 = min(x, o.x), y0 = min(y, o.y)
        return VNCRect(x: x0, y: y0, width: max(x + width, o.x + o.width) - x0, height: max(y + height, o.y + o.height) - y0)
    }
}

/// What the UI takes from a session after a `.frame` event: the whole current picture (copied out of
/// libvncclient's buffer on the session thread, so readers never race a resize) and what changed since
/// the previous take.
public struct VNCFrameUpdate: Sendable {
    public var width: Int
    public var height: Int
    /// width*height pixels, row-major, 0x00RRGGBB.
    public var pixels: [UInt32]
    /// Changed areas since the last take (clipped, may overlap). Everything when `resized`.
    public var dirty: [VNCRect]
    /// The size changed (or this is the first picture) since the last take.
    public var resized: Bool
    /// Counts completed framebuffer updates since connecting.
    public var generation: Int
    /// Whole pictures received since connecting: every pixel came since the framebuffer was (re)allocated, or since
    /// the whole picture was asked for again (`requestFullUpdate()`). A (re)allocated framebuffer is published only
    /// once a whole picture filled it.
    public var wholePictures: Int

    package init(width: Int, height: Int, pixels: [UInt32], dirty: [VNCRect], resized: Bool, generation: Int,
                 wholePictures: Int = 1) {
        self.width = width; self.height = height; self.pixels = pixels
        self.dirty = dirty; self.resized = resized; self.generation = generation; self.wholePictures = wholePictures
    }
}
