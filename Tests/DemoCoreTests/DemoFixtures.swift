import CollectorsCore
import ConsoleCore
import DemoCore
import FleetCore
import Foundation

/// The real demo node files (Sources/Collectors/DemoFleet) as world specs, and the console fonts.
enum DemoFixtures {
    static let nodeDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Collectors/DemoFleet")

    static func specs() throws -> [DemoHostSpec] {
        try [("xen-host.xml", "xen-demo", "xen"), ("kvm-host.xml", "kvm-demo", "kvm")].map { file, name, group in
            let xml = try String(contentsOf: nodeDirectory.appendingPathComponent(file), encoding: .utf8)
                .replacingOccurrences(of: "@DEMO_CONSOLES@", with: "/run/demo")
            return DemoHostSpec(config: HostConfig(id: name, name: name, uri: "test:///demo/\(file)", group: group),
                                node: try NodeXML.parse(xml))
        }
    }

    static let t0 = 1_790_000_000.0

    /// A world refreshed every `step` seconds from t0 for `count` refreshes; returns every refresh's rows.
    static func run(seed: UInt64 = DemoWorld.defaultSeed, step: Double = 3, count: Int) throws -> [[DomainRow]] {
        var world = DemoWorld(hosts: try specs(), seed: seed, start: t0)
        return (0..<count).map { world.refresh(at: t0 + Double($0 + 1) * step).rows }
    }

    static let framebufferFont: ConsoleFont = { try! DemoFonts.framebuffer() }()
    static let vgaFont: ConsoleFont = { try! DemoFonts.vga() }()

    static func guest(_ name: String) throws -> DemoGuest {
        let world = DemoWorld(hosts: try specs(), start: t0)
        for host in ["xen-demo", "kvm-demo"] { if let g = world.guest(host: host, name: name) { return g } }
        throw Missing(name: name)
    }
    struct Missing: Error { var name: String }

    static func console(_ name: String, now: Double = t0) throws -> DemoGuestConsole {
        let g = try guest(name)
        guard let spec = g.profile.console else { throw Missing(name: name + " (console)") }
        let font: ConsoleFont
        switch spec.display {
        case .framebuffer: font = framebufferFont
        case .vgaText: font = vgaFont
        }
        return DemoGuestConsole(spec: spec, guest: g, font: font, now: now)
    }

    /// The keysyms a VNC viewer sends for typing `text` (Return for "\n").
    static func type(_ text: String, into c: inout DemoGuestConsole, now: Double) {
        for ch in text {
            let sym: UInt32 = ch == "\n" ? KeySym.returnKey : KeySym.character(ch)!
            let shift = KeyMapper.needsShift(ch)
            if shift { c.key(KeySym.shiftL, down: true, now: now) }
            c.key(sym, down: true, now: now)
            c.key(sym, down: false, now: now)
            if shift { c.key(KeySym.shiftL, down: false, now: now) }
        }
    }

    static func press(_ sym: UInt32, _ c: inout DemoGuestConsole, now: Double, ctrl: Bool = false) {
        if ctrl { c.key(KeySym.controlL, down: true, now: now) }
        c.key(sym, down: true, now: now)
        c.key(sym, down: false, now: now)
        if ctrl { c.key(KeySym.controlL, down: false, now: now) }
    }
}

func lastNonEmpty(_ lines: [String]) -> String { lines.last { !$0.isEmpty } ?? "" }
