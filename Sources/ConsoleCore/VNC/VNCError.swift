import FleetCore

/// Why a VNC session could not start or ended. `description` is one line, safe for a terminal
/// (anything that came from the server is sanitised).
public enum VNCError: Error, Sendable, Equatable, CustomStringConvertible {
    case refused(String)                 // nothing listens there (ECONNREFUSED, missing UNIX socket)
    case unreachable(String)             // no route, bad host name, …
    case timeout(String)                 // connect or read timed out (stalled server)
    case authFailed(String)              // wrong/missing password, server refused us
    case authNotAllowed(String)          // server wants a security type the user did not allow
    case protocolError(String)           // garbage, truncated or oversized messages
    case framebufferTooLarge(width: Int, height: Int)
    case serverClosed                    // the server hung up (guest shut down, QEMU exited)
    case tunnelFailed(String)            // ssh could not reach the host
    case cancelled

    public var description: String {
        switch self {
        case .refused(let s): return "VNC connection refused: \(Sanitize.oneLine(s))"
        case .unreachable(let s): return "VNC server unreachable: \(Sanitize.oneLine(s))"
        case .timeout(let s): return "VNC timeout: \(Sanitize.oneLine(s))"
        case .authFailed(let s): return "VNC authentication failed: \(Sanitize.oneLine(s))"
        case .authNotAllowed(let s): return "VNC security not allowed: \(Sanitize.oneLine(s))"
        case .protocolError(let s): return "VNC protocol error: \(Sanitize.oneLine(s))"
        case .framebufferTooLarge(let w, let h):
            return "VNC server asked for a \(w)x\(h) framebuffer, larger than the \(VNCLimits.maxWidth)x\(VNCLimits.maxHeight) / \(VNCLimits.maxBytes >> 20) MB limit"
        case .serverClosed: return "VNC server closed the connection"
        case .tunnelFailed(let s): return "SSH tunnel failed: \(Sanitize.oneLine(s))"
        case .cancelled: return "VNC connection cancelled"
        }
    }

    /// Worth trying again when reconnecting by itself (the guest rebooting, QEMU restarting)?
    /// Auth and policy errors are not: retrying would only hammer the server with a wrong password.
    public var isTransient: Bool {
        switch self {
        case .refused, .unreachable, .timeout, .serverClosed, .tunnelFailed: return true
        case .protocolError: return true
        case .authFailed, .authNotAllowed, .framebufferTooLarge, .cancelled: return false
        }
    }
}

/// Hard limits against hostile servers.
public enum VNCLimits {
    public static let maxWidth = 8192
    public static let maxHeight = 8192
    public static let maxBytes = 64 << 20          // 32-bpp framebuffer
    public static let maxDesktopNameCharacters = 200
}
