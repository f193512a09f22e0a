/// A comma-separated list of names as the command line and config.toml give them ("name, cpu,mem"): spaces and tabs
/// around each name ignored, empty parts skipped, a repeated name kept once in its first place. Names `lookup` does
/// not know are reported, in order, for one error that lists them (`--columns`, `-o`, `export --metrics`).
public func parseNameList<T: Equatable>(_ text: String, _ lookup: (String) -> T?) -> (known: [T], unknown: [String]) {
    var known: [T] = []
    var unknown: [String] = []
    for part in text.split(separator: ",") {
        let name = part.trimmingSpaces()
        if name.isEmpty { continue }
        if let item = lookup(name) {
            if !known.contains(item) { known.append(item) }
        } else {
            unknown.append(name)
        }
    }
    return (known, unknown)
}
