import FleetCore
import Foundation

/// A line of console output in colour runs (nil: the console's current colour).
public struct ConsoleLine: Sendable, Hashable {
    public var runs: [(text: String, fg: UInt8?)]
    public init(_ text: String, fg: UInt8? = nil) { runs = [(text, fg)] }
    public init(runs: [(text: String, fg: UInt8?)]) { self.runs = runs }
    public var text: String { runs.map(\.text).joined() }

    public static func == (a: ConsoleLine, b: ConsoleLine) -> Bool {
        a.runs.count == b.runs.count && zip(a.runs, b.runs).allSatisfy { $0.text == $1.text && $0.fg == $1.fg }
    }
    public func hash(into h: inout Hasher) { for r in runs { h.combine(r.text); h.combine(r.fg) } }
}

/// What a Debian 12 guest prints on its console: the kernel's first messages (fitting its hypervisor and
/// devices), systemd starting services (the ones its name suggests), then getty's issue and login prompt.
/// Or, for a guest that died, an oops and a kernel panic.
public enum LinuxBootLog {
    public static let kernel = "6.1.0-18-amd64"
    public static let kernelBuild = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"

    /// The boot, up to (not including) the issue and the login prompt.
    public static func boot(_ g: DemoGuest) -> [ConsoleLine] {
        var k = KernelClock(seed: g.seed, stream: g.stream)
        var out: [ConsoleLine] = []
        func kmsg(_ s: String, _ dt: Double = 0.002) { out.append(ConsoleLine(k.stamp(after: dt) + " " + s)) }
        let disk = g.description.disks.first { $0.device != "cdrom" }?.target ?? "vda"
        let nic = g.description.nics.first
        let xen = g.description.domainType == "xen"
        kmsg("Linux version \(kernel) (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) \(kernelBuild)", 0)
        kmsg("Command line: BOOT_IMAGE=/boot/vmlinuz-\(kernel) root=UUID=\(uuidLike(g, 1)) ro quiet", 0)
        switch g.kind {
        case .xenPV:
            kmsg("Booting paravirtualized kernel on Xen", 0.0)
            kmsg("Xen version: 4.17.3 (preserve-AD)", 0.0)
        case .xenPVH:
            kmsg("Booting paravirtualized kernel on Xen PVH", 0.0)
            kmsg("Xen version: 4.17.3 (preserve-AD)", 0.0)
        case .xenHVM:
            kmsg("Hypervisor detected: Xen HVM", 0.0)
            kmsg("Xen version 4.17.", 0.0)
        case .kvm:
            kmsg("Hypervisor detected: KVM", 0.0)
        default:
            kmsg("DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014", 0.0)
        }
        kmsg("smpboot: Allowing \(g.vcpus) CPUs, 0 hotplug CPUs", 0.011)
        kmsg("Memory: \(g.memoryMiB * 1024 - 180_000)K/\(g.memoryMiB * 1024)K available (14342K kernel code, 2331K rwdata, 9104K rodata, 2792K init, 17440K bss, 178392K reserved, 0K cma-reserved)", 0.05)
        if xen && g.kind != .xenHVM || g.pvDrivers {
            if g.kind == .xenHVM { kmsg("xen: --> pirq=16 -> irq=9 (gsi=9)", 0.2) }
            kmsg("xen:grant_table: Grant tables using version 1 layout", 0.15)
            kmsg("Xen virtual console successfully installed as hvc0", 0.05)
            kmsg("blkfront: \(disk): flush diskcache: enabled; persistent grants: enabled; indirect descriptors: enabled; bounce buffer: enabled", 0.4)
            kmsg(" \(disk): \(disk)1 \(disk)2 < \(disk)5 >", 0.01)
            if nic != nil { kmsg("xen_netfront: Initialising Xen virtual ethernet driver", 0.02) }
            if g.kind == .xenPV { kmsg("xen-fbfront: Initialising Xen virtual framebuffer driver", 0.01) }
        } else if xen {
            kmsg("ata1.00: ATA-7: QEMU HARDDISK, 2.5+, max UDMA/100", 0.5)
            kmsg("sd 0:0:0:0: [sda] 83886080 512-byte logical blocks: (42.9 GB/40.0 GiB)", 0.05)
            kmsg("e1000 0000:00:04.0 eth0: Intel(R) PRO/1000 Network Connection", 0.05)
        } else {
            kmsg("virtio_blk virtio2: [\(disk)] 83886080 512-byte logical blocks (42.9 GB/40.0 GiB)", 0.5)
            kmsg(" \(disk): \(disk)1 \(disk)2 < \(disk)5 >", 0.01)
            if nic != nil { kmsg("virtio_net virtio1 enp1s0: renamed from eth0", 0.05) }
        }
        let root = xen && g.kind != .xenHVM || g.pvDrivers ? disk + "1" : (xen ? "sda1" : disk + "1")
        kmsg("EXT4-fs (\(root)): mounted filesystem with ordered data mode. Quota mode: none.", 0.35)
        kmsg("systemd[1]: systemd 252.22-1~deb12u1 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)", 0.3)
        kmsg("systemd[1]: Detected virtualization \(xen ? "xen" : g.kind == .kvm ? "kvm" : "qemu").", 0.001)
        kmsg("systemd[1]: Detected architecture x86-64.", 0.0005)
        kmsg("systemd[1]: Hostname set to <\(g.name)>.", 0.002)

        func ok(_ s: String) { out.append(ConsoleLine(runs: [("[", nil), ("  OK  ", ConsolePalette.brightGreen), ("] " + s, nil)])) }
        func starting(_ s: String) { out.append(ConsoleLine("         Starting " + s + "...")) }
        ok("Created slice system-getty.slice - Slice /system/getty.")
        ok("Started systemd-journald.service - Journal Service.")
        ok("Finished systemd-remount-fs.service - Remount Root and Kernel File Systems.")
        ok("Finished systemd-udev-trigger.service - Coldplug All udev Devices.")
        ok("Reached target local-fs.target - Local File Systems.")
        ok("Finished systemd-tmpfiles-setup.service - Create Volatile Files and Directories.")
        ok("Reached target sysinit.target - System Initialization.")
        ok("Started cron.service - Regular background program processing daemon.")
        starting("networking.service - Raise network interfaces")
        ok("Finished networking.service - Raise network interfaces.")
        ok("Reached target network.target - Network.")
        starting("ssh.service - OpenBSD Secure Shell server")
        for (unit, what) in services(for: g.name) {
            starting("\(unit) - \(what)")
            ok("Started \(unit) - \(what).")
        }
        ok("Started ssh.service - OpenBSD Secure Shell server.")
        ok("Started getty@tty1.service - Getty on tty1.")
        if xen && g.kind != .xenHVM { ok("Started serial-getty@hvc0.service - Serial Getty on hvc0.") }
        ok("Reached target getty.target - Login Prompts.")
        ok("Reached target multi-user.target - Multi-User System.")
        ok("Reached target graphical.target - Graphical Interface.")
        starting("systemd-update-utmp-runlevel.service - Record Runlevel Change in UTMP")
        ok("Finished systemd-update-utmp-runlevel.service - Record Runlevel Change in UTMP.")
        return out
    }

