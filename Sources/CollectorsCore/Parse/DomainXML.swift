import FleetCore

/// Reads what the monitor and the console need from a domain's XML: devices, graphics, guest kind,
/// vCPUs and memory. A graphics password is never kept — only whether one is set.
public enum DomainXML {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ xml: String) throws -> DomainDescription {
        let root: XMLNode
        do { root = try MiniXMLParser.parse(xml) } catch {
            throw ParseError(description: "domain XML: \(Sanitize.oneLine(String(describing: error), limit: 120))")
        }
        guard root.name == "domain" else {
            throw ParseError(description: "domain XML: root element is not <domain>")
        }
        return describe(root)
    }

    /// The description of a parsed `<domain>` element (also the domains of a test-driver `<node>` file).
    static func describe(_ root: XMLNode) -> DomainDescription {
        var d = DomainDescription()
        d.domainType = root.attr("type")
        if let os = root.child("os") { d.osType = os.child("type")?.text.trimmed }
        if let v = root.child("vcpu") {
            d.maxVcpus = Int(v.text.trimmed)
            d.vcpus = v.attr("current").flatMap { Int($0) } ?? d.maxVcpus
        }
        d.memoryKiB = root.child("memory").flatMap { kib($0) }
        d.currentMemoryKiB = root.child("currentMemory").flatMap { kib($0) } ?? d.memoryKiB

        guard let devices = root.child("devices") else { return d }
        for disk in devices.children("disk") {
            guard let target = disk.child("target")?.attr("dev") else { continue }
            let src = disk.child("source")
            let source = src.flatMap { $0.attr("file") ?? $0.attr("dev") ?? $0.attr("name") ?? $0.attr("volume") }
            d.disks.append(DiskInfo(target: target, bus: disk.child("target")?.attr("bus"), source: source,
                                    device: disk.attr("device")))
        }
        for nic in devices.children("interface") {
            let src = nic.child("source")
            d.nics.append(NICInfo(target: nic.child("target")?.attr("dev"), mac: nic.child("mac")?.attr("address"),
                                  model: nic.child("model")?.attr("type"),
                                  source: src.flatMap { $0.attr("bridge") ?? $0.attr("network") ?? $0.attr("dev") }))
        }
        for g in devices.children("graphics") {
            guard let type = g.attr("type") else { continue }
            var info = GraphicsInfo(type: type, port: g.attr("port").flatMap { Int($0) },
                                    autoport: g.attr("autoport") == "yes", listen: g.attr("listen"),
                                    socket: g.attr("socket"), passwordSet: g.attr("passwd") != nil)
            if info.port == -1 { info.port = nil }
            // <listen> children carry the address or socket in newer XML (and may be the only place).
            for l in g.children("listen") {
                switch l.attr("type") {
                case "socket": if info.socket == nil { info.socket = l.attr("socket") }
                default: if info.listen == nil { info.listen = l.attr("address") }
                }
            }
            d.graphics.append(info)
        }
        return d
    }

    private static func kib(_ e: XMLNode) -> UInt64? {
        guard let v = UInt64(e.text.trimmed) else { return nil }
        switch (e.attr("unit") ?? "KiB").lowercased() {
        case "b", "bytes": return v / 1024
        case "k", "kib": return v
        case "kb": return v * 1000 / 1024
        case "m", "mib": return v * 1024
        case "mb": return v * 1_000_000 / 1024
        case "g", "gib": return v * 1024 * 1024
        case "gb": return v * 1_000_000_000 / 1024
        case "t", "tib": return v * 1024 * 1024 * 1024
        default: return v
        }
    }
}

private extension String {
    var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let a = firstIndex(where: { !isSpace($0) }), let b = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[a...b])
    }
}
