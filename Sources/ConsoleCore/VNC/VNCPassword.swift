#if canImport(Glibc)
import Glibc
#endif

/// A VNC password held in a SecretBuffer (never a String, which cannot be wiped), zeroed when released. It has
/// no description: printing it shows nothing secret.
public final class VNCPassword: Sendable, CustomStringConvertible {
    private let secret: SecretBuffer

    /// A copy of `bytes`, in a buffer of its own (the caller wipes the original).
    public init(copying bytes: UnsafeRawBufferPointer) { secret = SecretBuffer(copying: bytes) }

    /// A copy of `bytes` (for literals in tests; the caller's array is the caller's to wipe).
    public convenience init(bytes: [UInt8]) {
        self.init(copying: UnsafeRawBufferPointer(start: nil, count: 0))
        bytes.withUnsafeBytes { secret.append($0) }
    }

    public var isEmpty: Bool { secret.isEmpty }
    public var count: Int { secret.count }

    /// A malloc'd NUL-terminated copy for libvncclient's GetPassword (the library wipes and frees it).
    package func mallocCString() -> UnsafeMutablePointer<CChar>? {
        secret.withBytes { bytes in
            guard let p = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else { return nil }
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b == 0 ? 0x20 : b) }
            p[bytes.count] = 0
            return p
        }
    }

    /// Overwrites the bytes now (also done on deinit).
    public func wipe() { secret.wipe() }

    /// A copy of the whole allocation holding the secret: for tests that check what is left in memory.
    package func allocationBytes() -> [UInt8] { secret.allocationBytes() }

    public var description: String { "<VNC password>" }
}
