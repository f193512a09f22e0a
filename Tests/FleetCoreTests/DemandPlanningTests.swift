import Foundation
import Testing
@testable import FleetCore

/// Issue 15: what the monitor shows → the demand it hands the fleet source → the libvirt reads a host plans.
/// Pure: no libvirt, no terminal.
@Suite struct DemandPlanningTests {
    typealias F = ViewFixtures
    static func key(_ h: String, _ n: String) -> DomainKey { DomainKey(hostID: h, uuid: "\(h)-\(n)") }

    /// 60 running domains on one host, named vm-00 … vm-59, busiest first (vm-00 is at 59 % CPU).
    static func bigFleet() -> FleetSnapshot {
        F.snapshot((0..<60).map { i in F.row("alpha", String(format: "vm-%02d", i), cpu: Double(59 - i), memKiB: 1024) },
                   hosts: [F.host("alpha")])
    }

    // MARK: - the monitor's demand

    @Test func theRowsOnScreenAndTheirColumnsAreDemandedTheRestOnlyCheapGroups() {
        var state = MonitorState()
        let table = F.table(Self.bigFleet())
        let layout = ScreenLayout(width: 160, height: 24)   // 19 body rows
        state.resolve(table, layout: layout)
        let d = state.demand(table: table, layout: layout)
        #expect(d.everyDomain == [.state, .cpu], "sorting by %CPU and the header need state and cpu-total of everyone")
        #expect(d.shownGroups == [.state, .cpu, .balloon, .block, .interface], "the default columns: MEM, RD/WR, RX/TX")
        #expect(d.shown.count == 19)
        #expect(d.shown.contains(Self.key("alpha", "vm-00")) && d.shown.contains(Self.key("alpha", "vm-18")))
        #expect(!d.shown.contains(Self.key("alpha", "vm-19")))
        #expect(d.slowPaused)
        #expect(d.groups(for: Self.key("alpha", "vm-40")) == [.state, .cpu])
    }

    @Test func scrollingMovesTheShownSetAndPageDownShowsTheNextPage() {
        var state = MonitorState()
        let table = F.table(Self.bigFleet())
        let layout = ScreenLayout(width: 160, height: 24)
        state.resolve(table, layout: layout)
        _ = state.handle(.pageDown, table: table, layout: layout)
        state.resolve(table, layout: layout)
        let d = state.demand(table: table, layout: layout)
        #expect(d.shown.contains(Self.key("alpha", "vm-19")) && d.shown.contains(Self.key("alpha", "vm-37")))
        #expect(!d.shown.contains(Self.key("alpha", "vm-00")))
    }

    @Test func sortingByAnIOColumnNeedsThatGroupForEveryDomain() {
        var state = MonitorState()
        state.sort = SortSpec(column: .rd)
        let table = F.table(Self.bigFleet(), sort: state.sort)
        let layout = ScreenLayout(width: 160, height: 24)
        state.resolve(table, layout: layout)
        #expect(state.demand(table: table, layout: layout).everyDomain == [.state, .cpu, .block])
        state.sort = SortSpec(column: .mem)
        #expect(state.demand(table: table, layout: layout).everyDomain == [.state, .cpu, .balloon])
        state.sort = SortSpec(column: .name)
        #expect(state.demand(table: table, layout: layout).everyDomain == [.state, .cpu])
    }

    @Test func onlyTheColumnsThatFitAreCollected() {
        var state = MonitorState()
        state.columns = [.name, .state, .cpu, .time]
        let table = F.table(Self.bigFleet())
        let layout = ScreenLayout(width: 80, height: 24)
        state.resolve(table, layout: layout)
        let d = state.demand(table: table, layout: layout)
        #expect(d.shownGroups == [.state, .cpu], "no MEM, RD, RX column: no balloon, block or interface stats")
        // At 40 columns the IO columns of the default set do not fit: they are not collected.
        var narrow = MonitorState()
        narrow.resolve(table, layout: ScreenLayout(width: 40, height: 24))
        #expect(narrow.demand(table: table, layout: ScreenLayout(width: 40, height: 24)).shownGroups.isDisjoint(with: [.block, .interface]))
    }

    @Test func theDetailViewAsksEverythingOfItsDomainOnly() {
        var state = MonitorState()
        let table = F.table(Self.bigFleet())
        let layout = ScreenLayout(width: 160, height: 24)
        state.resolve(table, layout: layout)
        _ = state.handle(.enter, table: table, layout: layout)
        #expect(state.view == .detail)
        let d = state.demand(table: table, layout: layout)
        #expect(d.shown == [Self.key("alpha", "vm-00")])
        #expect(d.shownGroups == StatGroups.all)
    }

    @Test func theHostsViewAsksOnlyForTheSelection() {
        var state = MonitorState()
        let table = F.table(Self.bigFleet())
        let layout = ScreenLayout(width: 160, height: 24)
        state.resolve(table, layout: layout)
        _ = state.handle(.char("4"), table: table, layout: layout)
        let d = state.demand(table: table, layout: layout)
        #expect(state.view == .hosts)
        #expect(d.shown == [Self.key("alpha", "vm-00")])
        #expect(d.everyDomain == [.state, .cpu])
    }

