import FleetCore

/// How a guest is virtualised, from its XML: `<domain type>` and `<os><type>`.
public enum GuestKind {
    /// KVM / QEMU-TCG / Xen PV / PVH / HVM. An HVM Xen guest "runs PV drivers" when its disks use
    /// bus `xen` or its NICs model `netfront`/`virtio` (then its IO bypasses emulated devices).
    public static func detect(_ d: DomainDescription) -> (kind: VirtKind, pvDrivers: Bool) {
        let os = d.osType?.lowercased()
        switch d.domainType?.lowercased() {
        case "kvm": return (.kvm, false)
        case "qemu": return (.qemu, false)
        case "lxc": return (.lxc, false)
        case "xen":
            switch os {
            case "linux", "xen": return (.xenPV, false)
            case "xenpvh": return (.xenPVH, false)
            case "hvm":
                let pv = d.disks.contains { $0.bus == "xen" }
                    || d.nics.contains { $0.model == "netfront" || $0.model == "virtio" }
                return (.xenHVM, pv)
            default: return (.other, false)
            }
        default: return (.other, false)
        }
    }
}
