/// Text that came from outside (domain names, host errors, VNC desktop names) must never reach the
/// terminal raw: control characters and escape sequences are shown escaped, visibly.
public enum Sanitize {
    /// C0/C1 controls, DEL, and bidi/format characters become visible escapes: ESC → "\e",
    /// other controls → "\xNN" / "\u{NNNN}". Printable text, including wide characters, passes through.
    public static func forTerminal(_ s: String) -> String {
        // Fast path: pure printable ASCII.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x1B: out += "\\e"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x00..<0x20, 0x7F: out += "\\x" + hex(v, width: 2)
            case 0x80..<0xA0: out += "\\x" + hex(v, width: 2)
            // bidi overrides/isolates, zero-width and other invisible format characters
            case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF, 0xFFF9...0xFFFB:
                out += "\\u{" + hex(v, width: 4) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One line for an error message: sanitised, whitespace runs folded, at most `limit` characters.
    public static func oneLine(_ s: String, limit: Int = 300) -> String {
        let folded = s.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        let clean = forTerminal(folded)
        return clean.count > limit ? String(clean.prefix(limit - 1)) + "…" : clean
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
