/// The columns of the domain table: what each is called, how wide it is, how it sorts and what it shows.
public enum DomainColumn: String, CaseIterable, Sendable, Hashable {
    case host, id, name, state, screen, virt, vcpu, cpu, mem, memPercent = "mempct", rd, wr, rdrq, wrrq, rx, tx, time, uuid

    /// virt-top's default set plus HOST (id, uuid and screen are optional).
    public static let defaultSet: [DomainColumn] = [.host, .name, .state, .virt, .vcpu, .cpu, .mem, .memPercent,
                                                    .rd, .wr, .rx, .tx, .time]
    /// The default when the guests' screens are looked at: SCREEN (what each console says) after STATE.
    public static let defaultWithScreen: [DomainColumn] = [.host, .name, .state, .screen, .virt, .vcpu, .cpu, .mem,
                                                           .memPercent, .rd, .wr, .rx, .tx, .time]

    public var title: String {
        switch self {
        case .host: return "HOST"
        case .id: return "ID"
        case .name: return "NAME"
        case .state: return "STATE"
        case .screen: return "SCREEN"
        case .virt: return "VIRT"
        case .vcpu: return "VCPU"
        case .cpu: return "%CPU"
        case .mem: return "MEM"
        case .memPercent: return "%MEM"
        case .rd: return "RD/s"
        case .wr: return "WR/s"
        case .rdrq: return "RDRQ/s"
        case .wrrq: return "WRRQ/s"
        case .rx: return "RX/s"
        case .tx: return "TX/s"
        case .time: return "TIME"
        case .uuid: return "UUID"
        }
    }

    /// Width for fixed columns; the minimum for the flexible ones (name, host).
    public var width: Int {
        switch self {
        case .host: return 8
        case .id: return 5
        case .name: return 10
        case .state: return 8
        case .screen: return 9
        case .virt: return 5
        case .vcpu: return 4
        case .cpu: return 6
        case .mem: return 5
        case .memPercent: return 5
        case .rd, .wr, .rx, .tx: return 5
        case .rdrq, .wrrq: return 7
        case .time: return 8
        case .uuid: return 36
        }
    }

    /// How far a flexible column may grow (fixed columns: their width).
    public var maxWidth: Int {
        switch self {
        case .name: return 40
        case .host: return 16
        default: return width
        }
    }

    public var alignRight: Bool {
        switch self {
        case .host, .name, .state, .screen, .virt, .uuid: return false
        default: return true
        }
    }

    /// Higher stays longer when the terminal is narrow.
    public var priority: Int {
        switch self {
        case .name: return 100
        case .cpu: return 90
        case .state: return 85
        case .mem: return 80
        case .host: return 75
        case .screen: return 70
        case .memPercent: return 50
        case .vcpu: return 45
        case .time: return 40
        case .rd, .wr, .rdrq, .wrrq: return 32
        case .rx, .tx: return 30
        case .virt: return 25
        case .id: return 10
        case .uuid: return 5
        }
    }

    /// Numbers sort largest first by default, text A→Z; screens the most serious first.
    public var defaultDescending: Bool { alignRight || self == .screen }

    /// Parses a field name as given to `-o`, in a config file or virt-top's names.
    public init?(field: String) {
        let f = field.lowercased()
        if let c = DomainColumn(rawValue: f) { self = c; return }
        switch f {
        case "%cpu", "pcpu", "cpupct": self = .cpu
        case "%mem", "memory%", "pmem": self = .memPercent
        case "memory", "rss": self = .mem
        case "cputime": self = .time
        case "blockrdby", "rdby", "read", "rd/s", "rd_bytes_s": self = .rd
        case "blockwrby", "wrby", "write", "wr/s", "wr_bytes_s": self = .wr
        case "blockrdrq", "rdrq/s", "rd_reqs_s": self = .rdrq
        case "blockwrrq", "wrrq/s", "wr_reqs_s": self = .wrrq
        case "netrx", "rx/s": self = .rx
        case "nettx", "tx/s": self = .tx
        case "kind", "type": self = .virt
        case "vcpus", "cpus": self = .vcpu
        case "domain": self = .name
        case "console", "screens": self = .screen
        default: return nil
        }
    }

    /// `B` (virt-top's key): block I/O in bytes <-> in requests. The other columns stay as they are.
    public var blockUnitToggled: DomainColumn {
        switch self {
        case .rd: return .rdrq
        case .wr: return .wrrq
        case .rdrq: return .rd
        case .wrrq: return .wr
        default: return self
        }
    }

    /// The column names `-o`, `--columns` and config.toml accept, for help texts and error messages.
    public static var fieldList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a comma-separated column list ("name,cpu,mem"); unknown names are reported.
    public static func parseList(_ text: String) -> (columns: [DomainColumn], unknown: [String]) {
        let (columns, unknown) = parseNameList(text) { DomainColumn(field: $0) }
        return (columns, unknown)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
