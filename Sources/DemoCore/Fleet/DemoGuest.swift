import CollectorsCore
import FleetCore
import Foundation

/// What a demo guest's console needs to know about the guest: its name and hardware (for the boot log), and
/// its load and uptime (for `uptime`), computed from the same profile and seed as its counters.
public struct DemoGuest: Sendable {
    public var name: String
    public var description: DomainDescription
    public var kind: VirtKind
    public var pvDrivers: Bool
    public var profile: DemoProfile
    public var seed: UInt64
    public var stream: UInt64
    /// Wall-clock seconds when the guest booted.
    public var bootedAt: Double

    public var vcpus: Int { description.vcpus ?? 1 }
    public var memoryMiB: Int { Int((description.currentMemoryKiB ?? description.memoryKiB ?? 1 << 20) / 1024) }

    /// Load averages over 1, 5 and 15 minutes at `t`, as the guest's kernel would count them: busy vCPUs, plus
    /// a little for tasks waiting on IO.
    public func loadAverage(at t: Double) -> (Double, Double, Double) {
        func average(_ window: Double, _ points: Int) -> Double {
            var sum = 0.0
            for k in 0..<points {
                let at = t - window * Double(k) / Double(points)
                sum += profile.cpu.level(seed: seed, stream: stream, t: at, cap: 1)
            }
            return sum / Double(points) * Double(vcpus) + 0.02
        }
        return (average(60, 12), average(300, 20), average(900, 30))
    }

    public func uptime(at t: Double) -> Double { max(0, t - bootedAt) }
}

extension DemoWorld {
    /// The guest `name` on host `host`, for its console.
    public func guest(host: String, name: String) -> DemoGuest? {
        guard let p = profile(host: host, domain: name), let d = domainSpec(host: host, name: name) else { return nil }
        let stream = DemoNoise.stream(host + "/" + name)
        let (kind, pv) = GuestKind.detect(d.description)
        return DemoGuest(name: name, description: d.description, kind: kind, pvDrivers: pv, profile: p, seed: seed,
                         stream: stream, bootedAt: DemoWorld.bootedAt(profile: p, seed: seed, stream: stream, start: start))
    }

    /// When a guest that runs as defined booted (its uptime when the demo started, a little different for each).
    static func bootedAt(profile: DemoProfile, seed: UInt64, stream: UInt64, start: Double) -> Double {
        start - profile.uptimeDays * 86400 * (0.9 + 0.2 * DemoNoise.unit(seed, stream, 7))
    }
}
