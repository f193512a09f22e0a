import CLibvirt
import Foundation

// What the console (FleetTUI/Console) needs from libvirt beyond monitoring: a socket to the display,
// the VNC password (read into bytes that are wiped, never a String), the connection's real URI.
extension Domain {
    /// A socket connected to graphics device `index` (virDomainOpenGraphicsFD). Only local drivers have
    /// it (QEMU over a UNIX-socket connection) and it needs a read-write connection. The caller owns the fd.
    public func openGraphicsFD(index: Int) throws -> Int32 {
        let fd = virDomainOpenGraphicsFD(ptr, UInt32(index), 0)
        guard fd >= 0 else { throw LibvirtError.last("virDomainOpenGraphicsFD") }
        return fd
    }

    /// Runs `body` on the secure domain XML (with passwords; needs a read-write connection) as bytes,
    /// then wipes them. Nothing of it may outlive `body`.
    public func withSecureXMLBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T {
        guard let s = virDomainGetXMLDesc(ptr, UInt32(VIR_DOMAIN_XML_SECURE.rawValue)) else {
            throw LibvirtError.last("virDomainGetXMLDesc")
        }
        let n = strlen(s)
        defer { memset(s, 0, n); free(s) }
        return try s.withMemoryRebound(to: UInt8.self, capacity: n) { try body(UnsafeBufferPointer(start: $0, count: n)) }
    }
}

extension Connection {
    /// The URI libvirt actually connected to (resolves the default URI and aliases).
    public func canonicalURI() throws -> String {
        let p = try handle("virConnectGetURI")
        guard let s = virConnectGetURI(p) else { throw LibvirtError.last("virConnectGetURI") }
        defer { free(s) }
        return String(cString: s)
    }
}
