import CLibvirt
import CLibvirtShims
import FleetCore
import Foundation
import Synchronization

/// What `virNodeGetInfo` says about a host.
public struct NodeInfo: Sendable, Hashable {
    public var model: String
    public var memoryKiB: UInt64
    public var cpus: Int
    public var mhz: Int
}

/// Cumulative CPU times of one physical CPU (or all), nanoseconds, from `virNodeGetCPUStats`.
public struct NodeCPUTimes: Sendable, Hashable {
    public var kernel: UInt64 = 0
    public var user: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var busy: UInt64 { kernel &+ user }
    public var total: UInt64 { kernel &+ user &+ idle &+ iowait }
}

/// Why libvirt closed a connection (virConnectCloseReason).
public enum CloseReason: Int32, Sendable {
    case error = 0, eof = 1, keepalive = 2, client = 3
    public var text: String {
        switch self {
        case .error: return "connection error"
        case .eof: return "connection closed by the host"
        case .keepalive: return "host stopped answering (keepalive timeout)"
        case .client: return "connection closed"
        }
    }
}

/// One libvirt connection (`virConnectPtr`). Read-only unless asked otherwise. Safe to use from
/// several threads (libvirt serialises internally); closed once, by `close()` or on deinit.
public final class Connection: Sendable {
    public let uri: String
    public let readOnly: Bool

    private struct State {
        var ptr: ConnectPointer?
        var closeCallbackRegistered = false
        var lifecycleCallbackID: Int32 = -1
    }
    private let state: Mutex<State>

    private init(uri: String, readOnly: Bool, ptr: virConnectPtr) {
        self.uri = uri; self.readOnly = readOnly
        state = Mutex(State(ptr: ConnectPointer(raw: ptr)))
    }

    /// Opens `uri` (nil or "" = libvirt's default: LIBVIRT_DEFAULT_URI, client config, probing).
    /// Monitoring always opens read-only; `readOnly: false` is only for callers that must have it
    /// (e.g. the console reading a VNC password with VIR_DOMAIN_XML_SECURE).
    public static func open(_ uri: String?, readOnly: Bool = true) throws -> Connection {
        LibvirtRuntime.start()
        let target = (uri?.isEmpty ?? true) ? nil : uri
        if let target, let problem = LibvirtURI.problem(target) {
            throw LibvirtError(code: Int32(VIR_ERR_INVALID_ARG.rawValue), domain: 0, message: problem,
                               operation: readOnly ? "virConnectOpenReadOnly" : "virConnectOpen")
        }
        // Every connection fleettui opens runs without a terminal of its own (collector threads under
        // curses, parallel lookups): ssh must never prompt.
        let opened = target.map(LibvirtURI.nonInteractive)
        let p: virConnectPtr? = readOnly ? virConnectOpenReadOnly(opened) : virConnectOpen(opened)
        guard let p else { throw LibvirtError.last(readOnly ? "virConnectOpenReadOnly" : "virConnectOpen") }
        return Connection(uri: target ?? "", readOnly: readOnly, ptr: p)
    }

    deinit { close() }

    /// Unregisters callbacks and closes the connection. Idempotent.
    public func close() {
        let (pointer, hadClose, lifecycle) = state.withLock { s in
            defer { s = State() }
            return (s.ptr, s.closeCallbackRegistered, s.lifecycleCallbackID)
        }
        guard let p = pointer?.raw else { return }
        if lifecycle >= 0 { _ = virConnectDomainEventDeregisterAny(p, lifecycle) }
        if hadClose { _ = virConnectUnregisterCloseCallback(p, connectionClosedTrampoline) }
        _ = virConnectClose(p)
        virResetLastError()
    }

    /// The live pointer, or an error if already closed.
    func handle(_ op: String) throws -> virConnectPtr {
        guard let p = state.withLock({ $0.ptr })?.raw else {
            throw LibvirtError(code: Int32(VIR_ERR_INVALID_CONN.rawValue), domain: 0,
                               message: "connection already closed", operation: op)
        }
        return p
    }