    // MARK: - planning a host's reads

    @Test func aBulkRefreshAsksEveryoneForTheCheapGroupsAndTheShownForTheRest() {
        let d = FleetDemand(everyDomain: [.cpu], shownGroups: [.cpu, .balloon, .block], shown: [Self.key("h", "a")])
        let plan = StatsPlanner.bulk(d)
        #expect(plan.all == [.state, .cpu])
        #expect(plan.shownExtra == [.balloon, .block])
        let doms: [(key: DomainKey, state: DomainState)] = [(Self.key("h", "a"), .running), (Self.key("h", "b"), .running),
                                                            (Self.key("h", "c"), .shutoff)]
        #expect(StatsPlanner.shownActive(d, domains: doms) == [Self.key("h", "a")])
        #expect(StatsPlanner.bulk(.everything) == .init(all: StatGroups.all, shownExtra: []), "batch/export: one call, as before")
    }

    @Test func aShownInactiveDomainIsNotAskedForCounters() {
        let d = FleetDemand(everyDomain: [.cpu], shownGroups: .all, shown: [Self.key("h", "off")])
        #expect(StatsPlanner.shownActive(d, domains: [(Self.key("h", "off"), .shutoff)]).isEmpty)
        #expect(StatsPlanner.wanted(d, key: Self.key("h", "off"), state: .shutoff, lastReadNs: nil, nowNs: 0, interval: 1) == .state)
    }

    @Test func pausedDomainsOffScreenAreReadSlowlyOnScreenEveryRefresh() {
        let off = Self.key("h", "paused"), on = Self.key("h", "shown")
        let d = FleetDemand(everyDomain: [.cpu], shownGroups: .all, shown: [on], slowPaused: true)
        let s: UInt64 = 1_000_000_000
        // Read 5 s ago: not yet again (every 10 s at -d 1).
        #expect(StatsPlanner.wanted(d, key: off, state: .paused, lastReadNs: 100 * s, nowNs: 105 * s, interval: 1) == .state)
        // 11 s ago, or never: read (what every domain gets).
        #expect(StatsPlanner.wanted(d, key: off, state: .paused, lastReadNs: 100 * s, nowNs: 111 * s, interval: 1) == [.state, .cpu])
        #expect(StatsPlanner.wanted(d, key: off, state: .paused, lastReadNs: nil, nowNs: 111 * s, interval: 1) == [.state, .cpu])
        // Shown: every refresh, everything.
        #expect(StatsPlanner.wanted(d, key: on, state: .paused, lastReadNs: 100 * s, nowNs: 101 * s, interval: 1) == StatGroups.all)
        // Running: every refresh.
        #expect(StatsPlanner.wanted(d, key: off, state: .running, lastReadNs: 100 * s, nowNs: 101 * s, interval: 1) == [.state, .cpu])
        // Batch and export (no slowPaused): paused domains every refresh.
        var batch = d; batch.slowPaused = false
        #expect(StatsPlanner.wanted(batch, key: off, state: .paused, lastReadNs: 100 * s, nowNs: 101 * s, interval: 1) == [.state, .cpu])
        #expect(StatsPlanner.pausedEvery(interval: 5) == 15)
    }

