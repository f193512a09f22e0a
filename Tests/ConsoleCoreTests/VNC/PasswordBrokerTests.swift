import Foundation
import Synchronization
import Testing
@testable import ConsoleCore

/// The session thread asks, the UI thread answers; the password that worked is kept for reconnects and wiped
/// when it fails or the console closes.
@Suite struct PasswordBrokerTests {
    /// Runs `password(ask:)` on its own thread, as the VNC session thread does; the answer comes back later.
    private func askOnAThread(_ broker: PasswordBroker, asked: DispatchSemaphore) -> () -> VNCPassword? {
        let result = Mutex<VNCPassword??>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let p = broker.password(ask: { asked.signal() })
            result.withLock { $0 = .some(p) }
            done.signal()
        }
        return {
            guard done.wait(timeout: .now() + 10) == .success else { return nil }
            return result.withLock { $0! }
        }
    }

    @Test func theAnswerGoesToTheWaitingThreadAndIsCachedUntilForgotten() throws {
        let broker = PasswordBroker()
        let asked = DispatchSemaphore(value: 0)
        let first = askOnAThread(broker, asked: asked)
        #expect(asked.wait(timeout: .now() + 10) == .success, "the prompt was asked for")
        let given = VNCPassword(bytes: Array("s3cret".utf8))
        broker.answer(given)
        #expect(first() === given)
        #expect(broker.password(ask: { Issue.record("asked again") }) === given, "a reconnect reuses it")
        broker.forget()
        #expect(given.allocationBytes().allSatisfy { $0 == 0 }, "the refused password is wiped")
        #expect(!broker.hasCachedPassword)
        let again = askOnAThread(broker, asked: asked)
        #expect(asked.wait(timeout: .now() + 10) == .success, "asked again after forget")
        broker.answer(nil)
        #expect(again() == nil)
    }

    @Test func closingReleasesAWaitingSessionAndWipesTheCachedPassword() throws {
        let broker = PasswordBroker()
        let asked = DispatchSemaphore(value: 0)
        let cached = VNCPassword(bytes: Array("kept".utf8))
        let t = askOnAThread(broker, asked: asked)
        _ = asked.wait(timeout: .now() + 10)
        broker.answer(cached)
        _ = t()
        broker.close()
        #expect(cached.allocationBytes().allSatisfy { $0 == 0 })
        #expect(broker.password(ask: { Issue.record("asked after close") }) == nil)
        let late = VNCPassword(bytes: Array("late".utf8))
        broker.answer(late)
        #expect(late.allocationBytes().allSatisfy { $0 == 0 }, "an answer nobody waits for is wiped")
    }

    @Test func closeWhileASessionWaitsGivesItNoPassword() {
        let broker = PasswordBroker()
        let asked = DispatchSemaphore(value: 0)
        let t = askOnAThread(broker, asked: asked)
        _ = asked.wait(timeout: .now() + 10)
        broker.close()
        #expect(t() == nil)
    }
}
