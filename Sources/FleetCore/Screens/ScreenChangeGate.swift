/// `wait --changed`: patterns count only once the screen has differed from the first one seen. After `virsh reset`
/// or `reboot` the guest's display keeps its old picture (the old login prompt) until the firmware redraws it, and
/// a look in between would match the prompt of the boot that just ended.
public struct ScreenChangeGate: Sendable {
    private let waitForChange: Bool
    private var first: [String]?
    private var changed = false

    public init(waitForChange: Bool) { self.waitForChange = waitForChange }

    /// Whether patterns may be matched on this screen. Without --changed every screen is admitted; with it, the
    /// first screen is the baseline, and once a screen differs from it, that one and every later one are admitted
    /// (a login prompt drawn exactly as before the reboot still counts once the boot came in between).
    /// `lines`: the screen's text without its blank bottom (ScreenText.trimmedLines).
    public mutating func admits<Lines: Collection<String>>(_ lines: Lines) -> Bool {
        guard waitForChange, !changed else { return true }
        guard let first else { first = Array(lines); return false }
        if !lines.elementsEqual(first) { changed = true }
        return changed
    }
}
