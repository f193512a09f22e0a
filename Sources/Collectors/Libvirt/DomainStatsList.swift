import CLibvirt
import Foundation

/// One typed parameter's value (virTypedParameter), copied out of libvirt's memory.
public enum TypedValue: Sendable, Hashable {
    case int(Int64), uint(UInt64), double(Double), bool(Bool), string(String)

    public var uint64: UInt64? {
        switch self {
        case .int(let v): return v < 0 ? nil : UInt64(v)
        case .uint(let v): return v
        case .double(let v): return v < 0 || !v.isFinite ? nil : UInt64(v)
        case .bool(let b): return b ? 1 : 0
        case .string: return nil
        }
    }
    public var int: Int? {
        switch self {
        case .int(let v): return Int(v)
        case .uint(let v): return v > UInt64(Int.max) ? nil : Int(v)
        case .double(let v): return v.isFinite ? Int(v) : nil
        case .bool(let b): return b ? 1 : 0
        case .string: return nil
        }
    }
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
}

/// The records of one `virConnectGetAllDomainStats` call; freed (with their domain handles) on deinit.
public final class DomainStatsList: @unchecked Sendable {
    private let records: UnsafeMutablePointer<virDomainStatsRecordPtr?>?
    public let count: Int

    init(records: UnsafeMutablePointer<virDomainStatsRecordPtr?>?, count: Int) {
        self.records = records; self.count = count
    }
    deinit { if let records { virDomainStatsRecordListFree(records) } }

    /// Calls `body` with each record's domain (valid only while this list lives) and its fields.
    public func forEach(_ body: (Domain, [(String, TypedValue)]) throws -> Void) rethrows {
        guard let records else { return }
        for i in 0..<count {
            guard let rec = records[i], let dom = rec.pointee.dom else { continue }
            try body(Domain(borrowing: dom), Self.decode(rec.pointee.params, Int(rec.pointee.nparams)))
        }
    }

    static func decode(_ params: virTypedParameterPtr?, _ n: Int) -> [(String, TypedValue)] {
        guard let params, n > 0 else { return [] }
        var out: [(String, TypedValue)] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            let p = params[i]
            let name = withUnsafeBytes(of: p.field) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            let v: TypedValue
            switch UInt32(p.type) {
            case VIR_TYPED_PARAM_INT.rawValue: v = .int(Int64(p.value.i))
            case VIR_TYPED_PARAM_UINT.rawValue: v = .uint(UInt64(p.value.ui))
            case VIR_TYPED_PARAM_LLONG.rawValue: v = .int(p.value.l)
            case VIR_TYPED_PARAM_ULLONG.rawValue: v = .uint(p.value.ul)
            case VIR_TYPED_PARAM_DOUBLE.rawValue: v = .double(p.value.d)
            case VIR_TYPED_PARAM_BOOLEAN.rawValue: v = .bool(p.value.b != 0)
            case VIR_TYPED_PARAM_STRING.rawValue: v = .string(p.value.s.map { String(cString: $0) } ?? "")
            default: continue
            }
            out.append((name, v))
        }
        return out
    }
}
