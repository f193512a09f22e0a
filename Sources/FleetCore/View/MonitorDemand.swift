/// What the monitor shows, as a demand for the fleet source (issue 15). Pure: computed by the UI loop after each
/// `resolve` (a few dozen keys), handed to `FleetSource.setDemand` when it changes.
extension MonitorState {
    public func demand(table: FleetTable, layout: ScreenLayout) -> FleetDemand {
        // Every domain: its state (filter, counts), CPU (the header's total, the default sort) and whatever the
        // sort key needs: sorting by an IO column needs that column for all.
        var every: StatGroups = [.state, .cpu]
        every.formUnion(sort.column.statGroups)
        var groups = StatGroups()
        var shown = Set<DomainKey>()
        if let k = selectedDomain { shown.insert(k) }
        switch view {
        case .domains:
            // The columns that fit on screen (a narrow terminal drops some).
            groups = ColumnLayout.fit(columns, width: layout.width, longestName: table.longestName, longestHost: table.longestHost).groups
            let end = min(table.lines.count, scrollTop + max(0, layout.bodyHeight))
            if scrollTop < end {
                for line in scrollTop..<end { if case .domain(let i) = table.lines[line] { shown.insert(table.rows[i].sample.key) } }
            }
        case .detail:
            groups = .all
            if let k = detailKey { shown.insert(k) }
        case .network, .block:
            groups = view == .network ? .interface : .block
            let devices = ListViews.deviceList(table, view == .network ? \.nics : \.disks)
            let top = clampedScroll(listScroll, count: devices.count, page: layout.bodyHeight)
            for (d, _) in devices.dropFirst(top).prefix(max(0, layout.bodyHeight)) { shown.insert(table.rows[d].sample.key) }
        case .hosts, .pcpus, .help, .screens:
            // The screens view: states and screens only (the tiles' domains are the sampler's business).
            // Host figures only (the header's totals need no more than every domain's CPU).
            groups = DomainColumn.statGroups(columns)
        }
        return FleetDemand(everyDomain: every, shownGroups: groups, shown: shown, slowPaused: true)
    }
}
