/// A single-pass reader for the one JSON shape the fleet query gets back:
/// `{"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[t,"v"]},…]}}`.
///
/// Foundation's JSONDecoder spends most of a refresh on large answers (tens of thousands of series);
/// this reads the bytes once. Anything it does not expect makes it give up (nil), and the caller
/// falls back to JSONDecoder, which also words the errors.
package struct PromQLVectorScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// Series of a successful vector answer, or nil when the answer is anything else.
    package static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [PromSeries]? {
        var s = PromQLVectorScanner(bytes)
        return s.top()
    }

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    private mutating func top() -> [PromSeries]? {
        var status: String?, result: [PromSeries]?
        guard object({ s, key in
            switch key {
            // A key given twice: JSON leaves its meaning open, so the general decoder decides (fuzz: promql).
            case "status": guard status == nil else { return false }; status = s.string(); return status != nil
            case "data": guard result == nil else { return false }; result = s.data(); return result != nil
            default: return s.skipValue()
            }
        }) else { return nil }
        skipSpace()
        guard i == b.count, status == "success" else { return nil }
        return result
    }

    private mutating func data() -> [PromSeries]? {
        var type: String?, result: [PromSeries]?
        guard object({ s, key in
            switch key {
            case "resultType": guard type == nil else { return false }; type = s.string(); return type != nil
            case "result": guard result == nil else { return false }; result = s.results(); return result != nil
            default: return s.skipValue()
            }
        }), type == "vector" else { return nil }
        return result ?? []
    }

    private mutating func results() -> [PromSeries]? {
        var out: [PromSeries] = []
        guard array({ s in
            var labels: [String: String]?, value: Double?
            guard s.object({ s, key in
                switch key {
                case "metric": guard labels == nil else { return false }; labels = s.labels(); return labels != nil
                case "value": guard value == nil else { return false }; value = s.sample(); return value != nil
                default: return s.skipValue()
                }
            }), let labels, let value else { return false }
            out.append(PromSeries(labels: labels, value: value))
            return true
        }) else { return nil }
        return out
    }

    private mutating func labels() -> [String: String]? {
        var m: [String: String] = [:]
        guard object({ s, key in
            guard let v = s.string(), m.updateValue(v, forKey: key) == nil else { return false }   // a label twice: give up
            return true
        }) else { return nil }
        return m
    }

    /// `[ <unix time>, "<value>" ]` → value.
    private mutating func sample() -> Double? {
        var n = 0
        var v: Double?
        guard array({ s in
            defer { n += 1 }
            if n == 0 { return s.skipNumber() }
            guard n == 1, let text = s.string() else { return false }
            v = Double(text)
            return v != nil
        }), n == 2 else { return nil }
        return v
    }

    // MARK: JSON grammar

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func expect(_ c: UInt8) -> Bool {
        skipSpace()
        guard i < b.count, b[i] == c else { return false }
        i += 1
        return true
    }

    /// `{ "k": v, … }`, calling `member` with each key positioned at its value.
    private mutating func object(_ member: (inout PromQLVectorScanner, String) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "{")) else { return false }
        if expect(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), expect(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "}"))
    }

    private mutating func array(_ element: (inout PromQLVectorScanner) -> Bool) -> Bool {
        guard expect(UInt8(ascii: "[")) else { return false }
        if expect(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while expect(UInt8(ascii: ","))
        return expect(UInt8(ascii: "]"))
    }

    private mutating func string() -> String? {
        guard expect(Self.quote) else { return nil }
        let start = i
        while i < b.count, b[i] != Self.quote, b[i] != Self.backslash {
            if b[i] < 0x20 { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        if b[i] == Self.quote {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        }
        // Escapes: decode byte by byte from the start.
        var out: [UInt8] = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == Self.quote { i += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { return nil }
            if c != Self.backslash { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { return nil }
            let e = b[i]; i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return nil }
                if (0xD800..<0xDC00).contains(scalar) {        // surrogate pair
                    guard i + 1 < b.count, b[i] == Self.backslash, b[i + 1] == UInt8(ascii: "u") else { return nil }
                    i += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { return nil }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]; i += 1
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x61...0x66: d = c - 0x61 + 10
            case 0x41...0x46: d = c - 0x41 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private mutating func skipNumber() -> Bool {
        skipSpace()
        let start = i
        while i < b.count, (0x30...0x39).contains(b[i]) || b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+")
                || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") { i += 1 }
        return i > start
    }

    private mutating func skipValue() -> Bool {
        skipSpace()
        guard i < b.count else { return false }
        switch b[i] {
        case Self.quote: return string() != nil
        case UInt8(ascii: "{"): return object { s, _ in s.skipValue() }
        case UInt8(ascii: "["): return array { s in s.skipValue() }
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        default: return skipNumber()
        }
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= b.count else { return false }
        for k in 0..<w.count where b[i + k] != w[k] { return false }
        i += w.count
        return true
    }
}