    /// The URI libvirt connected to (`virConnectGetURI`: the default one resolved), or the one given.
    public func connectedURI() -> String {
        guard let p = try? handle("virConnectGetURI"), let c = virConnectGetURI(p) else { virResetLastError(); return uri }
        defer { free(c) }
        return String(cString: c)
    }

    /// Is the connection still alive (socket open, keepalive answered)?
    public var isAlive: Bool {
        guard let p = try? handle("virConnectIsAlive") else { return false }
        return virConnectIsAlive(p) == 1
    }

    // MARK: host facts

    /// "QEMU", "Xen", "LIBXL", "TEST" …
    public func hypervisorType() throws -> String {
        let p = try handle("virConnectGetType")
        guard let s = virConnectGetType(p) else { throw LibvirtError.last("virConnectGetType") }
        return String(cString: s)   // static string owned by libvirt, not freed
    }

    public func hypervisorVersion() throws -> String {
        let p = try handle("virConnectGetVersion")
        var v: UInt = 0
        guard virConnectGetVersion(p, &v) == 0 else { throw LibvirtError.last("virConnectGetVersion") }
        return Self.versionString(UInt64(v))
    }

    public func libvirtVersion() throws -> String {
        let p = try handle("virConnectGetLibVersion")
        var v: UInt = 0
        guard virConnectGetLibVersion(p, &v) == 0 else { throw LibvirtError.last("virConnectGetLibVersion") }
        return Self.versionString(UInt64(v))
    }

    static func versionString(_ v: UInt64) -> String {
        "\(v / 1_000_000).\((v / 1000) % 1000).\(v % 1000)"
    }

    public func hostname() throws -> String {
        let p = try handle("virConnectGetHostname")
        guard let s = virConnectGetHostname(p) else { throw LibvirtError.last("virConnectGetHostname") }
        defer { free(s) }
        return String(cString: s)
    }

    public func nodeInfo() throws -> NodeInfo {
        let p = try handle("virNodeGetInfo")
        var info = virNodeInfo()
        guard virNodeGetInfo(p, &info) == 0 else { throw LibvirtError.last("virNodeGetInfo") }
        let model = withUnsafeBytes(of: info.model) { raw -> String in
            let bytes = raw.prefix(while: { $0 != 0 })
            return String(decoding: bytes, as: UTF8.self)
        }
        return NodeInfo(model: model, memoryKiB: UInt64(info.memory), cpus: Int(info.cpus), mhz: Int(info.mhz))
    }

    /// Free host memory in KiB.
    public func freeMemoryKiB() throws -> UInt64 {
        let p = try handle("virNodeGetFreeMemory")
        let bytes = virNodeGetFreeMemory(p)
        if bytes == 0 {
            let e = LibvirtError.last("virNodeGetFreeMemory")
            if e.code != -1 { throw e }
        }
        return UInt64(bytes) / 1024
    }

    /// CPU times of physical CPU `cpu`, or of all CPUs together when nil.
    public func nodeCPUTimes(cpu: Int? = nil) throws -> NodeCPUTimes {
        let p = try handle("virNodeGetCPUStats")
        let which = Int32(cpu ?? Int(VIR_NODE_CPU_STATS_ALL_CPUS.rawValue))
        var n: Int32 = 0
        guard virNodeGetCPUStats(p, which, nil, &n, 0) == 0 else { throw LibvirtError.last("virNodeGetCPUStats") }
        var params = [virNodeCPUStats](repeating: virNodeCPUStats(), count: Int(max(n, 1)))
        guard virNodeGetCPUStats(p, which, &params, &n, 0) == 0 else { throw LibvirtError.last("virNodeGetCPUStats") }
        var t = NodeCPUTimes()
        for i in 0..<Int(n) {
            let name = withUnsafeBytes(of: params[i].field) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let v = params[i].value
            switch name {
            case "kernel": t.kernel = v
            case "user": t.user = v
            case "idle": t.idle = v
            case "iowait": t.iowait = v
            default: break
            }
        }
        return t
    }

