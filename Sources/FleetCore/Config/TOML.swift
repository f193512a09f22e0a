/// A TOML document's values. Tables keep their keys' order (so errors and dumps follow the file).
public indirect enum TOMLValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var integer: Int64? { if case .integer(let i) = self { return i } else { return nil } }
    /// Integers are accepted where a float is wanted.
    public var double: Double? {
        switch self {
        case .float(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var array: [TOMLValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var table: TOMLTable? { if case .table(let t) = self { return t } else { return nil } }

    /// "string", "integer" … for error messages.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .bool: return "boolean"
        case .array: return "array"
        case .table: return "table"
        }
    }
}

public struct TOMLTable: Sendable, Hashable {
    public private(set) var keys: [String] = []
    private var values: [String: TOMLValue] = [:]
    /// Line where each key was defined (1-based), for messages about values.
    public private(set) var lines: [String: Int] = [:]
    public init() {}

    public subscript(key: String) -> TOMLValue? { values[key] }
    public func line(of key: String) -> Int? { lines[key] }

    mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if values[key] == nil { keys.append(key) }
        values[key] = value
        if lines[key] == nil { lines[key] = line }
    }
}

/// A parse failure: one line, with the line number.
public struct TOMLError: Error, CustomStringConvertible, Sendable, Equatable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

/// The TOML subset FleetTUI's files use: tables, arrays of tables, dotted and quoted keys, basic and
/// literal strings (single- and multi-line, with escapes), integers, floats, booleans, arrays and
/// inline tables, comments. Dates are refused with a clear message.
public enum TOML {
    public static func parse(_ text: String) throws -> TOMLTable {
        var p = TOMLParser(text)
        return try p.document()
    }
}

struct TOMLParser {
    private let s: [UInt8]
    private var i = 0
    private var line = 1
    private var root = TOMLTable()
    /// Path of the current [table] / [[array]] header; arrays of tables address their last element.
    private var current: [String] = []
    private var definedTables: Set<[String]> = []
    private var arrayTables: Set<[String]> = []

    init(_ text: String) { s = Array(text.utf8) }

    mutating func document() throws -> TOMLTable {
        while true {
            skipWhitespaceAndComments(newlines: true)
            guard i < s.count else { break }
            if s[i] == UInt8(ascii: "[") {
                try header()
            } else {
                try keyValueLine()
            }
        }
        return root
    }

    // MARK: structure

