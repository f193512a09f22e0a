#if canImport(Glibc)
import Glibc
#endif

/// A VNC password held as bytes (never a String, which cannot be wiped), zeroed when released.
/// It has no description: printing it shows nothing secret.
public final class VNCPassword: @unchecked Sendable, CustomStringConvertible {
    private var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var isEmpty: Bool { bytes.isEmpty }
    public var count: Int { bytes.count }

    /// A malloc'd NUL-terminated copy for libvncclient's GetPassword (the library wipes and frees it).
    package func mallocCString() -> UnsafeMutablePointer<CChar>? {
        guard let p = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else { return nil }
        for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b == 0 ? 0x20 : b) }
        p[bytes.count] = 0
        return p
    }

    /// Overwrites the bytes now (also done on deinit).
    public func wipe() {
        for i in bytes.indices { bytes[i] = 0 }
        bytes.removeAll()
    }

    deinit { wipe() }

    public var description: String { "<VNC password>" }
}
