import Foundation

/// What the screen sampler knows of one domain's screen: the state, the text it was decided from (for previews
/// and `screens --text`), and when it was seen and last changed. Pixels are never kept.
public struct DomainScreen: Sendable, Hashable {
    public var key: DomainKey
    public var hostName: String
    public var domainName: String
    public var state: ScreenState
    public var observation: ScreenObservation
    /// Wall-clock time of the look that produced this, and of the last look whose screen differed from the one
    /// before (the first look counts as a change).
    public var seenAt: Date
    public var changedAt: Date
    /// How the display was reached ("127.0.0.1:5901", "ssh kvm-b → 127.0.0.1:5900", "libvirt").
    public var route: String
    /// Consecutive failed looks (unreachable, timeouts): the sampler backs off while this grows.
    public var failures: Int

    public init(key: DomainKey, hostName: String, domainName: String, state: ScreenState, observation: ScreenObservation,
                seenAt: Date, changedAt: Date, route: String, failures: Int = 0) {
        self.key = key; self.hostName = hostName; self.domainName = domainName; self.state = state
        self.observation = observation; self.seenAt = seenAt; self.changedAt = changedAt; self.route = route
        self.failures = failures
    }

    /// The screen's text, if it was a text console.
    public var text: ScreenText? { observation.text }

    /// Seconds since the screen last changed, at `now`.
    public func secondsSinceChange(at now: Date) -> Double { max(0, now.timeIntervalSince(changedAt)) }
}

/// Every domain's screen, as the sampler last saw it. Immutable; handed from the sampler to the UI, batch output
/// and the exporter as the fleet snapshot is.
public struct ScreenSnapshot: Sendable {
    public var generation: UInt64
    public var screens: [DomainKey: DomainScreen]

    public init(generation: UInt64 = 0, screens: [DomainKey: DomainScreen] = [:]) {
        self.generation = generation; self.screens = screens
    }

    public static let empty = ScreenSnapshot()

    public subscript(key: DomainKey) -> DomainScreen? { screens[key] }
}

/// A domain whose display the sampler should look at: the first VNC display of a domain that has a QEMU (or Xen)
/// process behind it.
public struct ScreenTarget: Sendable, Hashable {
    public var key: DomainKey
    public var hostName: String
    /// The host's libvirt URI ("" = libvirt's default).
    public var hostURI: String
    public var domainName: String
    public var graphics: GraphicsInfo
    /// Its index among the domain's <graphics> elements (virDomainOpenGraphicsFD wants it).
    public var graphicsIndex: Int
    /// Changes when the domain starts, stops or restarts: the sampler looks again soon after a change.
    public var lifecycle: String

    public init(key: DomainKey, hostName: String, hostURI: String, domainName: String, graphics: GraphicsInfo,
                graphicsIndex: Int, lifecycle: String) {
        self.key = key; self.hostName = hostName; self.hostURI = hostURI; self.domainName = domainName
        self.graphics = graphics; self.graphicsIndex = graphicsIndex; self.lifecycle = lifecycle
    }

    /// The domains of a fleet snapshot whose screens can be looked at: active (an id: running, paused, blocked,
    /// crashed but kept) with a VNC display in their XML. Stale rows (their host is down) are left out.
    public static func targets(in snapshot: FleetSnapshot) -> [ScreenTarget] {
        var uriByHost: [String: String] = [:]
        for h in snapshot.hosts { uriByHost[h.config.id] = h.config.uri }
        var out: [ScreenTarget] = []
        for row in snapshot.domains where !row.stale && row.sample.id != nil {
            guard let gs = row.description?.graphics,
                  let i = gs.firstIndex(where: { $0.type.lowercased() == "vnc" }) else { continue }
            let s = row.sample
            out.append(ScreenTarget(key: s.key, hostName: row.hostName, hostURI: uriByHost[s.key.hostID] ?? "",
                                    domainName: s.name, graphics: gs[i], graphicsIndex: i,
                                    lifecycle: "\(s.id ?? -1):\(s.state.rawValue):\(gs[i].port ?? -1)"))
        }
        return out
    }
}

extension FleetSnapshot {
    /// The snapshot with each domain's screen in its row (rows without one keep nil), under a new generation.
    public func withScreens(_ screens: ScreenSnapshot, generation: UInt64) -> FleetSnapshot {
        var out = self
        out.generation = generation
        if screens.screens.isEmpty { return out }
        out.domains.withUnsafeMutableBufferPointer { rows in
            for i in rows.indices {
                rows[i].screen = screens.screens[rows[i].sample.key]
            }
        }
        return out
    }
}