    private mutating func header() throws {
        let isArray = peek(1) == UInt8(ascii: "[")
        i += isArray ? 2 : 1
        skipSpaces()
        let path = try key()
        skipSpaces()
        guard eat("]") && (!isArray || eat("]")) else { throw fail("expected '\(isArray ? "]]" : "]")' after table name") }
        try endOfLine()
        if isArray {
            guard !definedTables.contains(path) || arrayTables.contains(path) else {
                throw fail("'\(path.joined(separator: "."))' is already a table, not an array of tables")
            }
            arrayTables.insert(path)
            try modify(path.dropLast()) { t, line in
                let last = path.last!
                var arr: [TOMLValue]
                switch t[last] {
                case nil: arr = []
                case .array(let a)? where a.allSatisfy({ $0.table != nil }): arr = a
                default: throw TOMLError(line: line, message: "'\(last)' is already defined as a value")
                }
                arr.append(.table(TOMLTable()))
                t.set(last, .array(arr), line: line)
            }
        } else {
            guard !definedTables.contains(path), !arrayTables.contains(path) else {
                throw fail("table [\(path.joined(separator: "."))] defined twice")
            }
            definedTables.insert(path)
            try modify(path) { _, _ in }
        }
        current = path
    }

    private mutating func keyValueLine() throws {
        let k = try key()
        skipSpaces()
        guard eat("=") else { throw fail("expected '=' after key '\(k.joined(separator: "."))'") }
        skipSpaces()
        let startLine = line
        let v = try value()
        try endOfLine()
        let full = current + k
        try modify(Array(full.dropLast())) { t, _ in
            let last = full.last!
            if t[last] != nil { throw TOMLError(line: startLine, message: "key '\(k.joined(separator: "."))' defined twice") }
            t.set(last, v, line: startLine)
        }
    }

    /// Walks (creating tables as needed) to `path` and lets `body` change the table there.
    /// An array of tables on the way means its last element.
    private mutating func modify(_ path: some Collection<String>, _ body: (inout TOMLTable, Int) throws -> Void) throws {
        let line = self.line
        func walk(_ t: inout TOMLTable, _ rest: ArraySlice<String>) throws {
            guard let k = rest.first else { try body(&t, line); return }
            switch t[k] {
            case nil:
                var sub = TOMLTable()
                try walk(&sub, rest.dropFirst())
                t.set(k, .table(sub), line: line)
            case .table(var sub)?:
                try walk(&sub, rest.dropFirst())
                t.set(k, .table(sub), line: line)
            case .array(var arr)? where arr.last?.table != nil:
                var sub = arr.removeLast().table!
                try walk(&sub, rest.dropFirst())
                arr.append(.table(sub))
                t.set(k, .array(arr), line: line)
            default:
                throw TOMLError(line: line, message: "'\(k)' is a value, not a table")
            }
        }
        try walk(&root, ArraySlice(Array(path)))
    }

    // MARK: keys

    private mutating func key() throws -> [String] {
        var parts: [String] = []
        repeat {
            skipSpaces()
            guard i < s.count else { throw fail("expected a key") }
            if s[i] == UInt8(ascii: "\"") {
                parts.append(try basicString())
            } else if s[i] == UInt8(ascii: "'") {
                parts.append(try literalString())
            } else {
                let start = i
                while i < s.count, isBareKeyChar(s[i]) { i += 1 }
                guard i > start else { throw fail("expected a key, found \(describe(s[i]))") }
                parts.append(String(decoding: s[start..<i], as: UTF8.self))
            }
            skipSpaces()
        } while eat(".")
        return parts
    }

    private func isBareKeyChar(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }

    // MARK: values

    private mutating func value() throws -> TOMLValue {
        guard i < s.count else { throw fail("expected a value") }
        switch s[i] {
        case UInt8(ascii: "\""): return .string(try basicString())
        case UInt8(ascii: "'"): return .string(try literalString())
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "{"): return try inlineTable()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if matches("true") { i += 4; return .bool(true) }
            if matches("false") { i += 5; return .bool(false) }
            return try number()   // reports the unknown word
        default: return try number()
        }
    }

    private mutating func number() throws -> TOMLValue {
        let start = i
        while i < s.count, !isValueEnd(s[i]) { i += 1 }
        let raw = String(decoding: s[start..<i], as: UTF8.self)
        guard !raw.isEmpty else { throw fail("expected a value") }
        if raw.first!.isNumber && (raw.contains(":") || (raw.count >= 10 && raw.dropFirst(4).first == "-")) {
            throw fail("dates and times are not supported here ('\(raw)')")
        }
        let text = raw.replacingUnderscores()
        guard let text else { throw fail("misplaced '_' in number '\(raw)'") }
        switch text {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            guard let v = Int64(text.dropFirst(2), radix: radix) else { throw fail("bad number '\(raw)'") }
            return .integer(v)
        }
        if let v = Int64(text) {
            let digits = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            if digits.count > 1 && digits.hasPrefix("0") { throw fail("leading zeros in '\(raw)'") }
            return .integer(v)
        }
        if text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let d = Double(text),
           text.last!.isNumber, !text.hasPrefix("."), !text.contains(".e"), !text.contains(".E") {
            return .float(d)
        }
        throw fail("unknown value '\(raw)' (strings need quotes)")
    }

    private func isValueEnd(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ",") || c == UInt8(ascii: "]")
            || c == UInt8(ascii: "}") || c == UInt8(ascii: "#")
    }

    private mutating func array() throws -> TOMLValue {
        i += 1
        var out: [TOMLValue] = []
        while true {
            skipWhitespaceAndComments(newlines: true)
            guard i < s.count else { throw fail("unterminated array") }
            if eat("]") { return .array(out) }
            out.append(try value())
            skipWhitespaceAndComments(newlines: true)
            guard i < s.count else { throw fail("unterminated array") }
            if eat(",") { continue }
            if eat("]") { return .array(out) }
            throw fail("expected ',' or ']' in array")
        }
    }

    private mutating func inlineTable() throws -> TOMLValue {
        i += 1
        var t = TOMLTable()
        skipSpaces()
        if eat("}") { return .table(t) }
        while true {
            skipSpaces()
            let k = try key()
            skipSpaces()
            guard eat("=") else { throw fail("expected '=' in inline table") }
            skipSpaces()
            let v = try value()
            // dotted keys inside inline tables: build nested tables
            func put(_ t: inout TOMLTable, _ path: ArraySlice<String>, line: Int) throws {
                let k = path.first!
                if path.count == 1 {
                    if t[k] != nil { throw TOMLError(line: line, message: "key '\(k)' defined twice") }
                    t.set(k, v, line: line)
                    return
                }
                var sub = t[k]?.table ?? TOMLTable()
                try put(&sub, path.dropFirst(), line: line)
                t.set(k, .table(sub), line: line)
            }
            try put(&t, ArraySlice(k), line: line)
            skipSpaces()
            if eat(",") { continue }
            if eat("}") { return .table(t) }
            throw fail("expected ',' or '}' in inline table")
        }
    }

    // MARK: strings

    private mutating func basicString() throws -> String {
        let multi = matches("\"\"\"")
        i += multi ? 3 : 1
        if multi { skipOneNewline() }
        var out = [UInt8]()
        while true {
            guard i < s.count else { throw fail("unterminated string") }
            let c = s[i]
            if multi && matches("\"\"\"") {
                // a run of 4 or 5 quotes: the first one or two belong to the string
                var run = 0
                while i + run < s.count && s[i + run] == UInt8(ascii: "\"") && run < 5 { run += 1 }
                out.append(contentsOf: [UInt8](repeating: c, count: run - 3))
                i += run
                break
            }
            if !multi && c == UInt8(ascii: "\"") { i += 1; break }
            if c == 0x0A {
                guard multi else { throw fail("newline in a string (use \"\"\" for several lines)") }
                line += 1; out.append(c); i += 1; continue
            }
            if c == UInt8(ascii: "\\") {
                i += 1
                guard i < s.count else { throw fail("unterminated string") }
                let e = s[i]
                i += 1
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "e"): out.append(0x1B)
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + n <= s.count, let v = UInt32(String(decoding: s[i..<i + n], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else { throw fail("bad unicode escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i += n
                case 0x20 where multi, 0x09 where multi, 0x0A where multi, 0x0D where multi:
                    // line-ending backslash: trim whitespace and newlines that follow
                    i -= 1
                    var j = i
                    while j < s.count, s[j] == 0x20 || s[j] == 0x09 { j += 1 }
                    guard j < s.count, s[j] == 0x0A || s[j] == 0x0D else { throw fail("bad escape '\\ '") }
                    i = j
                    while i < s.count, [0x20, 0x09, 0x0A, 0x0D].contains(s[i]) { if s[i] == 0x0A { line += 1 }; i += 1 }
                default: throw fail("unknown escape '\\\(String(decoding: [e], as: UTF8.self))'")
                }
                continue
            }
            if c < 0x20 && c != 0x09 && c != 0x0D { throw fail("control character in a string") }
            out.append(c); i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func literalString() throws -> String {
        let multi = matches("'''")
        i += multi ? 3 : 1
        if multi { skipOneNewline() }
        let start = i
        while true {
            guard i < s.count else { throw fail("unterminated string") }
            if multi && matches("'''") { let r = s[start..<i]; i += 3; return String(decoding: r, as: UTF8.self) }
            if !multi && s[i] == UInt8(ascii: "'") { let r = s[start..<i]; i += 1; return String(decoding: r, as: UTF8.self) }
            if s[i] == 0x0A {
                guard multi else { throw fail("newline in a string (use ''' for several lines)") }
                line += 1
            }
            i += 1
        }
    }

    // MARK: lexing helpers

    private mutating func skipSpaces() { while i < s.count, s[i] == 0x20 || s[i] == 0x09 { i += 1 } }

    private mutating func skipWhitespaceAndComments(newlines: Bool) {
        while i < s.count {
            switch s[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A where newlines: line += 1; i += 1
            case UInt8(ascii: "#"): while i < s.count, s[i] != 0x0A { i += 1 }
            default: return
            }
        }
    }

    private mutating func skipOneNewline() {
        if matches("\r\n") { i += 2; line += 1 } else if i < s.count, s[i] == 0x0A { i += 1; line += 1 }
    }

    private mutating func endOfLine() throws {
        skipSpaces()
        if i < s.count, s[i] == UInt8(ascii: "#") { while i < s.count, s[i] != 0x0A { i += 1 } }
        if i < s.count, s[i] == 0x0D { i += 1 }
        guard i >= s.count || s[i] == 0x0A else { throw fail("unexpected \(describe(s[i])) after value") }
    }

    private func peek(_ off: Int) -> UInt8? { i + off < s.count ? s[i + off] : nil }

    private func matches(_ lit: String) -> Bool {
        let u = Array(lit.utf8)
        return i + u.count <= s.count && Array(s[i..<i + u.count]) == u
    }

    private mutating func eat(_ lit: String) -> Bool {
        if matches(lit) { i += lit.utf8.count; return true }
        return false
    }

    private func describe(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(String(decoding: [c], as: UTF8.self))'" : "character 0x\(String(c, radix: 16))"
    }

    private func fail(_ message: String) -> TOMLError { TOMLError(line: line, message: message) }
}

private extension String {
    /// Removes digit separators; nil when an underscore is not between two digits.
    func replacingUnderscores() -> String? {
        guard contains("_") else { return self }
        let chars = Array(self)
        for (k, c) in chars.enumerated() where c == "_" {
            guard k > 0, k + 1 < chars.count, chars[k - 1].isHexDigit, chars[k + 1].isHexDigit else { return nil }
        }
        return String(chars.filter { $0 != "_" })
    }
}
