import FleetCore

/// GRUB 2's menu as Debian's grub-pc draws it in VGA text mode (80x25): title, a box of entries with the
/// selected one highlighted, the help text below. Up/Down choose, Enter boots; "Advanced options" opens its
/// submenu (Esc goes back); the memory test is not installed.
public struct GrubMenu: Sendable {
    public enum Action: Equatable, Sendable {
        case none
        case redraw
        /// Boot Linux (the entry's title).
        case boot(String)
        /// An error screen; any key returns to the menu.
        case error([String])
    }

    public static let version = "2.06-13+deb12u1"
    static let main = ["Debian GNU/Linux", "Advanced options for Debian GNU/Linux", "Memory test (memtest86+x64.bin)",
                       "Memory test (memtest86+x64.bin, serial console)"]
    static let advanced = ["Debian GNU/Linux, with Linux \(LinuxBootLog.kernel)",
                           "Debian GNU/Linux, with Linux \(LinuxBootLog.kernel) (recovery mode)"]

    public private(set) var selected = 0
    public private(set) var inSubmenu = false
    var entries: [String] { inSubmenu ? GrubMenu.advanced : GrubMenu.main }

    public init() {}

    public mutating func key(_ k: Key) -> Action {
        switch k {
        case .up: guard selected > 0 else { return .none }; selected -= 1; return .redraw
        case .down: guard selected < entries.count - 1 else { return .none }; selected += 1; return .redraw
        case .home: selected = 0; return .redraw
        case .end: selected = entries.count - 1; return .redraw
        case .escape:
            guard inSubmenu else { return .none }
            inSubmenu = false; selected = 1; return .redraw
        case .enter, .right, .ctrl("x"):
            let title = entries[selected]
            if !inSubmenu && selected == 1 { inSubmenu = true; selected = 0; return .redraw }
            if title.hasPrefix("Memory test") {
                return .error(["error: file `/boot/memtest86+x64.bin' not found.", "", "Press any key to continue..."])
            }
            return .boot(title)
        default: return .none
        }
    }

    /// Draws the whole menu (light grey on black, the selection black on light grey, as GRUB's defaults).
    public func draw(into c: inout TextConsole, font: ConsoleFont) {
        c.fg = ConsolePalette.lightGrey; c.bg = ConsolePalette.black
        c.clear()
        c.cursorVisible = false
        let title = "GNU GRUB  version \(GrubMenu.version)"
        c.put(title, col: (c.cols - title.count) / 2, row: 1)
        let h = font.pick("─", else: "-"), v = font.pick("│", else: "|")
        let (tl, tr, bl, br) = (font.pick("┌", else: "+"), font.pick("┐", else: "+"), font.pick("└", else: "+"), font.pick("┘", else: "+"))
        let left = 1, right = c.cols - 2, top = 3, bottom = 16
        c.put(tl + String(repeating: h, count: right - left - 1) + tr, col: left, row: top)
        for row in (top + 1)..<bottom {
            c.put(v, col: left, row: row)
            c.put(v, col: right, row: row)
        }
        c.put(bl + String(repeating: h, count: right - left - 1) + br, col: left, row: bottom)
        for (i, e) in entries.enumerated() {
            let row = top + 1 + i
            let text = (i == selected ? "*" : " ") + e
            if i == selected {
                c.fill(row: row, from: left + 1, to: right, fg: ConsolePalette.black, bg: ConsolePalette.lightGrey)
                c.put(text, col: left + 1, row: row, fg: ConsolePalette.black, bg: ConsolePalette.lightGrey)
            } else {
                c.put(text, col: left + 1, row: row)
            }
        }
        let arrows = font.has("↑") && font.has("↓") ? ("↑", "↓") : ("^", "v")
        c.put("Use the \(arrows.0) and \(arrows.1) keys to select which entry is highlighted.", col: 6, row: 18)
        c.put("Press enter to boot the selected OS, `e' to edit the commands", col: 6, row: 19)
        c.put(inSubmenu ? "before booting or `c' for a command-line. ESC to return previous" : "before booting or `c' for a command-line.", col: 6, row: 20)
        if inSubmenu { c.put("menu.", col: 6, row: 21) }
    }
}
