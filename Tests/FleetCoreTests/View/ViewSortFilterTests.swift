import Testing
@testable import FleetCore

@Suite struct ViewSortFilterTests {
    typealias F = ViewFixtures

    @Test func defaultSortIsCPUDescendingWithStableTies() {
        let t = F.table(F.small)
        // web-1 and web-2 tie at 12.5%: host alpha before beta. idle (shutoff, no %CPU) last.
        #expect(F.names(t) == ["db-1", "web-1", "web-2", "cache", "idle"])
    }

    @Test func tiesNeverDependOnInputOrder() {
        let shuffled = F.snapshot(F.small.domains.reversed(), hosts: F.small.hosts)
        #expect(F.names(F.table(shuffled)) == F.names(F.table(F.small)))
        let equal = (0..<20).map { F.row($0 % 2 == 0 ? "h2" : "h1", "d\($0 % 5)", uuid: "u\($0)", cpu: 1) }
        let a = F.names(F.table(F.snapshot(equal, hosts: [])))
        let b = F.names(F.table(F.snapshot(equal.shuffled(), hosts: [])))
        #expect(a == b)
    }

    @Test func valuesThatLookEqualDoNotSwapOverNoise() {
        // Two refreshes of the same guests: %CPU and read rates wobble below what the table shows.
        func refresh(_ noise: Double) -> [DomainRow] {
            [F.row("h", "a", cpu: 3.125 - noise, rd: 49_999 + noise * 1000), F.row("h", "b", cpu: 3.125 + noise, rd: 50_001 - noise * 1000),
             F.row("h", "c", cpu: 7.5, rd: 120_000), F.row("h", "d", cpu: 3.0, rd: 40_000)]
        }
        for column in [DomainColumn.cpu, .rd] {
            let first = F.names(F.table(F.snapshot(refresh(+0.0004), hosts: []), sort: SortSpec(column: column)))
            let second = F.names(F.table(F.snapshot(refresh(-0.0004), hosts: []), sort: SortSpec(column: column)))
            #expect(first == second, "\(column)")
            #expect(first == ["c", "a", "b", "d"], "\(column): real differences still order the rows")
        }
    }

    @Test func sortKeysAreMonotonic() {
        var last = -Double.infinity
        var v = 0.001
        while v < 1e15 {
            let k = DomainColumn.rd.sortKey(v)
            #expect(k >= last, "\(v)")
            last = k
            v *= 1.01
        }
        #expect(DomainColumn.cpu.sortKey(3.14) == DomainColumn.cpu.sortKey(3.06))
        #expect(DomainColumn.cpu.sortKey(3.2) > DomainColumn.cpu.sortKey(3.1))
    }

    @Test func orderKeysKeepTheOrderOfEveryNumberAndLeaveTheTopForUnknown() {
        let values: [Double] = [-.infinity, -1e300, -2.5, -1, -Double.leastNonzeroMagnitude, 0, Double.leastNonzeroMagnitude,
                                0.1, 1, 2.5, 1e300, .infinity]
        let up = values.map { RowSorter.orderKey($0, descending: false) }
        let down = values.map { RowSorter.orderKey($0, descending: true) }
        #expect(up == up.sorted() && Set(up).count == up.count)
        #expect(down == down.sorted(by: >) && Set(down).count == down.count)
        #expect(!up.contains(.max) && !down.contains(.max), "UInt64.max is the unknown values' key")
        #expect(RowSorter.orderKey(-0.0, descending: false) == RowSorter.orderKey(0.0, descending: false))
        // Negative values (a rate gone backwards) and unknown ones, in both directions.
        let rows = [F.row("h", "neg", rd: -5), F.row("h", "none"), F.row("h", "big", rd: 9e9), F.row("h", "zero", rd: 0)]
        let snap = F.snapshot(rows, hosts: [])
        #expect(F.names(F.table(snap, sort: SortSpec(column: .rd, descending: true))) == ["big", "zero", "neg", "none"])
        #expect(F.names(F.table(snap, sort: SortSpec(column: .rd, descending: false))) == ["neg", "zero", "big", "none"])
    }

