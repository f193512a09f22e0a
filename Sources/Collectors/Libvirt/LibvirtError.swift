import CLibvirt
import FleetCore

/// Every libvirt failure, as one Swift error. Built in exactly one place (`LibvirtError.last`) from
/// libvirt's per-thread last error, which is then reset so it cannot leak into the next call.
public struct LibvirtError: Error, CustomStringConvertible, Sendable {
    /// virErrorNumber (VIR_ERR_*), or -1 when libvirt reported nothing.
    public var code: Int32
    /// virErrorDomain (VIR_FROM_*): which part of libvirt failed.
    public var domain: Int32
    /// One line, sanitized: safe for a terminal or a log.
    public var message: String
    /// The API call that failed, for context ("virConnectOpenReadOnly").
    public var operation: String

    public init(code: Int32, domain: Int32, message: String, operation: String) {
        self.code = code; self.domain = domain; self.message = message; self.operation = operation
    }

    public var description: String { message }

    /// Reads and clears this thread's libvirt error. Call right after a libvirt function failed.
    static func last(_ operation: String) -> LibvirtError {
        guard let err = virGetLastError() else {
            return LibvirtError(code: -1, domain: 0, message: "\(operation) failed (no libvirt error reported)",
                                operation: operation)
        }
        let text = err.pointee.message.map { String(cString: $0) } ?? "\(operation) failed"
        let e = LibvirtError(code: err.pointee.code, domain: err.pointee.domain,
                             message: Sanitize.oneLine(text), operation: operation)
        virResetError(err)
        return e
    }

    private func isCode(_ c: virErrorNumber) -> Bool { code == Int32(c.rawValue) }

    /// The driver does not implement the call (e.g. bulk stats on some drivers).
    public var isUnsupported: Bool {
        isCode(VIR_ERR_NO_SUPPORT) || isCode(VIR_ERR_OPERATION_UNSUPPORTED) || isCode(VIR_ERR_INVALID_ARG)
            || isCode(VIR_ERR_ARGUMENT_UNSUPPORTED)
    }
    /// The domain went away between listing and asking.
    public var isNoDomain: Bool { isCode(VIR_ERR_NO_DOMAIN) || isCode(VIR_ERR_OPERATION_INVALID) }
    /// The connection itself is gone (daemon died, keepalive timeout, socket closed).
    public var isConnectionLost: Bool {
        isCode(VIR_ERR_SYSTEM_ERROR) || isCode(VIR_ERR_RPC) || isCode(VIR_ERR_NO_CONNECT)
            || isCode(VIR_ERR_INVALID_CONN) || isCode(VIR_ERR_AUTH_FAILED) || isCode(VIR_ERR_AUTH_CANCELLED)
    }
}
