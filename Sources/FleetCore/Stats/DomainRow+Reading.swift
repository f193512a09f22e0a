extension DomainRow {
    /// A refresh's reading of one domain as a row: memory gauges the reading lacked carried over from the
    /// previous one, rates from the two (`RateCalculator`), % of host memory, and the domain's description.
    /// Every source of samples (libvirt collectors, the demo) makes its rows here.
    public init(reading: DomainSample, previous: DomainSample?, description: DomainDescription?, hostName: String,
                hostCPUs: Int?, hostMemoryKiB: UInt64?) {
        var s = reading
        if let previous { s.carryGauges(from: previous) }
        self.init(sample: s, rates: RateCalculator.rates(previous: previous, current: s, hostCPUs: hostCPUs), hostName: hostName)
        if let mem = s.memCurrentKiB, let host = hostMemoryKiB, host > 0, s.state.isActive {
            memPercent = 100 * Double(mem) / Double(host)
        }
        self.description = description
    }
}
