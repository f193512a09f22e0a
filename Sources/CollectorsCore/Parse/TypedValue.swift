/// One typed parameter's value (virTypedParameter), copied out of libvirt's memory.
public enum TypedValue: Sendable, Hashable {
    case int(Int64), uint(UInt64), double(Double), bool(Bool), string(String)

    public var uint64: UInt64? {
        switch self {
        case .int(let v): return v < 0 ? nil : UInt64(v)
        case .uint(let v): return v
        // Out of range (or not finite) is no number: converting it would trap (fuzz: bulkstats).
        case .double(let v): return v < 0 ? nil : UInt64(exactly: v.rounded(.towardZero))
        case .bool(let b): return b ? 1 : 0
        case .string: return nil
        }
    }
    public var int: Int? {
        switch self {
        case .int(let v): return Int(v)
        case .uint(let v): return v > UInt64(Int.max) ? nil : Int(v)
        case .double(let v): return Int(exactly: v.rounded(.towardZero))
        case .bool(let b): return b ? 1 : 0
        case .string: return nil
        }
    }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
}