    /// getty's /etc/issue, shown above each login prompt.
    public static func issue(_ g: DemoGuest) -> [ConsoleLine] {
        [ConsoleLine(""), ConsoleLine("Debian GNU/Linux 12 \(g.name) tty1"), ConsoleLine(""),
         ConsoleLine("FleetTUI demo guest: log in as any user, no password; then type help."), ConsoleLine("")]
    }

    public static func loginPrompt(_ g: DemoGuest) -> String { "\(g.name) login: " }

    /// The services a guest of this name would run.
    static func services(for name: String) -> [(String, String)] {
        var s: [(String, String)] = []
        if name.contains("web") { s.append(("nginx.service", "A high performance web server and a reverse proxy server")) }
        if name.contains("db") || name.contains("postgres") { s.append(("postgresql@15-main.service", "PostgreSQL Cluster 15-main")) }
        if name.contains("k8s") {
            s.append(("containerd.service", "containerd container runtime"))
            s.append(("kubelet.service", "kubelet: The Kubernetes Node Agent"))
        }
        if name.contains("gitlab") { s.append(("gitlab-runsvdir.service", "GitLab Runit supervision process")) }
        if name.contains("grafana") { s.append(("grafana-server.service", "Grafana instance")) }
        if name.contains("dns") { s.append(("named.service", "BIND Domain Name Server")) }
        if name.contains("mail") { s.append(("postfix.service", "Postfix Mail Transport Agent")) }
        if s.isEmpty { s.append(("rsyslog.service", "System Logging Service")) }
        return s
    }

