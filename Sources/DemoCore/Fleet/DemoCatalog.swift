import FleetCore

/// The demo fleet's cast: what each guest of the demo node files (Sources/Collectors/DemoFleet) does, and what
/// its host says about itself. Guests not listed here get a modest load of their own (from the seed).
public enum DemoCatalog {
    /// What a demo host reports (virConnectGetType, GetVersion, GetLibVersion), by its group.
    public static func facts(group: String?) -> (hypervisor: String, version: String, libvirt: String) {
        switch group {
        case "xen": return ("Xen", "4.17.3", "9.0.0")
        default: return ("QEMU", "7.2.0", "9.0.0")
        }
    }

    public static func profile(for name: String, seed: UInt64) -> DemoProfile {
        if let p = profiles[name] { return p }
        let s = DemoNoise.stream(name)
        var p = DemoProfile(cpu: DemoActivity(0.05 + 0.3 * DemoNoise.unit(seed, s, 1), swing: 0.08, period: 100, jitter: 0.04))
        p.diskWrite = DemoActivity(200_000 + 2_000_000 * DemoNoise.unit(seed, s, 2), jitter: 100_000, bursts: 0.1, of: 8_000_000)
        p.netRx = DemoActivity(100_000 + 1_000_000 * DemoNoise.unit(seed, s, 3), swing: 50_000, jitter: 40_000)
        p.netTx = DemoActivity(100_000 + 1_000_000 * DemoNoise.unit(seed, s, 4), swing: 50_000, jitter: 40_000)
        return p
    }