    // MARK: domains

    /// Every domain, active and inactive (one call).
    public func listAllDomains(flags: UInt32 = 0) throws -> [Domain] {
        let p = try handle("virConnectListAllDomains")
        var list: UnsafeMutablePointer<virDomainPtr?>? = nil
        let n = virConnectListAllDomains(p, &list, flags)
        guard n >= 0, let list else { throw LibvirtError.last("virConnectListAllDomains") }
        defer { free(list) }
        var out: [Domain] = []
        out.reserveCapacity(Int(n))
        for i in 0..<Int(n) { if let d = list[i] { out.append(Domain(owning: d)) } }
        return out
    }

    public func lookupDomain(uuid: String) throws -> Domain {
        let p = try handle("virDomainLookupByUUIDString")
        guard let d = virDomainLookupByUUIDString(p, uuid) else { throw LibvirtError.last("virDomainLookupByUUIDString") }
        return Domain(owning: d)
    }

    public func lookupDomain(name: String) throws -> Domain {
        let p = try handle("virDomainLookupByName")
        guard let d = virDomainLookupByName(p, name) else { throw LibvirtError.last("virDomainLookupByName") }
        return Domain(owning: d)
    }

    /// The bulk stats call: one RPC for every domain's requested groups.
    public func allDomainStats(groups: StatsGroups, flags: UInt32 = 0) throws -> DomainStatsList {
        let p = try handle("virConnectGetAllDomainStats")
        var records: UnsafeMutablePointer<virDomainStatsRecordPtr?>? = nil
        let n = virConnectGetAllDomainStats(p, groups.rawValue, &records, flags)
        guard n >= 0 else { throw LibvirtError.last("virConnectGetAllDomainStats") }
        return DomainStatsList(records: records, count: Int(n))
    }

    /// `virDomainListGetStats`: the bulk call for just these domains (handles of this connection).
    public func domainListStats(_ domains: [Domain], groups: StatsGroups, flags: UInt32 = 0) throws -> DomainStatsList {
        _ = try handle("virDomainListGetStats")
        var ptrs: [virDomainPtr?] = domains.map { $0.ptr } + [nil]
        var records: UnsafeMutablePointer<virDomainStatsRecordPtr?>? = nil
        let n = ptrs.withUnsafeMutableBufferPointer { virDomainListGetStats($0.baseAddress, groups.rawValue, &records, flags) }
        guard n >= 0 else { throw LibvirtError.last("virDomainListGetStats") }
        return DomainStatsList(records: records, count: Int(n))
    }

    // MARK: liveness and events

    /// Ping the host every `interval` seconds; after `count` unanswered pings the connection is
    /// closed (and the close callback fires). Local (non-remote) drivers do not support it: false.
    @discardableResult
    public func setKeepAlive(interval: Int32, count: UInt32) -> Bool {
        guard let p = try? handle("virConnectSetKeepAlive") else { return false }
        let r = virConnectSetKeepAlive(p, interval, count)
        if r != 0 { virResetLastError() }
        return r == 0
    }

    /// Called (on the event loop thread) when libvirt closes the connection underneath us.
    public func onClose(_ handler: @escaping @Sendable (CloseReason) -> Void) throws {
        let p = try handle("virConnectRegisterCloseCallback")
        let box = Unmanaged.passRetained(CloseBox(handler)).toOpaque()
        if virConnectRegisterCloseCallback(p, connectionClosedTrampoline, box, releaseBox) != 0 {
            Unmanaged<CloseBox>.fromOpaque(box).release()
            throw LibvirtError.last("virConnectRegisterCloseCallback")
        }
        state.withLock { $0.closeCallbackRegistered = true }
    }

