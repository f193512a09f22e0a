import Foundation
import Synchronization

/// Runs a UI loop on its own thread (as `fleettui` runs it on the main thread) so the test thread can type
/// into the in-memory terminal and read its screen.
final class LoopRunner<Result: Sendable>: Sendable {
    private let result = Mutex<Result?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            let r = body()
            result.withLock { $0 = r }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The loop's result once it returned; nil if it is still running after `timeout` seconds.
    func wait(timeout: Double) -> Result? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        done.signal()
        return result.withLock { $0 }
    }
}
