import Testing
@testable import ConsoleCore

/// Secrets are zeroed where they live: the tests read the allocation itself, not a copy of it.
@Suite struct SecretTests {
    @Test func wipeZeroesTheWholeAllocation() {
        let b = SecretBuffer(capacity: 4)
        for c in "passwörd" { b.append(c) }   // grows past its 4 bytes
        #expect(b.withBytes { String(decoding: $0, as: UTF8.self) } == "passwörd")
        b.removeLastCharacter(); b.removeLastCharacter()
        #expect(b.withBytes { String(decoding: $0, as: UTF8.self) } == "passw\u{F6}")
        b.removeLastCharacter()
        #expect(b.withBytes { String(decoding: $0, as: UTF8.self) } == "passw")
        #expect(b.allocationBytes().dropFirst(5).allSatisfy { $0 == 0 })
        b.wipe()
        #expect(b.allocationBytes().allSatisfy { $0 == 0 } && b.count == 0)
    }

    @Test func aVNCPasswordWipesItsOwnStorage() {
        let p = VNCPassword(bytes: Array("topsecret".utf8))
        #expect(p.allocationBytes().prefix(9) == Array("topsecret".utf8)[...])
        p.wipe()
        #expect(p.allocationBytes().allSatisfy { $0 == 0 } && p.isEmpty)
        #expect("\(p)" == "<VNC password>")
    }
}
