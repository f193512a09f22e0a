import CLibvirt
import CollectorsCore
import Foundation

/// The records of one `virConnectGetAllDomainStats` call; freed (with their domain handles) on deinit.
public final class DomainStatsList: @unchecked Sendable {   // wraps libvirt's record array (C), read-only after the call
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
