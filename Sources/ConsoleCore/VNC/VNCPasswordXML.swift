/// Reads the `passwd` attribute of a domain's VNC <graphics> element straight from the secure XML bytes
/// into a VNCPassword, so that the password never becomes a String (which could not be wiped). Only this
/// one attribute is read; everything else about the XML comes from Collectors' DomainXML.
public enum VNCPasswordXML {
    /// The password of the `vncIndex`-th VNC <graphics> element (0 = first), nil when it has none.
    public static func password(in xml: UnsafeBufferPointer<UInt8>, vncIndex: Int = 0) -> VNCPassword? {
        var seen = 0
        var i = 0
        let n = xml.count
        while let start = find(Array("<graphics".utf8), in: xml, from: i) {
            guard let end = tagEnd(xml, from: start) else { return nil }
            i = end
            let after = start + 9
            guard after < n, xml[after] == 0x20 || xml[after] == 0x09 || xml[after] == 0x0A || xml[after] == 0x0D else { continue }
            guard let type = attribute("type", in: xml, tag: start..<end), xml[type].elementsEqual("vnc".utf8) else { continue }
            if seen == vncIndex {
                guard let value = attribute("passwd", in: xml, tag: start..<end) else { return nil }
                return unescape(xml, value).withBytes { VNCPassword(copying: $0) }
            }
            seen += 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard needle.count <= hay.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] {
                var ok = true
                for k in 1..<needle.count where hay[i + k] != needle[k] { ok = false; break }
                if ok { return i }
            }
            i += 1
        }
        return nil
    }

    /// Index of the '>' closing the tag that starts at `start`, skipping quoted attribute values.
    private static func tagEnd(_ xml: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var quote: UInt8 = 0
        var i = start
        while i < xml.count {
            let c = xml[i]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == 0x22 || c == 0x27 { quote = c }
            else if c == 0x3E { return i }
            i += 1
        }
        return nil
    }

    /// Where the raw (still escaped) value of attribute `name` inside the tag is: no copy of it is made.
    private static func attribute(_ name: String, in xml: UnsafeBufferPointer<UInt8>, tag: Range<Int>) -> Range<Int>? {
        let key = Array(name.utf8)
        var i = tag.lowerBound
        while i < tag.upperBound {
            // An attribute name starts after whitespace.
            let c = xml[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D, i + key.count + 2 < tag.upperBound {
                var j = i + 1
                var match = true
                for k in key.indices where xml[j + k] != key[k] { match = false; break }
                if match {
                    j += key.count
                    while j < tag.upperBound, xml[j] == 0x20 { j += 1 }
                    if j < tag.upperBound, xml[j] == 0x3D {
                        j += 1
                        while j < tag.upperBound, xml[j] == 0x20 { j += 1 }
                        guard j < tag.upperBound else { return nil }
                        let q = xml[j]
                        guard q == 0x22 || q == 0x27 else { return nil }
                        j += 1
                        let valueStart = j
                        while j < tag.upperBound, xml[j] != q { j += 1 }
                        return valueStart..<j
                    }
                }
            }
            // Skip quoted values so that text inside them is never taken for an attribute name.
            if c == 0x22 || c == 0x27 {
                var j = i + 1
                while j < tag.upperBound, xml[j] != c { j += 1 }
                i = j + 1
                continue
            }
            i += 1
        }
        return nil
    }

    /// XML's predefined entities and numeric character references, decoded straight into a SecretBuffer.
    private static func unescape(_ xml: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> SecretBuffer {
        let out = SecretBuffer(capacity: range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            if xml[i] == 0x26, let semi = xml[i..<range.upperBound].firstIndex(of: 0x3B), semi - i <= 10 {
                let ent = String(decoding: xml[(i + 1)..<semi], as: UTF8.self)
                var scalar: UInt32?
                switch ent {
                case "amp": scalar = 0x26
                case "lt": scalar = 0x3C
                case "gt": scalar = 0x3E
                case "quot": scalar = 0x22
                case "apos": scalar = 0x27
                default:
                    if ent.hasPrefix("#x") { scalar = UInt32(ent.dropFirst(2), radix: 16) }
                    else if ent.hasPrefix("#") { scalar = UInt32(ent.dropFirst(1)) }
                }
                if let s = scalar, let u = Unicode.Scalar(s) {
                    out.append(Character(u))
                    i = semi + 1
                    continue
                }
            }
            out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(xml)[i..<(i + 1)]))
            i += 1
        }
        return out
    }
}