    @Test func aScrolledInRowIsFilledAtOnceWithOnlyWhatItLacks() {
        let a = Self.key("h", "a"), b = Self.key("h", "b"), c = Self.key("h", "c")
        let before = FleetDemand(everyDomain: [.cpu], shownGroups: .all, shown: [a], slowPaused: true)
        let read: [DomainKey: StatGroups] = [a: .all, b: [.state, .cpu], c: [.state, .cpu]]
        #expect(StatsPlanner.fill(before, everyRead: [.state, .cpu], readSince: read, active: [a, b, c]) == .none)
        // Scrolled: b and c come on screen.
        var after = before
        after.shown = [b, c]
        #expect(StatsPlanner.fill(after, everyRead: [.state, .cpu], readSince: read, active: [a, b, c])
                == .domains([b: [.balloon, .block, .interface], c: [.balloon, .block, .interface]]))
        // c is shut off: nothing to read for it.
        #expect(StatsPlanner.fill(after, everyRead: [.state, .cpu], readSince: read, active: [a, b])
                == .domains([b: [.balloon, .block, .interface]]))
        #expect(StatsPlanner.groups(of: [b: [.block], c: [.balloon]]) == [.balloon, .block])
    }

    @Test func aNewSortKeyOnAnIOColumnRefreshesTheWholeHostAtOnce() {
        let a = Self.key("h", "a")
        var d = FleetDemand(everyDomain: [.cpu], shownGroups: .all, shown: [a])
        d.everyDomain = [.state, .cpu, .block]
        #expect(StatsPlanner.fill(d, everyRead: [.state, .cpu], readSince: [a: .all], active: [a]) == .full)
        // Back to %CPU: what was read covers it.
        d.everyDomain = [.state, .cpu]
        #expect(StatsPlanner.fill(d, everyRead: [.state, .cpu, .block], readSince: [a: .all], active: [a]) == .none)
    }

    @Test func aPausedDomainReadSlowlyIsFilledWhenItComesOnScreen() {
        let p = Self.key("h", "paused")
        let d = FleetDemand(everyDomain: [.cpu], shownGroups: .all, shown: [p], slowPaused: true)
        #expect(StatsPlanner.fill(d, everyRead: [.state, .cpu], readSince: [p: .state], active: [p])
                == .domains([p: [.cpu, .balloon, .block, .interface]]))
    }

    @Test func columnsNameTheirGroups() {
        #expect(DomainColumn.statGroups([.name, .cpu]) == [.state, .cpu])
        #expect(DomainColumn.statGroups([.name, .rd, .tx, .mem]) == [.state, .block, .interface, .balloon])
        #expect(DomainColumn.statGroups(DomainColumn.defaultSet) == StatGroups.all)
        #expect(FleetDemand.everything.groups(for: Self.key("x", "y")) == StatGroups.all)
        #expect("\(StatGroups.all)" == "state,cpu-total,balloon,block,interface")
    }

    // MARK: - rates when groups are read at different times

    func sample(cpu: UInt64, rd: UInt64?) -> DomainSample {
        var s = DomainSample(key: Self.key("h", "a"), name: "a", id: 1, state: .running, vcpus: 1, cpuTimeNs: cpu, monotonicNs: 0)
        if let rd { var d = DeviceCounters(name: "vda"); d.rdBytes = rd; s.disks = [d] }
        return s
    }

    @Test func eachGroupsRateIsTakenBetweenItsOwnReadings() {
        let s: UInt64 = 1_000_000_000
        var prevTimes = GroupReadTimes(); prevTimes.mark(.cpu, at: 99 * s); prevTimes.mark(.block, at: 80 * s)
        var nowTimes = prevTimes; nowTimes.mark([.cpu, .block], at: 100 * s)
        // CPU: 0.5 s over 1 s on a 1-CPU host = 50 %; block: 20 MB over 20 s = 1 MB/s, a long window (> 2.5 s).
        let (r, long) = RateCalculator.rates(previous: sample(cpu: 10 * s, rd: 0), previousTimes: prevTimes,
                                             current: sample(cpu: 10 * s + s / 2, rd: 20_000_000), currentTimes: nowTimes,
                                             read: [.state, .cpu, .block], hostCPUs: 1, longWindowNs: 5 * s / 2)
        #expect(r.cpuPercent == 50)
        #expect(r.rdBytesPerSec == 1_000_000)
        #expect(long == [.block])
    }

    @Test func aGroupNotReadNowHasNoRateAndNeverReadHasNone() {
        let s: UInt64 = 1_000_000_000
        var prevTimes = GroupReadTimes(); prevTimes.mark(.cpu, at: 99 * s)
        var nowTimes = prevTimes; nowTimes.mark([.cpu, .block], at: 100 * s)
        let (r, long) = RateCalculator.rates(previous: sample(cpu: 10 * s, rd: nil), previousTimes: prevTimes,
                                             current: sample(cpu: 11 * s, rd: 5000), currentTimes: nowTimes,
                                             read: [.state, .cpu, .block], hostCPUs: 1, longWindowNs: 3 * s)
        #expect(r.cpuPercent == 100)
        #expect(r.rdBytesPerSec == nil, "block never read before: no rate, never a fake one")
        #expect(long.isEmpty)
        let (r2, _) = RateCalculator.rates(previous: sample(cpu: 10 * s, rd: 0), previousTimes: prevTimes,
                                           current: sample(cpu: 11 * s, rd: 5000), currentTimes: nowTimes,
                                           read: [.state, .cpu], hostCPUs: 1, longWindowNs: 3 * s)
        #expect(r2.rdBytesPerSec == nil && r2.cpuPercent == 100)
    }

    // MARK: - the table marks held values

    @Test func aRowWithValuesNotFromTheLastRefreshIsMarked() {
        var fresh = F.row("alpha", "fresh", cpu: 10, memKiB: 1024, rd: 100)
        fresh.held = []
        var held = F.row("alpha", "heldrow", cpu: 5, memKiB: 1024)
        held.held = [.block, .interface]
        var cheap = F.row("alpha", "cheaponly", cpu: 1, memKiB: 1024)
        cheap.held = [.block]
        let snap = F.snapshot([fresh, held, cheap], hosts: [F.host("alpha")])
        var state = MonitorState()
        let table = F.table(snap)
        let lines = F.render(state, table, width: 120, height: 12)
        #expect(lines.first { $0.contains("heldrow") }?.hasPrefix("~") == true)
        #expect(lines.first { $0.contains("fresh") }?.hasPrefix("~") == false)
        // Without IO columns on screen, a row whose only held group is block is not marked.
        state.columns = [.name, .state, .cpu, .mem]
        let narrow = F.render(state, table, width: 120, height: 12)
        #expect(narrow.first { $0.contains("cheaponly") }?.hasPrefix("~") == false)
    }
}
