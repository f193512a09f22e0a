import Foundation
import Testing
@testable import FleetCore

/// The monitor's screens: the SCREEN column (sorted, filtered as screen:NAME), the detail pane's preview and the
/// screens view's tiles, drawn as whole screens of text; the keys of the screens view.
@Suite struct ScreenViewTests {
    typealias F = ViewFixtures

    static let seen = Date(timeIntervalSince1970: 1_000)

    static func screen(_ row: DomainRow, _ observation: ScreenObservation) -> DomainScreen {
        let state = ScreenClassifier.builtIn.classify(observation)
        return DomainScreen(key: row.sample.key, hostName: row.hostName, domainName: row.sample.name, state: state,
                            observation: observation, seenAt: seen, changedAt: seen.addingTimeInterval(-120), route: "127.0.0.1:5901")
    }

    static func text(_ lines: [String]) -> ScreenObservation { .text(ScreenText(lines: lines, cols: 80)) }

    /// The small fleet with a screen on every running domain.
    static let fleet: FleetSnapshot = {
        var snap = F.small
        let screens: [String: ScreenObservation] = [
            "db-1": text(["[   29.469899] Kernel panic - not syncing: VFS: Unable to mount root fs on unkno",
                          "[   29.471193] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0-57-amd64 #1", ""]),
            "web-1": text(["Debian GNU/Linux 12 web-1 tty1", "", "web-1 login: "]),
            "web-2": .blank(width: 720, height: 400),
            "cache": text(["                    GNU GRUB  version 2.06-13+deb12u2", "",
                           " *Debian GNU/Linux", "  Advanced options for Debian GNU/Linux"]),
        ]
        for i in snap.domains.indices {
            if let o = screens[snap.domains[i].sample.name] { snap.domains[i].screen = screen(snap.domains[i], o) }
        }
        return snap
    }()

    func state(columns: [DomainColumn] = DomainColumn.defaultWithScreen) -> MonitorState {
        var s = MonitorState()
        s.columns = columns
        return s
    }

    @Test func screenColumnShowsEachStateAndDashWithoutAScreen() {
        let lines = F.render(state(), F.table(Self.fleet), width: 106, height: 11)
        #expect(lines[3] == " HOST     NAME       STATE    SCREEN    VIRT  VCPU  %CPU▼   MEM  %MEM  RD/s  WR/s  RX/s  TX/s     TIME")
        #expect(lines[4] == " alpha    db-1       running  panic     KVM      4   80.0  4.0G  50.0     -     -     -     -  1:02:03")
        #expect(lines[5] == " alpha    web-1      running  login     KVM      1   12.5  1.0G  12.5     -     -     -     -  1:01.50")
        #expect(lines[6] == " beta     web-2      running  blank     PV       1   12.5  2.0G  25.0     -     -     -     -  0:01.00")
        #expect(lines[7] == " beta     cache      running  grub      HVM      1    3.3  256M   3.1     -     -     -     -  0:05.00")
        #expect(lines[8] == " alpha    idle       shutoff  -         KVM      2      -  512M     -     -     -     -     -        -")
    }

    @Test func sortByScreenPutsTheMostSeriousFirstAndFilterByState() {
        let bySeverity = F.table(Self.fleet, sort: SortSpec(column: .screen))
        #expect(F.names(bySeverity) == ["db-1", "cache", "web-2", "web-1", "idle"])   // critical, warning, info, ok, none
        #expect(F.names(F.table(Self.fleet, filter: "screen:panic")) == ["db-1"])
        #expect(F.names(F.table(Self.fleet, filter: "screen:gr host:beta")) == ["cache"])
        // Without the prefix, screen states are not searched.
        #expect(F.names(F.table(Self.fleet, filter: "panic")).isEmpty)
        #expect(DomainColumn(field: "screen") == .screen && DomainColumn(field: "console") == .screen)
    }

