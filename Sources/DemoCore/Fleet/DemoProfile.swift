/// How one demo guest behaves: its load on each resource, its lifecycle, its memory and its console.
public struct DemoProfile: Sendable, Hashable {
    public enum Lifecycle: Sendable, Hashable {
        /// Stays in the state the node file gives it (running, paused, shut off, crashed).
        case asDefined
        /// Runs for `runFor` seconds out of every `period` (a CI runner stopping between jobs, a nightly build
        /// starting): the last `DemoProfile.shutdownSeconds` of each run shutting down, then shut off until the
        /// next run, which is a new boot (new domain id, counters from zero).
        case cycle(period: Double, runFor: Double)
    }

    public var lifecycle: Lifecycle = .asDefined
    /// Fraction of the guest's vCPUs busy.
    public var cpu: DemoActivity
    /// Bytes per second.
    public var diskRead: DemoActivity = .idle
    public var diskWrite: DemoActivity = .idle
    public var netRx: DemoActivity = .idle
    public var netTx: DemoActivity = .idle
    /// Average request sizes (bytes): requests and packets per second follow from the byte rates.
    public var readRequestBytes = 65536.0
    public var writeRequestBytes = 32768.0
    public var rxPacketBytes = 900.0
    public var txPacketBytes = 1200.0
    /// Packets dropped per second (on the first NIC) while the network bursts.
    public var dropsInBursts = 0.0
    /// The balloon moves current memory between these fractions of the maximum, over `balloonPeriod` seconds
    /// (nil: current memory stays at the XML's <currentMemory>).
    public var balloon: ClosedRange<Double>?
    public var balloonPeriod = 150.0
    /// The share of its current memory the guest uses (reported by KVM's balloon driver), drifting in this range.
    public var used: ClosedRange<Double> = 0.35...0.6
    /// How long the guest had been up when the demo started.
    public var uptimeDays = 20.0
    /// Its VNC console, when it has one and runs.
    public var console: DemoConsoleSpec?

    public static let shutdownSeconds = 4.0
    /// The first seconds of a boot: disks read hard, CPUs busy.
    public static let bootSeconds = 12.0

    public init(cpu: DemoActivity) { self.cpu = cpu }
}

/// What a demo guest's display shows, and how it is drawn.
public struct DemoConsoleSpec: Sendable, Hashable {
    public enum Screen: Sendable, Hashable {
        /// A Linux boot log ending at a login prompt; log in (any user, no password) for a small shell.
        case login
        /// A kernel panic: the oops and its call trace, frozen.
        case panic
        /// GRUB's menu, waiting for a choice (Enter boots Linux to a login prompt).
        case grub
        /// Not text at all.
        case picture(DemoPicture.Style)
    }

    public enum Display: Sendable, Hashable {
        /// A linear framebuffer with Linux's fbcon and its 8x16 font (VESA, virtio-gpu, a Xen PV framebuffer).
        case framebuffer(width: Int, height: Int)
        /// VGA text mode: 720x400, 80x25 cells of 9x16 pixels, the VGA BIOS font.
        case vgaText
    }

    public var screen: Screen
    public var display: Display

    public init(_ screen: Screen, on display: Display) { self.screen = screen; self.display = display }

    public var isPicture: Bool {
        if case .picture = screen { return true }
        return false
    }

    public var size: (width: Int, height: Int) {
        switch display {
        case .framebuffer(let w, let h): return (w, h)
        case .vgaText: return (720, 400)
        }
    }
}
