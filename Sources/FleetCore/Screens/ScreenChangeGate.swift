/// `wait --changed`: patterns count only once the screen has differed from the first one seen. After `virsh reset`
/// or `reboot` the guest's display keeps its old picture (the old login prompt) until the firmware redraws it, and
/// a look in between would match the prompt of the boot that just ended.
///
/// Every kind of look counts, not only text: after a `virsh reset` the bed's scr-login shows its old prompt, then a
/// blank display for ~19 s, then fbcon's cursor alone for ~1 s, then the very same prompt. A gate that compared
/// text alone saw no change when its looks missed that one second, and took the new prompt for the old one
/// (CI, stop 18: `wait --changed` timed out on scr-login's new prompt).
public struct ScreenChangeGate: Sendable {
    /// What a look saw, as far as a change is concerned.
    private enum Seen: Hashable, Sendable {
        /// A text screen: its lines without the blank bottom (ScreenText.trimmedLines).
        case text([String])
        case blank(width: Int, height: Int)
        case picture(width: Int, height: Int)
        /// The domain was not running (shut down, or between a destroy and a start).
        case down
    }

    private let waitForChange: Bool
    private var first: Seen?
    private var changed = false

    public init(waitForChange: Bool) { self.waitForChange = waitForChange }

    /// Without --changed every screen is admitted; with it, the first thing seen is the baseline, and once a look
    /// differs from it, that one and every later one are admitted (a login prompt drawn exactly as before the
    /// reboot still counts once the boot came in between).
    private mutating func admits(_ seen: Seen) -> Bool {
        guard waitForChange, !changed else { return true }
        guard let first else { first = seen; return false }
        if seen != first { changed = true }
        return changed
    }

    /// Whether patterns may be matched on the screen this look saw. A display that could not be read (unreachable,
    /// locked) says nothing about the screen: it neither sets the baseline nor counts as a change.
    public mutating func admits(_ observation: ScreenObservation) -> Bool {
        switch observation {
        case .text(let t): return admits(Seen.text(Array(t.trimmedLines)))
        case .blank(let w, let h): return admits(Seen.blank(width: w, height: h))
        case .picture(let w, let h): return admits(Seen.picture(width: w, height: h))
        case .unreachable, .locked: return !waitForChange || changed
        }
    }

    /// A look that found the domain not running: a change from any screen, and a baseline of its own (waiting
    /// for a guest that is down, its first screen counts).
    public mutating func admitsDomainDown() -> Bool { admits(Seen.down) }
}