    /// Domain lifecycle events (defined, started, stopped, …) for every domain of this host,
    /// delivered on the event loop thread with the domain's UUID.
    public func onLifecycle(_ handler: @escaping @Sendable (LifecycleEvent) -> Void) throws {
        let p = try handle("virConnectDomainEventRegisterAny")
        let box = Unmanaged.passRetained(LifecycleBox(handler)).toOpaque()
        let id = fleet_virt_register_lifecycle(p, lifecycleTrampoline, box, releaseBox)
        if id < 0 {
            Unmanaged<LifecycleBox>.fromOpaque(box).release()
            throw LibvirtError.last("virConnectDomainEventRegisterAny")
        }
        state.withLock { $0.lifecycleCallbackID = id }
    }
}

/// The domain stats groups to ask the bulk call for (VIR_DOMAIN_STATS_*).
public struct StatsGroups: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let state = StatsGroups(rawValue: VIR_DOMAIN_STATS_STATE.rawValue)
    public static let cpuTotal = StatsGroups(rawValue: VIR_DOMAIN_STATS_CPU_TOTAL.rawValue)
    public static let balloon = StatsGroups(rawValue: VIR_DOMAIN_STATS_BALLOON.rawValue)
    public static let vcpu = StatsGroups(rawValue: VIR_DOMAIN_STATS_VCPU.rawValue)
    public static let interface = StatsGroups(rawValue: VIR_DOMAIN_STATS_INTERFACE.rawValue)
    public static let block = StatsGroups(rawValue: VIR_DOMAIN_STATS_BLOCK.rawValue)
    /// What the monitor shows. vCPU counts come from the XML: the vcpu group costs daemon CPU.
    public static let monitor: StatsGroups = [.state, .cpuTotal, .balloon, .interface, .block]

    /// libvirt's groups for FleetCore's (pure) ones.
    public init(_ g: StatGroups) {
        var r: StatsGroups = []
        if g.contains(.state) { r.insert(.state) }
        if g.contains(.cpu) { r.insert(.cpuTotal) }
        if g.contains(.balloon) { r.insert(.balloon) }
        if g.contains(.vcpu) { r.insert(.vcpu) }
        if g.contains(.block) { r.insert(.block) }
        if g.contains(.interface) { r.insert(.interface) }
        self = r
    }
}

public enum StatsFlags {
    /// Skip domains whose job lock is held instead of blocking the whole call on them.
    public static let noWait = UInt32(VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT.rawValue)
}

/// virDomainEventType, with the domain it is about.
public struct LifecycleEvent: Sendable {
    public enum Kind: Int32, Sendable {
        case defined = 0, undefined, started, suspended, resumed, stopped, shutdown, pmsuspended, crashed
        case unknown = -1
    }
    public var uuid: String
    public var kind: Kind
    public var detail: Int32
}

/// virConnectPtr as a value threads may share: libvirt connections are thread-safe (calls are serialised inside).
private struct ConnectPointer: @unchecked Sendable {   // a C pointer; libvirt makes sharing it safe
    let raw: virConnectPtr
}

private final class CloseBox: Sendable {
    let handler: @Sendable (CloseReason) -> Void
    init(_ h: @escaping @Sendable (CloseReason) -> Void) { handler = h }
}

private final class LifecycleBox: Sendable {
    let handler: @Sendable (LifecycleEvent) -> Void
    init(_ h: @escaping @Sendable (LifecycleEvent) -> Void) { handler = h }
}

private let releaseBox: virFreeCallback = { opaque in
    guard let opaque else { return }
    Unmanaged<AnyObject>.fromOpaque(opaque).release()
}

private let connectionClosedTrampoline: virConnectCloseFunc = { _, reason, opaque in
    guard let opaque else { return }
    let box = Unmanaged<CloseBox>.fromOpaque(opaque).takeUnretainedValue()
    box.handler(CloseReason(rawValue: reason) ?? .error)
}

private let lifecycleTrampoline: fleet_virt_lifecycle_cb = { _, dom, event, detail, opaque in
    guard let opaque, let dom else { return }
    let box = Unmanaged<LifecycleBox>.fromOpaque(opaque).takeUnretainedValue()
    let uuid = Domain.uuidString(of: dom) ?? ""
    box.handler(LifecycleEvent(uuid: uuid, kind: LifecycleEvent.Kind(rawValue: event) ?? .unknown, detail: detail))
}