    static let profiles: [String: DemoProfile] = {
        var all: [String: DemoProfile] = [:]
        func add(_ name: String, _ cpu: DemoActivity, _ edit: (inout DemoProfile) -> Void = { _ in }) {
            var p = DemoProfile(cpu: cpu)
            edit(&p)
            all[name] = p
        }
        let MB = 1_000_000.0
        let pvFramebuffer = DemoConsoleSpec.Display.framebuffer(width: 800, height: 600)   // xen-fbfront's default
        let svga = DemoConsoleSpec.Display.framebuffer(width: 1024, height: 768)

        // ---- the Xen host ----
        // Domain-0 runs the backends: a steady share of its 8 vCPUs.
        add("Domain-0", DemoActivity(0.10, swing: 0.04, period: 60, jitter: 0.03, bursts: 0.15, of: 0.12, lasting: 6)) {
            $0.uptimeDays = 61
        }
        add("web-frontend-1", DemoActivity(0.38, swing: 0.2, period: 90, jitter: 0.08, bursts: 0.15, of: 0.35, lasting: 8)) {
            $0.netRx = DemoActivity(2.5 * MB, swing: 1.2 * MB, period: 90, jitter: 0.4 * MB, bursts: 0.12, of: 6 * MB)
            $0.netTx = DemoActivity(9 * MB, swing: 4 * MB, period: 90, jitter: 1.5 * MB, bursts: 0.12, of: 20 * MB)
            $0.diskRead = DemoActivity(0.15 * MB, jitter: 0.1 * MB)
            $0.diskWrite = DemoActivity(0.6 * MB, jitter: 0.3 * MB, bursts: 0.08, of: 12 * MB, lasting: 6)
            $0.txPacketBytes = 1400
            $0.uptimeDays = 23
            $0.console = DemoConsoleSpec(.login, on: pvFramebuffer)
        }
        add("web-frontend-2", DemoActivity(0.26, swing: 0.15, period: 110, jitter: 0.07, bursts: 0.12, of: 0.3, lasting: 8)) {
            $0.netRx = DemoActivity(1.8 * MB, swing: 0.9 * MB, period: 110, jitter: 0.3 * MB, bursts: 0.1, of: 5 * MB)
            $0.netTx = DemoActivity(6.5 * MB, swing: 3 * MB, period: 110, jitter: 1.2 * MB, bursts: 0.1, of: 15 * MB)
            $0.diskWrite = DemoActivity(0.4 * MB, jitter: 0.2 * MB, bursts: 0.08, of: 10 * MB, lasting: 6)
            $0.txPacketBytes = 1400
            $0.uptimeDays = 23
            $0.console = DemoConsoleSpec(.login, on: pvFramebuffer)
        }
        add("mail-relay", DemoActivity(0.05, jitter: 0.02)) { $0.uptimeDays = 140 }      // paused in the node file
        add("dns-pvh", DemoActivity(0.05, swing: 0.02, jitter: 0.02, bursts: 0.05, of: 0.2, lasting: 5)) {
            $0.netRx = DemoActivity(0.15 * MB, swing: 0.05 * MB, jitter: 0.04 * MB)
            $0.netTx = DemoActivity(0.2 * MB, swing: 0.06 * MB, jitter: 0.05 * MB)
            $0.rxPacketBytes = 90; $0.txPacketBytes = 160
            $0.diskWrite = DemoActivity(0.02 * MB, jitter: 0.01 * MB)
            $0.uptimeDays = 96
        }
        // The nightly build, started now and then: all 8 vCPUs, sources fetched, objects written.
        add("build-pvh", DemoActivity(0.82, swing: 0.1, period: 30, jitter: 0.1)) {
            $0.lifecycle = .cycle(period: 240, runFor: 80)
            $0.diskRead = DemoActivity(15 * MB, jitter: 8 * MB, bursts: 0.2, of: 60 * MB, lasting: 6)
            $0.diskWrite = DemoActivity(35 * MB, swing: 15 * MB, period: 20, jitter: 10 * MB, bursts: 0.2, of: 90 * MB, lasting: 6)
            $0.netRx = DemoActivity(4 * MB, jitter: 2 * MB, bursts: 0.15, of: 30 * MB, lasting: 8)
            $0.netTx = DemoActivity(0.2 * MB, jitter: 0.1 * MB)
            $0.used = 0.5...0.9
        }
        // Windows: quiet, then Windows Update.
        add("win2019-hvm", DemoActivity(0.06, jitter: 0.03, bursts: 0.12, of: 0.55, lasting: 15)) {
            $0.diskRead = DemoActivity(0.3 * MB, jitter: 0.2 * MB, bursts: 0.12, of: 25 * MB, lasting: 15)
            $0.diskWrite = DemoActivity(0.5 * MB, jitter: 0.3 * MB, bursts: 0.12, of: 18 * MB, lasting: 15)
            $0.netRx = DemoActivity(0.05 * MB, jitter: 0.03 * MB, bursts: 0.12, of: 4 * MB, lasting: 15)
            $0.netTx = DemoActivity(0.03 * MB, jitter: 0.02 * MB)
            $0.uptimeDays = 9
            $0.console = DemoConsoleSpec(.picture(.serverLockScreen), on: svga)
        }
        add("legacy-erp-hvm", DemoActivity(0.2)) { $0.uptimeDays = 0 }                   // crashed in the node file
        add("db-primary-pvhvm", DemoActivity(0.45, swing: 0.25, period: 150, jitter: 0.1, bursts: 0.1, of: 0.3, lasting: 12)) {
            $0.diskRead = DemoActivity(40 * MB, swing: 20 * MB, period: 150, jitter: 8 * MB)
            $0.diskWrite = DemoActivity(22 * MB, swing: 8 * MB, period: 150, jitter: 6 * MB, bursts: 0.12, of: 110 * MB, lasting: 8)
            $0.readRequestBytes = 16384; $0.writeRequestBytes = 16384
            $0.netRx = DemoActivity(8 * MB, swing: 3 * MB, period: 150, jitter: 2 * MB)
            $0.netTx = DemoActivity(20 * MB, swing: 8 * MB, period: 150, jitter: 4 * MB)
            $0.balloon = 0.62...0.85; $0.balloonPeriod = 180
            $0.uptimeDays = 47
            $0.console = DemoConsoleSpec(.login, on: svga)
        }
        add("db-replica-pvhvm", DemoActivity(0.2)) { $0.uptimeDays = 47 }                // paused in the node file

        // ---- the KVM host ----
        add("k8s-control-1", DemoActivity(0.18, swing: 0.05, period: 60, jitter: 0.05, bursts: 0.08, of: 0.25, lasting: 6)) {
            $0.diskWrite = DemoActivity(2.5 * MB, jitter: 0.8 * MB)
            $0.writeRequestBytes = 8192                  // etcd's small synchronous writes
            $0.netRx = DemoActivity(1.1 * MB, swing: 0.3 * MB, jitter: 0.2 * MB)
            $0.netTx = DemoActivity(1.4 * MB, swing: 0.3 * MB, jitter: 0.2 * MB)
            $0.uptimeDays = 34
            $0.console = DemoConsoleSpec(.login, on: svga)
        }
        add("k8s-worker-1", DemoActivity(0.55, swing: 0.3, period: 120, jitter: 0.12, bursts: 0.15, of: 0.3, lasting: 10)) {
            $0.netRx = DemoActivity(25 * MB, swing: 12 * MB, period: 120, jitter: 5 * MB, bursts: 0.1, of: 60 * MB)
            $0.netTx = DemoActivity(18 * MB, swing: 9 * MB, period: 120, jitter: 4 * MB, bursts: 0.1, of: 40 * MB)
            $0.dropsInBursts = 3
            $0.diskRead = DemoActivity(3 * MB, jitter: 1.5 * MB, bursts: 0.1, of: 40 * MB, lasting: 6)
            $0.diskWrite = DemoActivity(9 * MB, jitter: 3 * MB, bursts: 0.1, of: 50 * MB, lasting: 6)
            $0.balloon = 0.6...0.9; $0.balloonPeriod = 140
            $0.used = 0.55...0.85
            $0.uptimeDays = 34
            $0.console = DemoConsoleSpec(.login, on: svga)
        }
        // Panicked: one vCPU spins in the panic loop, nothing else moves.
        add("k8s-worker-2", DemoActivity(1.0 / 8)) {
            $0.used = 0.71...0.71
            $0.uptimeDays = 34
            $0.console = DemoConsoleSpec(.panic, on: svga)
        }
        add("gitlab", DemoActivity(0.28, swing: 0.12, period: 200, jitter: 0.08, bursts: 0.12, of: 0.45, lasting: 12)) {
            $0.diskRead = DemoActivity(2 * MB, jitter: 1 * MB, bursts: 0.08, of: 90 * MB, lasting: 20)   // backups
            $0.diskWrite = DemoActivity(4 * MB, jitter: 2 * MB, bursts: 0.08, of: 40 * MB, lasting: 20)
            $0.netRx = DemoActivity(1.5 * MB, swing: 0.8 * MB, jitter: 0.4 * MB, bursts: 0.1, of: 25 * MB, lasting: 8)
            $0.netTx = DemoActivity(3 * MB, swing: 1.5 * MB, jitter: 0.8 * MB, bursts: 0.1, of: 45 * MB, lasting: 8)
            $0.used = 0.7...0.9
            $0.uptimeDays = 12
            $0.console = DemoConsoleSpec(.login, on: svga)
        }
        add("postgres-16", DemoActivity(0.3)) { $0.uptimeDays = 80 }                      // paused in the node file
        add("windows-11-desktop", DemoActivity(0.12, swing: 0.06, period: 45, jitter: 0.08, bursts: 0.1, of: 0.4, lasting: 6)) {
            $0.diskRead = DemoActivity(0.8 * MB, jitter: 0.5 * MB, bursts: 0.1, of: 30 * MB, lasting: 6)
            $0.diskWrite = DemoActivity(0.6 * MB, jitter: 0.4 * MB)
            $0.netRx = DemoActivity(0.4 * MB, jitter: 0.3 * MB, bursts: 0.1, of: 8 * MB, lasting: 6)
            $0.netTx = DemoActivity(0.1 * MB, jitter: 0.05 * MB)
            $0.used = 0.6...0.8
            $0.uptimeDays = 2
            $0.console = DemoConsoleSpec(.picture(.desktop), on: .framebuffer(width: 1280, height: 800))
        }
        // A CI runner that stops between jobs and boots again for the next.
        add("ci-runner-01", DemoActivity(0.85, swing: 0.1, period: 25, jitter: 0.1)) {
            $0.lifecycle = .cycle(period: 150, runFor: 120)
            $0.diskRead = DemoActivity(6 * MB, jitter: 3 * MB, bursts: 0.15, of: 30 * MB, lasting: 5)
            $0.diskWrite = DemoActivity(14 * MB, jitter: 6 * MB, bursts: 0.15, of: 45 * MB, lasting: 5)
            $0.netRx = DemoActivity(5 * MB, jitter: 3 * MB, bursts: 0.2, of: 35 * MB, lasting: 5)
            $0.netTx = DemoActivity(0.5 * MB, jitter: 0.3 * MB)
            $0.used = 0.4...0.95
        }
        // Rebooted into GRUB's menu and waiting there: GRUB polls the keyboard on one vCPU.
        add("grafana", DemoActivity(0.42, jitter: 0.02)) {
            $0.used = 0.04...0.04
            $0.uptimeDays = 0.004
            $0.console = DemoConsoleSpec(.grub, on: .vgaText)
        }
        add("qemu-tcg-arm-test", DemoActivity(0.22, swing: 0.08, period: 80, jitter: 0.06)) {
            $0.diskWrite = DemoActivity(0.1 * MB, jitter: 0.05 * MB)
            $0.netRx = DemoActivity(0.02 * MB, jitter: 0.01 * MB)
            $0.netTx = DemoActivity(0.01 * MB, jitter: 0.005 * MB)
            $0.uptimeDays = 3
            $0.console = DemoConsoleSpec(.login, on: .vgaText)
        }
        return all
    }()
}
