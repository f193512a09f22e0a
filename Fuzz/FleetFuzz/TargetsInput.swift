import ConsoleCore
import FleetCore
import Foundation

/// A key from fuzz input: characters (ASCII and any scalar), Ctrl and Alt chords, the named keys, function keys
/// (in and out of F1-F12), mouse events anywhere (negative, far outside the screen), resizes.
func fuzzKey(_ d: inout FuzzData) -> Key {
    let named: [Key] = [.enter, .tab, .backTab, .backspace, .escape, .up, .down, .left, .right, .home, .end, .pageUp,
                        .pageDown, .insert, .delete]
    func character() -> Character {
        if d.bool() { return Character(Unicode.Scalar(d.byte() % 95 + 32)) }
        return Character(Unicode.Scalar(UInt32(d.int(in: 0...0x10FFFF))) ?? "\u{FFFD}")
    }
    switch d.int(in: 0...11) {
    case 0...4: return .char(character())
    case 5: return .ctrl(character())
    case 6: return .alt(character())
    case 7, 8: return named[d.int(in: 0...(named.count - 1))]
    case 9: return .function(d.int(in: -2...30))
    case 10:
        let kinds: [MouseEvent.Kind] = [.press(button: d.int(in: -1...5)), .release, .wheelUp, .wheelDown]
        return .mouse(MouseEvent(x: d.int(in: -10...400), y: d.int(in: -10...200), kind: kinds[d.int(in: 0...3)]))
    default: return .resize
    }
}

/// A small fleet for the monitor's state machine: two hosts, one down, domains in several states.
let fuzzSnapshot: FleetSnapshot = {
    func row(_ host: String, _ name: String, _ state: DomainState, cpu: Double?) -> DomainRow {
        var s = DomainSample(key: DomainKey(hostID: host, uuid: "\(host)-\(name)"), name: name, id: state.isActive ? 1 : nil,
                             state: state, vcpus: 2, cpuTimeNs: 61_500_000_000, memCurrentKiB: 1 << 20, monotonicNs: 0)
        s.disks = [DeviceCounters(name: "vda")]
        s.nics = [DeviceCounters(name: "vnet0")]
        var r = DomainRates()
        r.cpuPercent = cpu
        return DomainRow(sample: s, rates: r, hostName: host)
    }
    var down = HostStatus(config: HostConfig(name: "beta", uri: "qemu+ssh://beta/system"), state: .down, since: Date(timeIntervalSince1970: 0))
    down.lastError = "Connection refused\u{1B}[2J"
    let up = HostStatus(config: HostConfig(name: "alpha", uri: "test:///default"), state: .up, since: Date(timeIntervalSince1970: 0))
    return FleetSnapshot(generation: 1, time: Date(timeIntervalSince1970: 0), hosts: [up, down],
                         domains: [row("alpha", "web-1", .running, cpu: 12.5), row("alpha", "db\u{7}-1", .paused, cpu: nil),
                                   row("alpha", String(repeating: "long-", count: 20), .shutoff, cpu: 0)])
}()

func fuzzGuestScreen() -> GuestScreen {
    let lines = ["Debian GNU/Linux 12 web-1 tty1", "", "web-1 login: "]
    let cols = 40, rows = 5
    let g = CellGeometry(cellWidth: 8, cellHeight: 16, glyph: GlyphSize(width: 8, height: 16), cols: cols, rows: rows)
    var cells = [TextCell](repeating: TextCell(fg: 0xFFFFFF, bg: 0), count: cols * rows)
    for (r, line) in lines.enumerated() {
        for (c, ch) in line.enumerated() where c < cols { cells[r * cols + c] = TextCell(character: ch, fg: 0xFFFFFF, bg: 0, blank: ch == " ") }
    }
    return GuestScreen(frame: Framebuffer(width: cols * 8, height: rows * 16), text: TextScreen(geometry: g, cells: cells),
                       cursor: CellPosition(col: 13, row: 2))
}

let palette = ThemeStyles(theme: BuiltinThemes.defaultTheme)

let inputTargets: [FuzzTarget] = [
    FuzzTarget("keys", "typed keys and mouse events through the monitor's and the console's state machines, drawn at any size",
               seeds: [[0, 0, 7, 0, 66, 7, 1, 0, 0x41, 10, 5, 20, 0, 10, 0, 11, 2, 0, 80, 0, 24], [5, 0, 0x5D, 9, 14]]) { bytes in
        var d = FuzzData(bytes)
        let width = d.int(in: 0...220), height = d.int(in: 0...90)
        var monitor = MonitorState()
        monitor.consoleAvailable = d.bool()
        var table = FleetTable()
        table.update(snapshot: fuzzSnapshot, sort: monitor.sort, filter: monitor.filter, grouped: monitor.grouped)
        let context = RenderContext(width: width, height: height, palette: palette, glyphs: d.bool() ? .unicode : .ascii)
        var console = ConsoleState(domainName: "web-1\u{1B}]0;x\u{7}")
        console.connected = d.bool()
        if d.bool() { console.askPassword() }
        var now = 0.0
        while !d.isEmpty {
            let key = fuzzKey(&d)
            _ = monitor.handle(key, table: table, layout: context.layout)
            table.update(snapshot: fuzzSnapshot, sort: monitor.sort, filter: monitor.filter, grouped: monitor.grouped)
            now += Double(d.int(in: 0...3)) * 0.03
            _ = console.handle(key, at: now)
            _ = console.idle(at: now + 0.1)
        }
        monitor.resolve(table, layout: context.layout)
        _ = MonitorScreen.render(monitor, table: table, history: FleetHistory(), context: context).lines()
        _ = ConsoleView.render(console, screen: fuzzGuestScreen(),
                               context: ConsoleRenderContext(width: width, height: height, palette: palette)).lines()
    },
    FuzzTarget("paste", "pasted text: bracketed paste markers in the key stream (PasteDecoder) and text to keysyms (KeyMapper)",
               seeds: [utf8("\u{1B}[200~echo hi\n\u{1B}[201~x"), utf8("\u{1B}[20\u{1B}[201~")]) { bytes in
        let pasted = text(bytes)
        _ = KeyMapper.strokes(forPaste: pasted)
        // The same text as the terminal delivers it: ESC [ as Alt+[, control bytes as their keys.
        var decoder = PasteDecoder()
        var escape = false
        for scalar in pasted.unicodeScalars {
            let key: Key
            if escape {
                key = .alt(Character(scalar))
                escape = false
            } else if scalar.value == 0x1B {
                escape = true
                continue
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                key = Key.fromControlByte(scalar.value) ?? .escape
            } else {
                key = .char(Character(scalar))
            }
            for case .key(let k) in decoder.feed(key) { _ = KeyMapper.strokes(for: k) }
        }
        _ = decoder.flush()
    },
]