    @Test func hostTotalsAreTheSameWhateverTheRowOrder() {
        var rows: [DomainRow] = []
        for i in 0..<60 {
            let state: DomainState = i % 7 == 0 ? .shutoff : i % 11 == 0 ? .paused : .running
            rows.append(F.row("h\(i % 3)", "d\(i)", state: state, cpu: Double(i) / 4, memKiB: UInt64(1024 * (i + 1)), vcpus: 1 + i % 4))
        }
        let grouped = rows.sorted { $0.sample.key.hostID < $1.sample.key.hostID }
        for order in [rows, grouped, rows.reversed()] {
            let sums = FleetTable.hostSums(order)
            let snap = F.snapshot(order, hosts: [])
            #expect(sums.count == 3)
            for h in ["h0", "h1", "h2"] { #expect(sums[h] == snap.summary(ofHost: h), "\(h)") }
        }
        #expect(FleetTable.hostSums([]).isEmpty)
        // The accumulator counts states in a SIMD8 indexed by ordinal.
        #expect(DomainState.allCases.count <= 8)
        #expect(DomainState.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
    }

    @Test func sortByEachVirtTopKey() {
        #expect(F.names(F.table(F.small, sort: SortSpec(column: .mem))) == ["db-1", "web-2", "web-1", "idle", "cache"])
        #expect(F.names(F.table(F.small, sort: SortSpec(column: .name))) == ["cache", "db-1", "idle", "web-1", "web-2"])
        #expect(F.names(F.table(F.small, sort: SortSpec(column: .name, descending: true))) == ["web-2", "web-1", "idle", "db-1", "cache"])
        #expect(F.names(F.table(F.small, sort: SortSpec(column: .time))) == ["db-1", "web-1", "cache", "web-2", "idle"])
        // Unknown values stay last in both directions.
        #expect(F.names(F.table(F.small, sort: SortSpec(column: .cpu, descending: false))) == ["cache", "web-1", "web-2", "db-1", "idle"])
    }

    @Test func fieldNames() {
        #expect(DomainColumn(field: "cpu") == .cpu)
        #expect(DomainColumn(field: "%MEM") == .memPercent)
        #expect(DomainColumn(field: "netrx") == .rx)
        #expect(DomainColumn(field: "bogus") == nil)
        let (cols, unknown) = DomainColumn.parseList("name, cpu,mem,nope,cpu")
        #expect(cols == [.name, .cpu, .mem])
        #expect(unknown == ["nope"])
    }

    @Test func filterMatchesNameHostStateKind() {
        #expect(F.names(F.table(F.small, filter: "web")) == ["web-1", "web-2"])
        #expect(F.names(F.table(F.small, filter: "BETA")) == ["web-2", "cache"])
        #expect(F.names(F.table(F.small, filter: "shutoff")) == ["idle"])
        #expect(F.names(F.table(F.small, filter: "pv")) == ["web-2"])
        #expect(F.names(F.table(F.small, filter: "web alpha")) == ["web-1"])
        #expect(F.names(F.table(F.small, filter: "host:alpha state:run")) == ["db-1", "web-1"])
        #expect(F.names(F.table(F.small, filter: "zzz")) == [])
    }

    @Test func groupingAddsHostRowsAndKeepsSortWithinHosts() {
        #expect(F.names(F.table(F.small, grouped: true)) == ["[alpha]", "db-1", "web-1", "idle", "[beta]", "web-2", "cache"])
        // With a filter, hosts without matches disappear.
        #expect(F.names(F.table(F.small, filter: "cache", grouped: true)) == ["[beta]", "cache"])
        let t = F.table(F.small, grouped: true)
        let alpha = t.hostSummaries["alpha"]!
        #expect(alpha.domainsByState[.running] == 2)
        #expect(alpha.guestCPUPercent == 92.5)
        #expect(alpha.memCommittedKiB == 5 * 1024 * 1024)
    }

    @Test func tableRecomputesOnlyWhenInputsChange() {
        var t = FleetTable()
        t.update(snapshot: F.small, sort: .default, filter: RowFilter(""), grouped: false)
        let v = t.version
        t.update(snapshot: F.small, sort: .default, filter: RowFilter(""), grouped: false)
        #expect(t.version == v)
        t.update(snapshot: F.small, sort: SortSpec(column: .mem), filter: RowFilter(""), grouped: false)
        #expect(t.version == v + 1)
    }

    @Test func refreshWithTheSameDomainsStillSeesNewStatesAndValues() {
        var t = FleetTable()
        t.update(snapshot: F.small, sort: .default, filter: RowFilter("shutoff"), grouped: false)
        #expect(F.names(t) == ["idle"])
        var rows = F.small.domains
        rows[0].sample.state = .shutoff          // web-1 stops; names and keys unchanged
        rows[1].rates.cpuPercent = 1
        t.update(snapshot: F.snapshot(rows, hosts: F.small.hosts, generation: 2), sort: .default, filter: RowFilter("shutoff"), grouped: false)
        #expect(F.names(t) == ["idle", "web-1"] || F.names(t) == ["web-1", "idle"])
        t.update(snapshot: F.snapshot(rows, hosts: F.small.hosts, generation: 3), sort: .default, filter: RowFilter(""), grouped: false)
        #expect(F.names(t) == ["web-2", "cache", "db-1", "idle", "web-1"])
        t.update(snapshot: F.snapshot(rows, hosts: F.small.hosts, generation: 3), sort: SortSpec(column: .name), filter: RowFilter(""), grouped: false)
        #expect(F.names(t) == ["cache", "db-1", "idle", "web-1", "web-2"])
        // A renamed domain is seen.
        rows[4].sample.name = "aaa"
        t.update(snapshot: F.snapshot(rows, hosts: F.small.hosts, generation: 4), sort: SortSpec(column: .name), filter: RowFilter(""), grouped: false)
        #expect(F.names(t).first == "aaa")
    }

    @Test func vanishedDomainsStayBrieflyAsTombstones() {
        var t = FleetTable()
        let spec = SortSpec(column: .name)
        t.update(snapshot: F.small, sort: spec, filter: RowFilter(""), grouped: false)
        let without = F.small.domains.filter { $0.sample.name != "web-2" }
        for g in UInt64(2)...3 {
            t.update(snapshot: F.snapshot(without, hosts: F.small.hosts, generation: g), sort: spec, filter: RowFilter(""), grouped: false)
            #expect(F.names(t) == ["cache", "db-1", "idle", "web-1", "web-2"], "generation \(g)")
            #expect(t.isTombstone(t.rows.firstIndex { $0.sample.name == "web-2" }!))
            #expect(t.hostSummaries["beta"]?.domainsByState[.running] == 1)
        }
        t.update(snapshot: F.snapshot(without, hosts: F.small.hosts, generation: 4), sort: spec, filter: RowFilter(""), grouped: false)
        #expect(F.names(t) == ["cache", "db-1", "idle", "web-1"])
        // A domain that comes back is a live row again, not a tombstone.
        t.update(snapshot: F.snapshot(without, hosts: F.small.hosts, generation: 5), sort: spec, filter: RowFilter(""), grouped: false)
        t.update(snapshot: F.snapshot(F.small.domains, hosts: F.small.hosts, generation: 6), sort: spec, filter: RowFilter(""), grouped: false)
        #expect(F.names(t) == ["cache", "db-1", "idle", "web-1", "web-2"])
        #expect(t.rows.count == 5)
        // Domains of a host that went down do not become tombstones.
        var hosts = F.small.hosts
        hosts[1].state = .down
        t.update(snapshot: F.snapshot(without, hosts: hosts, generation: 7), sort: spec, filter: RowFilter(""), grouped: false)
        #expect(F.names(t) == ["cache", "db-1", "idle", "web-1"])
        let lines = F.render(MonitorState(), F.table(F.small), width: 80, height: 10)
        #expect(!lines.contains { $0.hasPrefix("x") })
    }

    @Test func tombstoneRowsAreMarked() {
        var t = FleetTable()
        t.update(snapshot: F.small, sort: .default, filter: RowFilter(""), grouped: false)
        t.update(snapshot: F.snapshot(Array(F.small.domains.dropFirst()), hosts: F.small.hosts, generation: 2), sort: .default, filter: RowFilter(""), grouped: false)
        var s = MonitorState()
        s.sort = .default
        let lines = F.render(s, t, width: 80, height: 12)
        #expect(lines.contains("xalpha    web-1      gone        1   12.5  1.0G  12.5     -     -     -  1:01.50"))
    }

    @Test func selectionFollowsItsDomainAcrossRefreshes() {
        var state = MonitorState()
        var t = F.table(F.small)
        let layout = ScreenLayout(width: 100, height: 20)
        state.resolve(t, layout: layout)
        _ = state.handle(.down, table: t, layout: layout)      // web-1
        #expect(state.selectedDomain == DomainKey(hostID: "alpha", uuid: "alpha-web-1"))
        // Next refresh: web-1 becomes the busiest.
        var rows = F.small.domains
        rows[0].rates.cpuPercent = 99
        t.update(snapshot: F.snapshot(rows, hosts: F.small.hosts, generation: 2), sort: .default, filter: RowFilter(""), grouped: false)
        state.resolve(t, layout: layout)
        #expect(state.selectedLine == 0)
        #expect(state.selectedDomain == DomainKey(hostID: "alpha", uuid: "alpha-web-1"))
        // The domain vanishes: it stays selected while shown as a tombstone, then the row at the same
        // position is selected.
        for g in UInt64(3)...5 {
            t.update(snapshot: F.snapshot(Array(rows.dropFirst()), hosts: F.small.hosts, generation: g), sort: .default, filter: RowFilter(""), grouped: false)
            state.resolve(t, layout: layout)
            #expect(state.selectedLine == 0)
            #expect(state.selectedDomain == DomainKey(hostID: "alpha", uuid: g < 5 ? "alpha-web-1" : "alpha-db-1"))
        }
    }

    @Test func aFilterThatHidesTheSelectionSelectsTheFirstMatch() {
        var state = MonitorState()
        var t = F.table(F.small)
        let layout = ScreenLayout(width: 100, height: 20)
        state.resolve(t, layout: layout)
        _ = state.handle(.end, table: t, layout: layout)        // the last row: idle (shutoff)
        #expect(state.selectedLine == 4)
        // A filter that keeps it: it stays selected.
        state.filter = RowFilter("i")
        t.update(snapshot: t.snapshot, sort: .default, filter: state.filter, grouped: false)
        state.resolve(t, layout: layout)
        #expect(state.selectedDomain?.uuid.hasSuffix("idle") == true)
        // A filter that hides it: the first match, not whatever row sits at its old position.
        state.filter = RowFilter("web")
        t.update(snapshot: t.snapshot, sort: .default, filter: state.filter, grouped: false)
        state.resolve(t, layout: layout)
        #expect(state.selectedLine == 0)
        #expect(state.selectedDomain?.uuid.hasSuffix("web-1") == true)
    }

    @Test func keysChangeSortFilterGroupAndViews() {
        var s = MonitorState()
        let t = F.table(F.small)
        let L = ScreenLayout(width: 100, height: 20)
        _ = s.handle(.char("M"), table: t, layout: L); #expect(s.sort == SortSpec(column: .mem, descending: true))
        _ = s.handle(.char("M"), table: t, layout: L); #expect(s.sort == SortSpec(column: .mem, descending: false))
        _ = s.handle(.char("R"), table: t, layout: L); #expect(s.sort.descending)
        _ = s.handle(.char(">"), table: t, layout: L); #expect(s.sort.column == .memPercent)
        _ = s.handle(.char("<"), table: t, layout: L); _ = s.handle(.char("<"), table: t, layout: L); #expect(s.sort.column == .cpu)
        _ = s.handle(.char("N"), table: t, layout: L); #expect(s.sort == SortSpec(column: .id, descending: true))   // virt-top: domain ID
        _ = s.handle(.char("A"), table: t, layout: L); #expect(s.sort == SortSpec(column: .name, descending: false))
        _ = s.handle(.char("/"), table: t, layout: L)
        for ch in "web" { _ = s.handle(.char(ch), table: t, layout: L) }
        #expect(s.filter.text == "web")
        _ = s.handle(.backspace, table: t, layout: L); #expect(s.filter.text == "we")
        _ = s.handle(.escape, table: t, layout: L); #expect(s.filter.isEmpty && s.prompt == nil)
        _ = s.handle(.char("g"), table: t, layout: L); #expect(s.grouped)
        _ = s.handle(.char("1"), table: t, layout: L); #expect(s.view == .pcpus)
        _ = s.handle(.char("1"), table: t, layout: L); #expect(s.view == .domains)
        _ = s.handle(.char("2"), table: t, layout: L); #expect(s.view == .network)
        _ = s.handle(.char("0"), table: t, layout: L); #expect(s.view == .domains)
        _ = s.handle(.function(1), table: t, layout: L); #expect(s.view == .help)
        _ = s.handle(.escape, table: t, layout: L); #expect(s.view == .domains)
        #expect(s.handle(.char("q"), table: t, layout: L) == [.quit])
        #expect(s.handle(.char("W"), table: t, layout: L) == [.saveConfig])
        _ = s.handle(.char("d"), table: t, layout: L)
        for ch in "1.5" { _ = s.handle(.char(ch), table: t, layout: L) }
        #expect(s.handle(.enter, table: t, layout: L) == [.setDelay(1.5)])
        #expect(s.delay == 1.5)
        _ = s.handle(.char("s"), table: t, layout: L)
        _ = s.handle(.char("0"), table: t, layout: L)
        #expect(s.handle(.enter, table: t, layout: L) == [])
        #expect(s.message?.contains("Not a delay") == true)
    }

    @Test func sortMenuAndMouse() {
        var s = MonitorState()
        let t = F.table(F.small)
        let L = ScreenLayout(width: 100, height: 20)
        s.resolve(t, layout: L)
        _ = s.handle(.char("F"), table: t, layout: L)
        #expect(s.sortMenu == DomainColumn.allCases.firstIndex(of: .cpu))
        _ = s.handle(.down, table: t, layout: L)
        _ = s.handle(.enter, table: t, layout: L)
        #expect(s.sort.column == .mem && s.sortMenu == nil)
        // Click on the NAME header sorts by name; click on the third body row selects it.
        let lay = ColumnLayout.fit(s.columns, width: 100, longestName: t.longestName, longestHost: t.longestHost)
        let nameX = lay.slots.first { $0.column == .name }!.x
        _ = s.handle(.mouse(MouseEvent(x: nameX + 1, y: L.tableHeaderY, kind: .press(button: 1))), table: t, layout: L)
        #expect(s.sort.column == .name)
        var t2 = t
        t2.update(snapshot: F.small, sort: s.sort, filter: s.filter, grouped: false)
        s.resolve(t2, layout: L)
        _ = s.handle(.mouse(MouseEvent(x: 5, y: L.bodyY + 2, kind: .press(button: 1))), table: t2, layout: L)
        #expect(s.selectedDomain?.uuid == "alpha-idle")
        _ = s.handle(.mouse(MouseEvent(x: 5, y: L.bodyY + 2, kind: .press(button: 1))), table: t2, layout: L)
        #expect(s.view == .detail && s.detailKey?.uuid == "alpha-idle")
    }

    @Test func consoleKeyExplainsWhenUnavailable() {
        var s = MonitorState()
        let t = F.table(F.small)
        let L = ScreenLayout(width: 100, height: 20)
        s.resolve(t, layout: L)
        #expect(s.handle(.char("c"), table: t, layout: L) == [])
        #expect(s.message != nil)
        s.consoleAvailable = true
        #expect(s.handle(.char("c"), table: t, layout: L) == [.attachConsole(DomainKey(hostID: "alpha", uuid: "alpha-db-1"))])
    }
}
