/// What a domain's XML says, read once per domain (and again on a lifecycle/define event), not on
/// every refresh: devices, graphics console, guest kind.
public struct DomainDescription: Sendable, Hashable {
    public var osType: String?              // "hvm", "linux"/"xen" (Xen PV), "xenpvh"
    public var domainType: String?          // <domain type='kvm|qemu|xen|test'>
    public var disks: [DiskInfo] = []
    public var nics: [NICInfo] = []
    public var graphics: [GraphicsInfo] = []
    /// <vcpu current=…>N</vcpu>: vCPUs online (current) and configured maximum.
    public var vcpus: Int?
    public var maxVcpus: Int?
    /// <memory> (maximum) and <currentMemory>, KiB.
    public var memoryKiB: UInt64?
    public var currentMemoryKiB: UInt64?
    public init() {}
}

public struct DiskInfo: Sendable, Hashable {
    public var target: String               // <target dev='vda'>
    public var bus: String?                 // virtio, xen, ide, sata, scsi
    public var source: String?              // file/dev path or network name
    public var device: String?              // disk, cdrom
    public init(target: String, bus: String? = nil, source: String? = nil, device: String? = nil) {
        self.target = target; self.bus = bus; self.source = source; self.device = device
    }
}

public struct NICInfo: Sendable, Hashable {
    public var target: String?              // <target dev='vnet0'> (nil when inactive)
    public var mac: String?
    public var model: String?               // virtio, netfront, e1000 …
    public var source: String?              // bridge / network name
    public init(target: String? = nil, mac: String? = nil, model: String? = nil, source: String? = nil) {
        self.target = target; self.mac = mac; self.model = model; self.source = source
    }
}

/// A `<graphics>` element. The password itself is never stored here: only whether one is set.
public struct GraphicsInfo: Sendable, Hashable {
    public var type: String                 // "vnc", "spice", …
    public var port: Int?                   // nil or -1 when autoport and inactive
    public var autoport: Bool
    public var listen: String?              // address, e.g. 127.0.0.1, 0.0.0.0, ::
    public var socket: String?              // UNIX socket path
    public var passwordSet: Bool
    public init(type: String, port: Int? = nil, autoport: Bool = false, listen: String? = nil,
                socket: String? = nil, passwordSet: Bool = false) {
        self.type = type; self.port = port; self.autoport = autoport; self.listen = listen
        self.socket = socket; self.passwordSet = passwordSet
    }
}
