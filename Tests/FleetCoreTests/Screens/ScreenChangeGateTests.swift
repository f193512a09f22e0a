import Testing
@testable import FleetCore

/// `wait --changed`: the old screen right after a reset never matches; what comes after a change always may.
@Suite struct ScreenChangeGateTests {
    let prompt = ["Debian GNU/Linux 12 web-01 tty1", "", "web-01 login:"]

    @Test func withoutChangedEveryScreenIsAdmitted() {
        var gate = ScreenChangeGate(waitForChange: false)
        do { let admitted = gate.admits(prompt); #expect(admitted) }
        do { let admitted = gate.admits(prompt); #expect(admitted) }
    }

    @Test func theFirstScreenAndItsRepeatsAreNotAdmitted() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(prompt); #expect(!admitted) }
        do { let admitted = gate.admits(prompt); #expect(!admitted) }
        do { let admitted = gate.admits(prompt[...]); #expect(!admitted) }
    }

    @Test func afterAChangeEveryScreenIsAdmittedEvenTheOldOneAgain() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(prompt); #expect(!admitted) }
        do { let admitted = gate.admits(["SeaBIOS (version 1.16.2-debian-1.16.2-1)", "", "Booting from Hard Disk..."]); #expect(admitted) }
        // The new boot drew the very same prompt: it counts now.
        do { let admitted = gate.admits(prompt); #expect(admitted) }
    }

    @Test func aBlankScreenIsAChange() {
        var gate = ScreenChangeGate(waitForChange: true)
        do { let admitted = gate.admits(prompt); #expect(!admitted) }
        do { let admitted = gate.admits([String]()); #expect(admitted) }
    }
}
