/// What each column shows for a domain, and the number it sorts by.
extension DomainColumn {
    /// The cell text (unsanitised names are escaped here: names come from outside).
    public func text(for row: DomainRow) -> String {
        let s = row.sample
        switch self {
        case .host: return Sanitize.forTerminal(row.hostName)
        case .id: return s.id.map(String.init) ?? "-"
        case .name: return Sanitize.forTerminal(s.name)
        case .state: return DomainColumn.stateText(s.state)
        case .screen: return row.screen.map { DomainColumn.screenText($0.state) } ?? "-"
        case .virt: return DomainColumn.virtText(s)
        case .vcpu: return s.vcpus.map(String.init) ?? "-"
        case .cpu: return Units.percent(s.state.isActive ? row.rates.cpuPercent : nil)
        case .mem: return Units.kib(s.memCurrentKiB)
        case .memPercent: return Units.percent(row.memPercent)
        case .rd: return Units.rate(row.rates.rdBytesPerSec)
        case .wr: return Units.rate(row.rates.wrBytesPerSec)
        case .rdrq: return Units.count(row.rates.rdReqsPerSec)
        case .wrrq: return Units.count(row.rates.wrReqsPerSec)
        case .rx: return Units.rate(row.rates.rxBytesPerSec)
        case .tx: return Units.rate(row.rates.txBytesPerSec)
        case .time: return Units.cpuTime(nanoseconds: s.cpuTimeNs)
        case .uuid: return Sanitize.forTerminal(s.key.uuid)
        }
    }

    /// The numeric sort key of numeric columns; nil = unknown (always sorted last).
    /// Reads the row in place: copying its sample out (strings and all) would cost more than the lookup,
    /// and sorting calls this once per row.
    func number(for row: DomainRow) -> Double? {
        switch self {
        case .id: return row.sample.id.map(Double.init)
        case .vcpu: return row.sample.vcpus.map(Double.init)
        case .cpu: return row.sample.state.isActive ? row.rates.cpuPercent : nil
        case .mem: return row.sample.memCurrentKiB.map { Double($0) }   // not .map(Double.init): that is init(bitPattern:)
        case .memPercent: return row.memPercent
        case .rd: return row.rates.rdBytesPerSec
        case .wr: return row.rates.wrBytesPerSec
        case .rdrq: return row.rates.rdReqsPerSec
        case .wrrq: return row.rates.wrReqsPerSec
        case .rx: return row.rates.rxBytesPerSec
        case .tx: return row.rates.txBytesPerSec
        case .time: return row.sample.cpuTimeNs.map { Double($0) }
        case .state: return Double(DomainColumn.stateOrder(row.sample.state))
        case .screen: return row.screen.map { Double($0.state.severity.rawValue) }
        case .virt: return Double(VirtKind.allCases.firstIndex(of: row.sample.kind) ?? 0)
        case .host, .name, .uuid: return nil
        }
    }

    public static func stateText(_ state: DomainState) -> String {
        switch state {
        case .pmsuspended: return "pmsusp"
        default: return state.rawValue
        }
    }

    /// A screen state as the SCREEN column shows it (unreachable is the one built-in name too long for it).
    public static func screenText(_ s: ScreenState) -> String {
        s.name == "unreachable" ? "unreach" : s.name
    }

    /// Xen HVM guests with PV drivers are "PVHVM", as xl and xentop call them.
    public static func virtText(_ s: DomainSample) -> String {
        s.kind == .xenHVM && s.pvDrivers ? "PVHVM" : s.kind.rawValue
    }

    /// Running first, then the states an operator should look at, then the idle ones.
    static func stateOrder(_ state: DomainState) -> Int {
        switch state {
        case .running: return 0
        case .blocked: return 1
        case .crashed: return 2
        case .paused: return 3
        case .pmsuspended: return 4
        case .shutdown: return 5
        case .shutoff: return 6
        case .nostate: return 7
        }
    }
}
