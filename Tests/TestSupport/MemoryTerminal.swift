import Foundation
import FleetCore
import Synchronization

/// A terminal in memory, for running the monitor and console loops in process: keys are typed in from the test
/// thread, frames are kept as CellBuffers to read as text. It implements the same TerminalIO protocol as the
/// curses Terminal, so the loops cannot tell the difference.
public final class MemoryTerminal: TerminalIO, Sendable {
    private struct State {
        var width: Int, height: Int
        var keys: [Key] = []
        var woken = false
        var frame: CellBuffer?
        var frames = 0
        var invalidations = 0
        var bracketedPaste = false
        var bracketedPasteChanges: [Bool] = []
        var signal: Int32?
        var closed = false
    }
    private let state: Mutex<State>
    /// Wait and notify only (nextKey, waitFor): the data itself is in `state`.
    private let changed = NSCondition()
    public let unicode: Bool
    public let colorMode: TerminalColorMode

    public init(width: Int = 100, height: Int = 30, unicode: Bool = true, colorMode: TerminalColorMode = .truecolor) {
        state = Mutex(State(width: width, height: height))
        self.unicode = unicode
        self.colorMode = colorMode
    }

    // MARK: TerminalIO (the loop's side)

    public var width: Int { state.withLock { $0.width } }
    public var height: Int { state.withLock { $0.height } }
    public var waker: TerminalWaker { TerminalWaker { [self] in update { $0.woken = true } } }
    public var interrupted: Bool { state.withLock { $0.signal != nil } }
    public var interruptSignal: Int32? { state.withLock { $0.signal } }

    public func draw(_ buffer: CellBuffer) {
        update { s in s.frame = buffer; s.frames += 1 }
    }

    public func nextKey(timeout: Double) -> Key? {
        let deadline = Date(timeIntervalSinceNow: max(0, timeout))
        changed.lock()
        defer { changed.unlock() }
        while true {
            let (key, stop) = state.withLock { s -> (Key?, Bool) in
                if !s.keys.isEmpty { return (s.keys.removeFirst(), true) }
                if s.woken || s.signal != nil { s.woken = false; return (nil, true) }
                return (nil, false)
            }
            if stop { return key }
            if !changed.wait(until: deadline) { return nil }
        }
    }

    public func invalidate() { update { $0.invalidations += 1 } }

    public func setBracketedPaste(_ on: Bool) {
        update { s in
            if s.bracketedPaste != on { s.bracketedPasteChanges.append(on) }
            s.bracketedPaste = on
        }
    }

    public func close() { update { $0.closed = true } }

    // MARK: the test's side

    /// Keys for the loop, in order.
    public func type(_ keys: [Key]) { update { $0.keys += keys } }
    public func type(_ text: String) { type(text.map { Key.char($0) }) }

    /// The terminal changes size (the loop sees a resize key, as curses delivers one).
    public func resize(width: Int, height: Int) {
        update { s in s.width = width; s.height = height; s.keys.append(.resize) }
    }

    /// A signal arrives (SIGINT = 2, SIGHUP = 1 …): the loop returns.
    public func interrupt(_ signal: Int32 = 2) { update { $0.signal = signal } }

    /// The last frame drawn, and its lines with trailing spaces trimmed.
    public var frame: CellBuffer? { state.withLock { $0.frame } }
    public var lines: [String] { (frame?.lines() ?? []).map { l in var s = l; while s.hasSuffix(" ") { s.removeLast() }; return s } }
    public var frameCount: Int { state.withLock { $0.frames } }
    public var bracketedPaste: Bool { state.withLock { $0.bracketedPaste } }
    /// Every switch of bracketed paste mode, in order (true = on).
    public var bracketedPasteChanges: [Bool] { state.withLock { $0.bracketedPasteChanges } }
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Waits until the screen's lines satisfy `ok`; the last lines either way (for the failure message).
    @discardableResult
    public func waitFor(timeout: Double, _ ok: ([String]) -> Bool) -> (ok: Bool, lines: [String]) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        changed.lock()
        defer { changed.unlock() }
        while true {
            let l = lines
            if ok(l) { return (true, l) }
            if !changed.wait(until: deadline) { return (false, lines) }
        }
    }

    private func update(_ body: (inout sending State) -> Void) {
        changed.lock()
        state.withLock { body(&$0) }
        changed.broadcast()
        changed.unlock()
    }
}
