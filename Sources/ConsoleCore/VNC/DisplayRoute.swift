import FleetCore
import Foundation

/// The user@host[:port] an ssh tunnel goes to (from a `+ssh` libvirt URI).
public struct SSHTarget: Sendable, Hashable {
    public var user: String?
    public var host: String
    public var port: Int?
    public var keyfile: String?

    /// Arguments for the user's own ssh to run `remoteCommand`, or to forward stdio with `-W`.
    /// BatchMode: a password prompt cannot be shown inside the TUI (keys or an agent are needed, as for
    /// libvirt's own ssh transport).
    public func arguments(forward: (host: String, port: Int)? = nil, remoteCommand: [String] = []) -> [String] {
        var a = ["-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-e", "none", "-T"]
        if let port { a += ["-p", String(port)] }
        if let user { a += ["-l", user] }
        if let keyfile { a += ["-i", keyfile] }
        if let f = forward {
            a += ["-W", f.host.contains(":") ? "[\(f.host)]:\(f.port)" : "\(f.host):\(f.port)"]
        }
        a += ["--", host]
        a += remoteCommand
        return a
    }
}

/// How to reach a domain's VNC display from here.
public enum DisplayRoute: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)
    /// Through ssh to `via`, then to host:port as seen from there.
    case sshTCP(via: SSHTarget, host: String, port: Int)
    /// Through ssh to `via`, then to a UNIX socket there.
    case sshUnix(via: SSHTarget, path: String)

    public var description: String {
        switch self {
        case .tcp(let h, let p): return VNCEndpoint.tcp(host: h, port: p).description
        case .unix(let p): return p
        case .sshTCP(let via, let h, let p): return "ssh \(via.host) → \(VNCEndpoint.tcp(host: h, port: p))"
        case .sshUnix(let via, let p): return "ssh \(via.host) → \(p)"
        }
    }
}

/// Why there is no display to connect to (one clear line each).
public enum DisplayLocateError: Error, Sendable, Equatable, CustomStringConvertible {
    case notRunning(String)
    case noGraphics(String)
    case notVNC(String, types: [String])
    case noPort(String)
    case unreachable(String)
    case badURI(String)

    public var description: String {
        switch self {
        case .notRunning(let d): return "domain \(Sanitize.oneLine(d)) is not running (use --wait to wait for it)"
        case .noGraphics(let d): return "domain \(Sanitize.oneLine(d)) has no graphical console (no <graphics> in its XML)"
        case .notVNC(let d, let types):
            return "domain \(Sanitize.oneLine(d)) has no VNC display (it has \(types.map { Sanitize.oneLine($0) }.joined(separator: ", "))); only VNC is supported"
        case .noPort(let d): return "the VNC display of \(Sanitize.oneLine(d)) has no port yet"
        case .unreachable(let why): return Sanitize.oneLine(why)
        case .badURI(let u): return "cannot read the libvirt URI '\(Sanitize.oneLine(u))'"
        }
    }
}

/// Works out the route to a VNC display from the libvirt URI and the domain's <graphics> element.
public enum DisplayLocator {
    /// The libvirt URI's parts that matter here.
    public struct URIParts: Sendable, Hashable {
        public var transport: String?     // "ssh", "libssh", "libssh2", "tcp", "tls", "unix", nil
        public var user: String?
        public var host: String?          // nil or "" = this machine
        public var port: Int?
        public var keyfile: String?
        public var isLocal: Bool { (host ?? "").isEmpty }
        public var isSSH: Bool { ["ssh", "libssh", "libssh2"].contains(transport ?? "") }
    }

    public static func parse(uri: String) throws(DisplayLocateError) -> URIParts {
        guard let c = URLComponents(string: uri), let scheme = c.scheme else { throw .badURI(uri) }
        let plus = scheme.split(separator: "+", maxSplits: 1)
        let transport = plus.count == 2 ? String(plus[1]).lowercased() : nil
        let keyfile = c.queryItems?.first { $0.name == "keyfile" }?.value
        return URIParts(transport: transport, user: c.user, host: c.host, port: c.port, keyfile: keyfile)
    }

    /// Wildcard listen addresses mean "every address of the host".
    public static func isWildcard(_ listen: String?) -> Bool {
        guard let l = listen?.trimmingCharacters(in: .whitespaces), !l.isEmpty else { return true }
        return l == "0.0.0.0" || l == "::" || l == "[::]"
    }

    public static func isLoopback(_ listen: String) -> Bool {
        listen == "localhost" || listen.hasPrefix("127.") || listen == "::1" || listen == "[::1]"
    }

    /// The first VNC display of a domain and its index among the <graphics> elements.
    public static func vncDisplay(domain: String, graphics: [GraphicsInfo]) throws(DisplayLocateError) -> (index: Int, info: GraphicsInfo) {
        guard !graphics.isEmpty else { throw .noGraphics(domain) }
        guard let i = graphics.firstIndex(where: { $0.type.lowercased() == "vnc" }) else {
            throw .notVNC(domain, types: graphics.map(\.type))
        }
        return (i, graphics[i])
    }

    /// The route from here to `g` on the host of `uri`.
    public static func route(uri: String, domain: String, graphics g: GraphicsInfo) throws(DisplayLocateError) -> DisplayRoute {
        let parts = try parse(uri: uri)
        let ssh = parts.isSSH ? SSHTarget(user: parts.user, host: parts.host ?? "", port: parts.port, keyfile: parts.keyfile) : nil
        if let socket = g.socket, !socket.isEmpty {
            if parts.isLocal { return .unix(path: socket) }
            if let ssh { return .sshUnix(via: ssh, path: socket) }
            throw .unreachable("the VNC display of \(domain) is a UNIX socket on \(parts.host ?? "?"); use a +ssh URI to reach it")
        }
        guard let port = g.port, port > 0 else { throw .noPort(domain) }
        let listen = g.listen?.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        if parts.isLocal {
            return .tcp(host: isWildcard(listen) ? "127.0.0.1" : listen!, port: port)
        }
        let host = parts.host!
        if let ssh {
            // Seen from the remote host itself: a wildcard listen is reachable on its loopback.
            return .sshTCP(via: ssh, host: isWildcard(listen) ? "127.0.0.1" : listen!, port: port)
        }
        if isWildcard(listen) { return .tcp(host: host, port: port) }
        if isLoopback(listen!) {
            throw .unreachable("the VNC display of \(domain) listens on \(listen!) of \(host) only; use a qemu+ssh:// URI to tunnel to it")
        }
        return .tcp(host: listen!, port: port)
    }
}
