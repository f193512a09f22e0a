/// What the UI loops need from a terminal: its size, frames drawn as CellBuffers, keys, a way to be woken from
/// another thread. The curses Terminal (FleetApp) is the real one; tests drive the loops with an in-memory one
/// (TestSupport's MemoryTerminal). Every write to the terminal goes through an implementation of this.
public protocol TerminalIO: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// The locale's charset is UTF-8: box drawing, "…", blocks and sparklines can be shown.
    var unicode: Bool { get }
    var colorMode: TerminalColorMode { get }
    /// Wakes `nextKey` from any thread (collector updates, VNC frames).
    var waker: TerminalWaker { get }
    /// A signal (SIGINT, SIGTERM, SIGHUP…) or a hangup ended the session: the loops return.
    var interrupted: Bool { get }
    /// The signal that interrupted the session (exit with 128 + it), nil if none.
    var interruptSignal: Int32? { get }
    /// Shows `buffer` (writing only what changed since the previous frame), with its cursor.
    func draw(_ buffer: CellBuffer)
    /// Waits up to `timeout` seconds for a key or a wake(); nil on timeout, wake or signal.
    func nextKey(timeout: Double) -> Key?
    /// The next draw repaints every cell.
    func invalidate()
    /// Bracketed paste mode: the terminal marks pasted text (ESC[200~ … ESC[201~) so the console can send it to
    /// the guest as text and never take it for commands.
    func setBracketedPaste(_ on: Bool)
    /// Restores the terminal. Idempotent.
    func close()
}

/// How many colours a terminal shows.
public enum TerminalColorMode: Int, Comparable, Sendable {
    case none, c8, c16, c256, truecolor
    public static func < (a: TerminalColorMode, b: TerminalColorMode) -> Bool { a.rawValue < b.rawValue }
}

/// Wakes a terminal blocked in `nextKey` from any thread.
public struct TerminalWaker: Sendable {
    private let action: @Sendable () -> Void
    public init(_ action: @escaping @Sendable () -> Void) { self.action = action }
    public func wake() { action() }
}
