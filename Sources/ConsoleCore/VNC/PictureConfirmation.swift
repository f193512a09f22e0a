/// When a look at a display may believe the picture it has: a whole picture only (`VNCFrameUpdate.wholePictures`),
/// and a uniform one (every pixel the same colour) only once a second whole picture, asked for, is uniform too. A
/// uniform first picture is most likely stale: a display switching modes, QEMU's text-mode screen before it renders
/// for the client that just connected, a server that sends its real picture late (qemu-xen's PV framebuffer). A server
/// that sends no whole picture for `askAgainAfter` seconds is asked for one again.
///
/// The loop that holds the session calls `step` with the latest update: `.requestWholePicture` means
/// `session.requestFullUpdate()`, `.accept` means the latest picture is the answer. Used by `fleettui screen` (which
/// lets updates settle first) and by the screen sampler's looks (`VNCFrameGrab`: no settling).
public struct PictureConfirmation: Sendable {
    public enum Step: Sendable, Equatable {
        case wait
        case requestWholePicture
        case accept
    }

    /// Seconds without a new update before a picture that is not uniform is taken.
    public let settle: Double
    /// Seconds without a new update before a uniform picture is judged (asked again for, or believed).
    public let uniformSettle: Double
    /// Seconds without a whole picture to judge before the whole picture is asked for again.
    public let askAgainAfter: Double
    /// How many whole pictures the latest update must count to be judged: 1, then one more than the uniform picture
    /// that asked for a second one.
    public private(set) var wanted = 1
    private var askedAt: Double

    public init(start: Double, settle: Double = 0, uniformSettle: Double = 0, askAgainAfter: Double) {
        self.settle = settle
        self.uniformSettle = uniformSettle
        self.askAgainAfter = askAgainAfter
        askedAt = start
    }

    /// What to do now, with `latest` the newest update taken (nil: none yet) and `quiet` the seconds since it came.
    public mutating func step(latest: VNCFrameUpdate?, quiet: Double, now: Double) -> Step {
        if let u = latest, u.wholePictures >= wanted {
            if !u.isUniform { return quiet >= settle ? .accept : .wait }
            guard quiet >= uniformSettle else { return .wait }
            if wanted > 1 { return .accept }
            wanted = u.wholePictures + 1
            askedAt = now
            return .requestWholePicture
        }
        guard now - askedAt >= askAgainAfter else { return .wait }
        askedAt = now
        return .requestWholePicture
    }

    /// Whether `u` may be believed as it is (e.g. when the display closes): not uniform, or uniform and confirmed by
    /// the second whole picture asked for.
    public func isConfirmed(_ u: VNCFrameUpdate) -> Bool {
        !u.isUniform || (wanted > 1 && u.wholePictures >= wanted)
    }
}

extension VNCFrameUpdate {
    /// Every pixel the same colour.
    public var isUniform: Bool { allTheSame(pixels) }
}

/// Every value the same (true for none).
func allTheSame(_ pixels: [UInt32]) -> Bool {
    pixels.withUnsafeBufferPointer { p in
        guard let first = p.first else { return true }
        for v in p where v != first { return false }
        return true
    }
}
