import Testing
@testable import FleetCore

/// `wait --changed`: the old screen right after a reset never matches; what comes after a change always may.
@Suite struct ScreenChangeGateTests {
    let prompt = ["Debian GNU/Linux 12 web-01 tty1", "", "web-01 login:"]
    var promptScreen: ScreenObservation { .text(ScreenText(lines: prompt + ["", ""], cols: 80)) }

    @Test func withoutChangedEveryScreenIsAdmitted() {
        var gate = ScreenChangeGate(waitForChange: false)
        do { let admitted = gate.admits(promptScreen); #expect(admitted) }
        do { let admitted = gate.admits(promptScreen); #expect(admitted) }
        do { let admitted = gate.admits(.unreachable("connection refused")); #expect(admitted) }
    }

    @Test func theFirstScreenAndItsRepeatsAreNotAdmitted() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        // The blank bottom does not make it another screen.
        do { let admitted = gate.admits(.text(ScreenText(lines: prompt, cols: 80))); #expect(!admitted) }
    }

    @Test func afterATextChangeEveryScreenIsAdmittedEvenTheOldOneAgain() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        let bios = ScreenText(lines: ["SeaBIOS (version 1.16.2-debian-1.16.2-1)", "", "Booting from Hard Disk..."], cols: 80)
        do { let admitted = gate.admits(.text(bios)); #expect(admitted) }
        // The new boot drew the very same prompt: it counts now.
        do { let admitted = gate.admits(promptScreen); #expect(admitted) }
    }

    /// The looks fell between the reboot's text screens: only blank and picture frames were seen between the old
    /// prompt and the new one. The new prompt counts (the gate that compared text alone waited forever here).
    @Test func aRebootSeenOnlyAsBlankAndPictureFramesIsAChange() {
        for between: ScreenObservation in [.blank(width: 800, height: 600), .picture(width: 800, height: 600)] {
            var gate = ScreenChangeGate(waitForChange: true)
            do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
            do { let admitted = gate.admits(between); #expect(admitted) }
            do { let admitted = gate.admits(promptScreen); #expect(admitted) }
        }
    }

    @Test func theDomainSeenDownIsAChangeAndABaseline() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        do { let admitted = gate.admitsDomainDown(); #expect(admitted) }
        // Down at the first look (waiting for a guest to be started): its first screen is new.
        var fromDown = ScreenChangeGate(waitForChange: true)
        do { let admitted = fromDown.admitsDomainDown(); #expect(!admitted) }
        do { let admitted = fromDown.admitsDomainDown(); #expect(!admitted) }
        do { let admitted = fromDown.admits(promptScreen); #expect(admitted) }
    }

    /// An unreadable display neither sets the baseline nor counts as a change.
    @Test func anUnreadableDisplayIsNoBaselineAndNoChange() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(.unreachable("connection refused")); #expect(!admitted) }
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        do { let admitted = gate.admits(.locked("password wanted")); #expect(!admitted) }
        do { let admitted = gate.admits(promptScreen); #expect(!admitted) }
        do { let admitted = gate.admits(.blank(width: 640, height: 480)); #expect(admitted) }
        do { let admitted = gate.admits(.unreachable("connection refused")); #expect(admitted) }
    }

    /// A blank screen of another size (a video mode switch) is a change; the same blank again is not.
    @Test func blankScreensDifferBySize() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(.blank(width: 720, height: 400)); #expect(!admitted) }
        do { let admitted = gate.admits(.blank(width: 720, height: 400)); #expect(!admitted) }
        do { let admitted = gate.admits(.blank(width: 800, height: 600)); #expect(admitted) }
    }
}
