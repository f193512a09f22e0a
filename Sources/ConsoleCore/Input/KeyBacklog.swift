/// Keys typed into a console that did not reach the guest: typed while it was (re)connecting, or queued in a session
/// that broke before sending them (libvncclient sends nothing while it reads an update: a slow update that then timed
/// out took every key typed meanwhile with it). They go to the next session once it is connected, in order, unless
/// they are older than `maxAge` by then (a guest seconds later is another moment; minutes later, keys typed for
/// another screen must not land on it): those are dropped and counted, for the status line.
public struct KeyBacklog: Sendable {
    public static let maxAge = 30.0
    public static let maxKeys = 4096

    private var held: [(stroke: KeyStroke, at: Double)] = []
    /// Key presses dropped since the last `release` for being over `maxKeys`.
    private var dropped = 0

    public init() {}

    public var isEmpty: Bool { held.isEmpty }
    public var count: Int { held.count }

    /// Holds keys typed (or found unsent) at `now`.
    public mutating func hold(_ strokes: [KeyStroke], at now: Double) {
        held.append(contentsOf: strokes.map { ($0, now) })
        if held.count > Self.maxKeys {
            let over = held.count - Self.maxKeys
            dropped += held.prefix(over).filter { $0.stroke.down }.count
            held.removeFirst(over)
        }
    }

    /// What to send now that a session is connected: the held keys no older than `maxAge`, in the order typed; and
    /// how many key presses were dropped (too old, or too many). A release of a key whose press was dropped is dropped with it;
    /// the backlog is empty afterwards.
    public mutating func release(at now: Double) -> (send: [KeyStroke], dropped: Int) {
        var send: [KeyStroke] = []
        var droppedDown = Set<UInt32>()
        var n = dropped
        for (stroke, at) in held {
            if now - at > Self.maxAge {
                if stroke.down { droppedDown.insert(stroke.keysym) }
                n += stroke.down ? 1 : 0
                continue
            }
            if !stroke.down && droppedDown.remove(stroke.keysym) != nil { continue }
            send.append(stroke)
        }
        held.removeAll()
        dropped = 0
        return (send, n)
    }

    /// Forgets everything (the console detached).
    public mutating func clear() {
        held.removeAll()
        dropped = 0
    }
}
