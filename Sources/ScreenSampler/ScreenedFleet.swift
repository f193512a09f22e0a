import FleetCore
import Foundation
import Synchronization

/// A fleet source whose rows carry their screens: the stats come from `base` (the libvirt collectors), the screens
/// from a sampler that follows the base's running domains. The monitor and the exporter use it as any source;
/// `latest()` merges the two newest snapshots (once per change of either).
public final class ScreenedFleet: FleetSource, Sendable {
    public let base: FleetSource
    public let sampler: ScreenSampler

    private struct State {
        var generation: UInt64 = 0
        var baseGeneration: UInt64 = .max
        var screensGeneration: UInt64 = .max
        var merged = FleetSnapshot.empty
        var onUpdate: (@Sendable () -> Void)?
        /// Content of the screens last announced, to wake the UI only when a state or text changed (not for
        /// every look), and at most a few times a second.
        var announced: [DomainKey: ScreenObservation] = [:]
        var lastAnnounce = 0.0
    }
    private let state = Mutex(State())

    public init(base: FleetSource, sampler: ScreenSampler) {
        self.base = base
        self.sampler = sampler
    }

    public func start(onUpdate: @escaping @Sendable () -> Void) {
        state.withLock { $0.onUpdate = onUpdate }
        base.start { [weak self] in
            guard let self else { return }
            self.sampler.setTargets(ScreenTarget.targets(in: self.base.latest()))
            onUpdate()
        }
        sampler.start { [weak self] in self?.screensChanged() }
        // The base may already have a snapshot (started earlier to check that some host answers).
        sampler.setTargets(ScreenTarget.targets(in: base.latest()))
    }

    public func latest() -> FleetSnapshot {
        let b = base.latest()
        let s = sampler.latest()
        return state.withLock { st in
            if st.baseGeneration != b.generation || st.screensGeneration != s.generation {
                st.baseGeneration = b.generation
                st.screensGeneration = s.generation
                st.generation += 1
                st.merged = b.withScreens(s, generation: st.generation)
            }
            return st.merged
        }
    }

    public func setInterval(_ seconds: Double) { base.setInterval(seconds) }

    /// What is shown goes to the collectors (the sampler looks at every running domain's screen anyway).
    public func setDemand(_ demand: FleetDemand) { base.setDemand(demand) }

    public func stop() {
        sampler.stop()
        base.stop()
    }

    private func screensChanged() {
        let snap = sampler.latest()
        let now = Monotonic.now()
        let callback = state.withLock { st -> (@Sendable () -> Void)? in
            guard now - st.lastAnnounce >= 0.25 else { return nil }
            var changed = st.announced.count != snap.screens.count
            if !changed {
                for (k, v) in snap.screens where st.announced[k] != v.observation { changed = true; break }
            }
            guard changed else { return nil }
            st.announced = snap.screens.mapValues(\.observation)
            st.lastAnnounce = now
            return st.onUpdate
        }
        callback?()
    }
}
