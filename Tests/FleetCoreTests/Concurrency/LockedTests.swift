import Foundation
import Testing
import FleetCore

/// `Locked` is what closures and threads share: every change through `withLock` is seen by the others, none lost.
/// (scripts/sanitize --ci runs this under ThreadSanitizer, which also reports any access outside the lock.)
@Suite struct LockedTests {
    @Test func threadsChangingOneValueLoseNoChange() {
        let counts = Locked([Int](repeating: 0, count: 4))
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<2_000 { counts.withLock { $0[(t + i) % 4] += 1 } }
        }
        #expect(counts.value == [4_000, 4_000, 4_000, 4_000])
        #expect(counts.withLock { c -> Int in c.reduce(0, +) } == 16_000)
    }
}