    @Test func detailPaneShowsTheStateAndTheBottomOfTheScreen() {
        var s = state()
        let t = F.table(Self.fleet)
        s.detailKey = DomainKey(hostID: "alpha", uuid: "alpha-web-1")
        s.view = .detail
        var ctx = F.context(90, 30)
        ctx.now = Self.seen.addingTimeInterval(5)
        s.resolve(t, layout: ctx.layout)
        let lines = MonitorScreen.render(s, table: t, history: FleetHistory(), context: ctx).lines().map(F.trimRight)
        #expect(lines[3] == " DOMAIN web-1 on alpha")
        #expect(lines[7] == " Screen login (ok)   seen 5s ago   unchanged 2m5s   via 127.0.0.1:5901")
        #expect(lines[8] == "   │ Debian GNU/Linux 12 web-1 tty1")
        #expect(lines[9] == "   │")
        #expect(lines[10] == "   │ web-1 login:")
        #expect(lines[11] == "")
    }

    @Test func screensViewTilesTheScreensInTableOrder() {
        var s = state()
        s.view = .screens
        let lines = F.render(s, F.table(Self.fleet), width: 88, height: 20)
        #expect(lines == [
            "FleetTUI - demo fleet                                         delay 3s  updated 12:00:00",
            "Hosts 2 up  Domains 5 (4 running, 1 shutoff)  CPU 108.3%  Mem 7.3G/16G (45%)",
            "● alpha  ● beta",
            " db-1 @alpha                         panic   web-1 @alpha                        login",
            "[   29.469899] Kernel panic - not syncing:  Debian GNU/Linux 12 web-1 tty1",
            "[   29.471193] CPU: 0 PID: 1 Comm: swapper/",
            "                                            web-1 login:",
            "",
            "",
            "",
            "",
            " web-2 @beta                         blank   cache @beta                          grub",
            "(blank screen)                                                  GNU GRUB  version 2.06-",
            "",
            "                                             *Debian GNU/Linux",
            "                                              Advanced options for Debian GNU/Linux",
            "",
            "",
            "",
            "Arrows Move  Enter Console  / Filter  Esc Domains  q Quit                          %CPU▼",
        ])
    }

    @Test func screensViewKeysMoveAttachAndGoBack() {
        var s = state()
        let t = F.table(Self.fleet)
        let layout = ScreenLayout(width: 88, height: 20)
        s.resolve(t, layout: layout)
        #expect(s.handle(.char("S"), table: t, layout: layout).isEmpty && s.view == .screens)
        s.consoleAvailable = true
        _ = s.handle(.right, table: t, layout: layout)
        #expect(s.selectedDomain == DomainKey(hostID: "alpha", uuid: "alpha-web-1"))
        _ = s.handle(.down, table: t, layout: layout)
        #expect(s.selectedDomain == DomainKey(hostID: "beta", uuid: "beta-cache"))
        _ = s.handle(.left, table: t, layout: layout)
        #expect(s.selectedDomain == DomainKey(hostID: "beta", uuid: "beta-web-2"))
        #expect(s.handle(.enter, table: t, layout: layout) == [.attachConsole(DomainKey(hostID: "beta", uuid: "beta-web-2"))])
        // The selection drawn: web-2's tile header is the selected one; Esc goes back to the table with it.
        _ = s.handle(.escape, table: t, layout: layout)
        #expect(s.view == .domains && s.selectedDomain == DomainKey(hostID: "beta", uuid: "beta-web-2"))
        #expect(ScreenTiles.visibleKeys(s, table: t, layout: layout).count == 4)
    }

    @Test func emptyScreensViewSaysWhy() {
        var s = state()
        s.view = .screens
        let lines = F.render(s, F.table(F.small), width: 80, height: 10)
        #expect(lines[3] == " SCREENS")
        #expect(lines[4] == " No screens yet: running domains with a VNC display are being looked at")
    }
}
