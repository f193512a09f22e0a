import ConsoleCore
import Testing

struct KeyBacklogTests {
    private func typed(_ text: String) -> [KeyStroke] { text.flatMap { KeyMapper.strokes(for: .char($0)) } }

    @Test func keysComeBackInTheOrderTyped() {
        var b = KeyBacklog()
        b.hold(typed("echo"), at: 10)
        b.hold(typed(" hi"), at: 11)
        let (send, dropped) = b.release(at: 20)
        #expect(send == typed("echo hi"))
        #expect(dropped == 0)
        #expect(b.isEmpty)
        #expect(b.release(at: 21).send.isEmpty, "released once only")
    }

    @Test func keysOlderThanMaxAgeAreDroppedAndCounted() {
        var b = KeyBacklog()
        b.hold(typed("rm"), at: 0)
        b.hold(typed("ls"), at: 100)
        let (send, dropped) = b.release(at: 100 + KeyBacklog.maxAge)
        #expect(send == typed("ls"))
        #expect(dropped == 2, "two presses (r, m) too old")
    }

    @Test func aReleaseWhosePressWasDroppedGoesWithIt() {
        var b = KeyBacklog()
        b.hold([KeyStroke(0x61, down: true)], at: 0)      // 'a' pressed long ago
        b.hold([KeyStroke(0x61, down: false)], at: 50)    // its release, recently
        let (send, dropped) = b.release(at: 60)
        #expect(send.isEmpty, "\(send)")
        #expect(dropped == 1)
    }

    @Test func atMostMaxKeysAreHeld() {
        var b = KeyBacklog()
        let many = Array(repeating: typed("x"), count: KeyBacklog.maxKeys).flatMap { $0 }   // 2 strokes each
        b.hold(many, at: 0)
        #expect(b.count == KeyBacklog.maxKeys)
        let (send, dropped) = b.release(at: 1)
        #expect(send.count == KeyBacklog.maxKeys && send.last == KeyStroke(0x78, down: false))
        #expect(dropped == KeyBacklog.maxKeys / 2)
    }

    @Test func clearForgetsEverything() {
        var b = KeyBacklog()
        b.hold(typed("secret"), at: 0)
        b.clear()
        #expect(b.isEmpty && b.release(at: 1) == ([], 0))
    }
}
