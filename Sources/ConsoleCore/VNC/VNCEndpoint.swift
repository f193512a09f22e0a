/// Where a VNC display is. The session connects itself (with a timeout and a clear error for each
/// failure) and hands libvncclient an open, non-blocking socket.
public enum VNCEndpoint: Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)
    /// An already-open stream socket (ssh tunnel, virDomainOpenGraphicsFD). The session takes ownership.
    case socket(fd: Int32, label: String)

    public var description: String {
        switch self {
        case .tcp(let h, let p): return h.contains(":") ? "[\(h)]:\(p)" : "\(h):\(p)"
        case .unix(let path): return path
        case .socket(_, let label): return label
        }
    }
}
