import FleetCore

/// A `<node>` file of libvirt's test driver (`test:///ABSOLUTE/PATH.xml`): the host's CPUs and memory and its
/// domains, each with the run state the driver starts it in (`<test:runstate>`). The demo fleet is made of
/// such files; the demo reads them the way the driver does, so both see the same domains.
public struct NodeXML: Sendable {
    public struct Domain: Sendable {
        public var name: String
        public var uuid: String
        /// `<description>`, if any.
        public var note: String?
        /// The state the test driver gives the domain (`test:runstate`, running when absent).
        public var state: DomainState
        public var description: DomainDescription
    }

    public var cpus: Int?
    public var mhz: Int?
    public var cpuModel: String?
    public var memoryKiB: UInt64?
    public var domains: [Domain] = []

    public static func parse(_ xml: String) throws -> NodeXML {
        let root: XMLNode
        do { root = try MiniXMLParser.parse(xml) } catch {
            throw DomainXML.ParseError(description: "node XML: \(Sanitize.oneLine(String(describing: error), limit: 120))")
        }
        guard root.name == "node" else { throw DomainXML.ParseError(description: "node XML: root element is not <node>") }
        var node = NodeXML()
        if let cpu = root.child("cpu") {
            node.cpus = cpu.child("active").flatMap { Int($0.text.trimmingSpaces) }
            node.mhz = cpu.child("mhz").flatMap { Int($0.text.trimmingSpaces) }
            node.cpuModel = cpu.child("model")?.text.trimmingSpaces
        }
        node.memoryKiB = root.child("memory").flatMap { UInt64($0.text.trimmingSpaces) }
        for d in root.children("domain") {
            guard let name = d.child("name")?.text.trimmingSpaces, let uuid = d.child("uuid")?.text.trimmingSpaces else {
                throw DomainXML.ParseError(description: "node XML: a <domain> without <name> or <uuid>")
            }
            let runstate = d.child("test:runstate").flatMap { Int($0.text.trimmingSpaces) } ?? 1
            node.domains.append(Domain(name: name, uuid: uuid, note: d.child("description")?.text.trimmingSpaces,
                                       state: DomainState(libvirtValue: runstate), description: DomainXML.describe(d)))
        }
        return node
    }
}

private extension String {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let a = firstIndex(where: { !isSpace($0) }), let b = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[a...b])
    }
}