    /// A guest that died: a NULL dereference in the network receive path, in interrupt context, so the kernel
    /// panics. `at`: the guest's uptime when it happened.
    public static func panic(_ g: DemoGuest, uptime at: Double) -> [ConsoleLine] {
        var k = KernelClock(seed: g.seed, stream: g.stream, start: at)
        var out: [ConsoleLine] = []
        func kmsg(_ s: String, _ dt: Double = 0.00021) { out.append(ConsoleLine(k.stamp(after: dt) + " " + s)) }
        let xen = g.description.domainType == "xen"
        let rx = xen ? "xennet_poll+0x2f1/0x8a0 [xen_netfront]" : "virtnet_poll+0x3c5/0x560 [virtio_net]"
        let cpu = max(0, g.vcpus - 1) / 2
        kmsg("BUG: kernel NULL pointer dereference, address: 0000000000000008", 0)
        kmsg("#PF: supervisor read access in kernel mode")
        kmsg("#PF: error_code(0x0000) - not-present page")
        kmsg("PGD 0 P4D 0 ")
        kmsg("Oops: 0000 [#1] PREEMPT SMP NOPTI")
        kmsg("CPU: \(cpu) PID: 0 Comm: swapper/\(cpu) Not tainted \(kernel) #1  Debian 6.1.76-1")
        kmsg(xen ? "Hardware name: Xen HVM domU, BIOS 4.17.3 11/24/2023"
                 : "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014")
        kmsg("RIP: 0010:skb_release_data+0x6b/0x1a0")
        kmsg("Code: 48 8b 43 20 0f b6 53 7e 48 01 c3 84 d2 74 4c 48 8b 6b 30 45 31 e4 48 85 ed 74 22 <48> 8b 45 08 a8 01 0f 85 ab 00 00 00 48 8b 45 00 48 89 ef 48 89 43")
        kmsg("RSP: 0018:ffffb1c0c0190e48 EFLAGS: 00010202")
        kmsg("RAX: 0000000000000000 RBX: ffff9f2b4a3e1d00 RCX: 0000000000000000")
        kmsg("RDX: 0000000000000001 RSI: 0000000000000001 RDI: ffff9f2b4a3e1d00")
        kmsg("RBP: 0000000000000000 R08: 0000000000000000 R09: ffff9f2b40a1e0c0")
        kmsg("R10: 0000000000000001 R11: 0000000000000000 R12: 0000000000000000")
        kmsg("R13: ffff9f2b4a3e1d00 R14: 0000000000000000 R15: ffff9f2c3fd2b180")
        kmsg("FS:  0000000000000000(0000) GS:ffff9f2c3fd00000(0000) knlGS:0000000000000000")
        kmsg("CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033")
        kmsg("CR2: 0000000000000008 CR3: 000000010b4aa000 CR4: 0000000000350ee0")
        kmsg("Call Trace:")
        kmsg(" <IRQ>")
        kmsg(" ? __die_body.cold+0x1a/0x1f")
        kmsg(" ? page_fault_oops+0xd2/0x2b0")
        kmsg(" ? exc_page_fault+0x70/0x170")
        kmsg(" ? asm_exc_page_fault+0x22/0x30")
        kmsg(" ? skb_release_data+0x6b/0x1a0")
        kmsg(" consume_skb+0x39/0xa0")
        kmsg(" " + rx)
        kmsg(" __napi_poll+0x28/0x160")
        kmsg(" net_rx_action+0x29e/0x350")
        kmsg(" __do_softirq+0xc3/0x2ac")
        kmsg(" __irq_exit_rcu+0xaa/0xe0")
        kmsg(" common_interrupt+0x82/0xa0")
        kmsg(" </IRQ>")
        kmsg(" <TASK>")
        kmsg(" asm_common_interrupt+0x22/0x40")
        kmsg("RIP: 0010:default_idle+0xb/0x10")
        kmsg(" default_idle_call+0x2c/0xd0")
        kmsg(" do_idle+0x1f1/0x270")
        kmsg(" cpu_startup_entry+0x19/0x20")
        kmsg(" start_secondary+0x115/0x140")
        kmsg(" secondary_startup_64_no_verify+0xe5/0xeb")
        kmsg(" </TASK>")
        kmsg("Modules linked in: xt_conntrack nft_chain_nat xt_MASQUERADE nf_nat nf_conntrack_netlink nf_conntrack nf_defrag_ipv6 nf_defrag_ipv4 xfrm_user xfrm_algo overlay br_netfilter bridge stp llc nft_compat nf_tables nfnetlink binfmt_misc \(xen ? "xen_netfront xen_blkfront" : "virtio_net net_failover failover virtio_blk virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev") ext4 crc16 mbcache jbd2")
        kmsg("CR2: 0000000000000008")
        kmsg("---[ end trace 0000000000000000 ]---")
        kmsg("RIP: 0010:skb_release_data+0x6b/0x1a0")
        kmsg("Kernel panic - not syncing: Fatal exception in interrupt", 0.0031)
        kmsg("Kernel Offset: 0x1c600000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)", 0.0009)
        kmsg("---[ end Kernel panic - not syncing: Fatal exception in interrupt ]---", 0.0006)
        return out
    }

    /// A UUID-looking string that stays the same for a guest.
    static func uuidLike(_ g: DemoGuest, _ n: Int64) -> String {
        let a = DemoNoise.hash(g.seed, g.stream, n), b = DemoNoise.hash(g.seed, g.stream, n + 1)
        let hex = String(format: "%016llx%016llx", a, b)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }
}

/// The kernel's "[  seconds.micros]" timestamps, moving on a little (with some noise) between messages.
struct KernelClock {
    let seed: UInt64, stream: UInt64
    var t: Double
    var n: Int64 = 0

    init(seed: UInt64, stream: UInt64, start: Double = 0) { self.seed = seed; self.stream = stream; t = start }

    mutating func stamp(after dt: Double) -> String {
        n += 1
        t += dt * (0.5 + DemoNoise.unit(seed, stream ^ 0xC10C, n))
        let micros = Int64((t * 1e6).rounded(.down))
        let s = String(format: "%5lld.%06lld", micros / 1_000_000, micros % 1_000_000)
        return "[" + s + "]"
    }
}
