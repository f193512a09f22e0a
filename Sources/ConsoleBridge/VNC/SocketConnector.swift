import ConsoleCore
import FleetCore
#if canImport(Glibc)
import Glibc
#endif

/// Opens sockets for VNCEndpoint with a connect timeout; every errno becomes one VNCError.
enum SocketConnector {
    static func open(_ endpoint: VNCEndpoint, timeout: Double) throws(VNCError) -> Int32 {
        let fd: Int32
        switch endpoint {
        case .tcp(let host, let port): fd = try connectTCP(host: host, port: port, timeout: timeout)
        case .unix(let path): fd = try connectUnix(path: path, timeout: timeout)
        case .socket(let given, _): fd = given
        }
        // libvncclient waits with select(): descriptors of 1024 and above would overflow its fd_set.
        if fd >= Int32(FD_SETSIZE) {
            close(fd)
            throw .unreachable("socket descriptor \(fd) is too high for libvncclient (limit \(FD_SETSIZE))")
        }
        setNonBlocking(fd)
        return fd
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func connectTCP(host: String, port: Int, timeout: Double) throws(VNCError) -> Int32 {
        let where_ = VNCEndpoint.tcp(host: host, port: port).description
        guard (1...65535).contains(port) else { throw .unreachable("invalid port \(port) for \(host)") }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .unreachable("\(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: VNCError = .unreachable(where_)
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            if fd < 0 { lastError = .unreachable("\(where_): socket: \(errnoText())"); continue }
            setNonBlocking(fd)
            do {
                try finishConnect(fd: fd, connectResult: connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen),
                                  timeout: timeout, where_: where_)
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            } catch {
                close(fd)
                lastError = error
            }
        }
        throw lastError
    }

    static func connectUnix(path: String, timeout: Double) throws(VNCError) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count < capacity else { throw .unreachable("UNIX socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .unreachable("\(path): socket: \(errnoText())") }
        setNonBlocking(fd)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        do {
            try finishConnect(fd: fd, connectResult: rc, timeout: timeout, where_: path)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Completes a non-blocking connect(): waits for writability up to `timeout`, then reads SO_ERROR.
    private static func finishConnect(fd: Int32, connectResult: Int32, timeout: Double, where_: String) throws(VNCError) {
        var err: Int32 = 0
        if connectResult != 0 {
            err = errno
            if err == EINPROGRESS || err == EAGAIN {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let deadline = Monotonic.now() + timeout
                while true {
                    let left = max(0, deadline - Monotonic.now())
                    let n = poll(&pfd, 1, Int32(left * 1000))
                    if n > 0 { break }
                    if n == 0 { throw .timeout("no answer from \(where_) within \(formatSeconds(timeout))") }
                    if errno != EINTR { throw .unreachable("\(where_): poll: \(errnoText())") }
                }
                var len = socklen_t(MemoryLayout<Int32>.size)
                err = 0
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            }
        }
        switch err {
        case 0: return
        case ECONNREFUSED, ENOENT: throw .refused("nothing listens on \(where_)")
        case ETIMEDOUT: throw .timeout("no answer from \(where_)")
        case EACCES, EPERM: throw .refused("\(where_): permission denied")
        default: throw .unreachable("\(where_): \(String(cString: strerror(err)))")
        }
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

func formatSeconds(_ s: Double) -> String {
    s == s.rounded() ? "\(Int(s)) s" : String(format_: s)
}

private extension String {
    init(format_ value: Double) { self = "\((value * 10).rounded() / 10) s" }
}
