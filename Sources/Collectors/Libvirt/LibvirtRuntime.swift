import CLibvirt
import CLibvirtShims
import Foundation

/// Process-wide libvirt setup, done once before the first connection: silence libvirt's stderr
/// printing (fatal inside a curses screen), register the default event loop and run it forever on
/// its own thread. Keepalive, close callbacks and domain events only work with that loop running.
public enum LibvirtRuntime {
    private static let started: Bool = {
        // One collector thread per host would each get its own glibc malloc arena; their
        // fragmentation cost ~30 MB at 10,000 domains. Two arenas are plenty for this workload.
        fleet_malloc_limit_arenas(2)
        fleet_virt_silence_errors()
        _ = virInitialize()
        if virEventRegisterDefaultImpl() != 0 {
            _ = LibvirtError.last("virEventRegisterDefaultImpl")
            return false
        }
        let t = Thread {
            while true {
                if virEventRunDefaultImpl() != 0 {
                    _ = LibvirtError.last("virEventRunDefaultImpl")
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
        }
        t.name = "libvirt-events"
        t.stackSize = 1 << 20
        t.start()
        return true
    }()

    /// Idempotent, thread-safe. Returns whether the event loop is running.
    @discardableResult
    public static func start() -> Bool { started }
}
