/// A small, strict XML reader for libvirt's own XML (domain descriptions): elements, attributes,
/// text, comments, CDATA, the five named and numeric entities. No DTDs, no namespaces resolution.
/// Chosen over FoundationXML because libxml2 there prints parse errors straight to stderr (fatal in
/// a curses screen) and silently "recovers" broken documents.
struct XMLNode {
    var name: String
    var attributes: [(String, String)] = []
    var children: [XMLNode] = []
    var text = ""

    func attr(_ n: String) -> String? { attributes.first(where: { $0.0 == n })?.1 }
    func child(_ n: String) -> XMLNode? { children.first(where: { $0.name == n }) }
    func children(_ n: String) -> [XMLNode] { children.filter { $0.name == n } }
}

struct XMLSyntaxError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "line \(line): \(message)" }
}

struct MiniXMLParser {
    private let s: [UInt8]
    private var i = 0

    init(_ text: String) { s = Array(text.utf8) }

    static func parse(_ text: String) throws -> XMLNode {
        var p = MiniXMLParser(text)
        return try p.document()
    }

    private mutating func document() throws -> XMLNode {
        try skipMisc()
        guard i < s.count, s[i] == UInt8(ascii: "<") else { throw fail("no root element") }
        let root = try element()
        try skipMisc()
        guard i >= s.count else { throw fail("content after the root element") }
        return root
    }

    /// Whitespace, comments, `<?xml …?>` and `<!DOCTYPE …>` outside the root.
    private mutating func skipMisc() throws {
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            if starts("<?") { try skip(past: "?>") } else if starts("<!--") { try skip(past: "-->") }
            else if starts("<!") { try skip(past: ">") } else { return }
        }
    }

    private mutating func element() throws -> XMLNode {
        i += 1   // "<"
        var node = XMLNode(name: try name())
        while true {
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count else { throw fail("unterminated tag <\(node.name)>") }
            if starts("/>") { i += 2; return node }
            if s[i] == UInt8(ascii: ">") { i += 1; break }
            let an = try name()
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count, s[i] == UInt8(ascii: "=") else { throw fail("expected '=' after attribute \(an)") }
            i += 1
            while i < s.count, isSpace(s[i]) { i += 1 }
            guard i < s.count, s[i] == UInt8(ascii: "'") || s[i] == UInt8(ascii: "\"") else {
                throw fail("attribute \(an) value must be quoted")
            }
            let q = s[i]
            i += 1
            let start = i
            while i < s.count, s[i] != q { if s[i] == UInt8(ascii: "<") { throw fail("'<' in attribute") }; i += 1 }
            guard i < s.count else { throw fail("unterminated attribute \(an)") }
            node.attributes.append((an, try decode(s[start..<i])))
            i += 1
        }
        // content
        var text: [UInt8] = []
        while true {
            guard i < s.count else { throw fail("missing </\(node.name)>") }
            if starts("</") {
                i += 2
                let end = try name()
                guard end == node.name else { throw fail("</\(end)> closes <\(node.name)>") }
                while i < s.count, isSpace(s[i]) { i += 1 }
                guard i < s.count, s[i] == UInt8(ascii: ">") else { throw fail("unterminated </\(end)") }
                i += 1
                node.text = try decode(text[...])
                return node
            }
            if starts("<!--") { try skip(past: "-->"); continue }
            if starts("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>")
                text.append(contentsOf: escapeAmpersands(s[start..<(i - 3)]))
                continue
            }
            if starts("<?") { try skip(past: "?>"); continue }
            if s[i] == UInt8(ascii: "<") { node.children.append(try element()); continue }
            text.append(s[i]); i += 1
        }
    }

    private mutating func name() throws -> String {
        let start = i
        while i < s.count, !isSpace(s[i]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="),
                                              UInt8(ascii: "<")].contains(s[i]) { i += 1 }
        guard i > start else { throw fail("expected a name") }
        return String(decoding: s[start..<i], as: UTF8.self)
    }

    private func decode(_ raw: ArraySlice<UInt8>) throws -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var out = ""
        var k = raw.startIndex
        while k < raw.endIndex {
            if raw[k] == UInt8(ascii: "&") {
                guard let semi = raw[k...].firstIndex(of: UInt8(ascii: ";")) else { throw fail("bad entity") }
                let ent = String(decoding: raw[(k + 1)..<semi], as: UTF8.self)
                switch ent {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let v: UInt32?
                    if ent.hasPrefix("#x") { v = UInt32(ent.dropFirst(2), radix: 16) }
                    else if ent.hasPrefix("#") { v = UInt32(ent.dropFirst()) } else { v = nil }
                    guard let v, let sc = Unicode.Scalar(v) else { throw fail("unknown entity &\(ent);") }
                    out.unicodeScalars.append(sc)
                }
                k = semi + 1
            } else {
                let next = raw[k...].firstIndex(of: UInt8(ascii: "&")) ?? raw.endIndex
                out += String(decoding: raw[k..<next], as: UTF8.self)
                k = next
            }
        }
        return out
    }

    /// CDATA is literal: protect its '&' from entity decoding of the surrounding text.
    private func escapeAmpersands(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        for c in raw { if c == UInt8(ascii: "&") { out += Array("&amp;".utf8) } else { out.append(c) } }
        return out
    }

    private func starts(_ lit: String) -> Bool {
        let u = lit.utf8
        guard i + u.count <= s.count else { return false }
        var k = i
        for c in u { if s[k] != c { return false }; k += 1 }
        return true
    }

    private mutating func skip(past lit: String) throws {
        while i < s.count {
            if starts(lit) { i += lit.utf8.count; return }
            i += 1
        }
        throw fail("missing '\(lit)'")
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }

    private func fail(_ m: String) -> XMLSyntaxError {
        XMLSyntaxError(line: 1 + s[..<min(i, s.count)].lazy.filter { $0 == 0x0A }.count, message: m)
    }
}
