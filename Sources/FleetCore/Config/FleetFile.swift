/// The fleet file (`--fleet FILE`, default `$XDG_CONFIG_HOME/fleettui/fleet.toml`):
///
///     [[host]]
///     name = "xen-a"
///     uri = "xen+ssh://root@xen-a/system"
///     group = "rack 3"        # optional
public enum FleetFile {
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Hosts in file order. `source` names the file in messages.
    public static func parse(_ text: String, source: String = "fleet file") throws -> [HostConfig] {
        let doc: TOMLTable
        do { doc = try TOML.parse(text) } catch let e as TOMLError {
            throw Error(description: "\(source): \(e)")
        }
        for k in doc.keys where k != "host" {
            throw Error(description: "\(source): line \(doc.line(of: k) ?? 0): unknown key '\(k)' (expected [[host]] entries)")
        }
        guard let entries = doc["host"] else { throw Error(description: "\(source): no [[host]] entries") }
        guard let list = entries.array, list.allSatisfy({ $0.table != nil }) else {
            throw Error(description: "\(source): line \(doc.line(of: "host") ?? 0): 'host' must be written as [[host]] tables")
        }
        var hosts: [HostConfig] = []
        var seen: Set<String> = []
        for (n, entry) in list.enumerated() {
            let t = entry.table!
            let whereText = "\(source): host #\(n + 1)"
            func text(_ key: String, required: Bool) throws -> String? {
                guard let v = t[key] else {
                    if required { throw Error(description: "\(whereText): missing '\(key)'") }
                    return nil
                }
                guard let s = v.string else {
                    throw Error(description: "\(whereText): line \(t.line(of: key) ?? 0): '\(key)' must be a string, not \(v.typeName)")
                }
                return s
            }
            for k in t.keys where !["name", "uri", "group", "id"].contains(k) {
                throw Error(description: "\(whereText): line \(t.line(of: k) ?? 0): unknown key '\(k)' (name, uri, group)")
            }
            let uri = try text("uri", required: true)!
            guard !uri.isEmpty else { throw Error(description: "\(whereText): empty 'uri'") }
            let name = try text("name", required: false) ?? uri
            let id = try text("id", required: false)
            let host = HostConfig(id: id, name: name, uri: uri, group: try text("group", required: false))
            guard seen.insert(host.id).inserted else {
                throw Error(description: "\(whereText): duplicate host name '\(Sanitize.oneLine(host.id))'")
            }
            hosts.append(host)
        }
        return hosts
    }
}
