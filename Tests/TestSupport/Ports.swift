import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for test servers.
public enum Ports {
    /// A free loopback port in 19100-19899 (checked by binding it).
    public static func free() -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 19100...19899)
            if isFree(port) { return port }
        }
        return 0
    }

    public static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return bindLoopback(fd, port)
    }

    /// Binds `fd` to 127.0.0.1:port with SO_REUSEADDR (a port left in TIME_WAIT by a server that just died
    /// counts as free).
    static func bindLoopback(_ fd: Int32, _ port: Int) -> Bool {
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// A socket listening on 127.0.0.1:port, so nothing else can take that port until it is closed (on deinit).
public final class Listener {
    private let fd: Int32

    public init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Spawn.Failure(description: "socket: errno \(errno)") }
        guard Ports.bindLoopback(fd, port), listen(fd, 1) == 0 else {
            let e = errno
            close(fd)
            throw Spawn.Failure(description: "cannot listen on 127.0.0.1:\(port): errno \(e)")
        }
    }

    deinit { close(fd) }
}
