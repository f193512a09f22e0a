import Collectors
import CollectorsCore
import ConsoleBridge
import ConsoleCore
import FleetCore
import Foundation

/// Which guest to attach to, and how.
struct ConsoleTarget: Sendable {
    var uri: String?            // nil = libvirt's default URI
    var domain: String          // name or UUID
}

struct ConsoleOptions: Sendable {
    /// Wait for the domain to start (and for its display to appear) instead of failing.
    var wait = false
    /// Keep trying when the first connection fails for a transient reason (reconnecting after a
    /// reboot/restart once attached is always on).
    var reconnect = false
    /// Read the VNC password from the secure domain XML (needs a read-write libvirt connection).
    var passwordFromXML = false
    /// Try virDomainOpenGraphicsFD on local hosts before TCP/UNIX sockets.
    var useGraphicsFD = true
    var security = VNCSecurityPolicy.default
    var connectTimeout = 10.0
    var readTimeout = 15.0
    init() {}
}

/// A display found and opened: the endpoint for a VNCSession, plus what must be closed with it.
final class OpenedDisplay: Sendable {
    let endpoint: VNCEndpoint
    let domainName: String
    let route: String
    /// The ssh stream of a tunnelled display (a channel of the host's shared ssh connection).
    let tunnel: SSHStream?
    /// From the secure XML when asked for; otherwise nil (the UI prompts if the server wants one).
    let password: VNCPassword?
    /// The TLS server name (the libvirt host).
    let hostName: String?

    init(endpoint: VNCEndpoint, domainName: String, route: String, tunnel: SSHStream?, password: VNCPassword?, hostName: String?) {
        self.endpoint = endpoint; self.domainName = domainName; self.route = route; self.tunnel = tunnel
        self.password = password; self.hostName = hostName
    }

    func close() { tunnel?.close() }
}

extension VNCSessionConfiguration {
    /// A session to an opened display with the user's options (timeouts, security; compression through tunnels).
    init(display: OpenedDisplay, options: ConsoleOptions, password: @escaping @Sendable () -> VNCPassword?) {
        self.init(endpoint: display.endpoint)
        connectTimeout = options.connectTimeout
        readTimeout = options.readTimeout
        security = options.security
        tlsServerName = display.hostName
        compress = display.tunnel != nil
        self.password = password
    }
}

/// Errors on the libvirt side of attaching (one clear line).
struct ConsoleFailure: Error, CustomStringConvertible {
    var description: String
    /// Worth retrying later (host unreachable, domain not running yet).
    var transient: Bool
    init(_ d: String, transient: Bool = false) { description = d; self.transient = transient }
}

/// Finds a domain's VNC display through libvirt and opens a way to it.
enum DisplayConnector {
    /// Blocking; call off the UI thread. `status` reports progress ("waiting for … to start").
    static func open(_ target: ConsoleTarget, options: ConsoleOptions, cancelled: @Sendable () -> Bool,
                     status: @Sendable (String) -> Void) throws -> OpenedDisplay {
        let conn: Connection
        do { conn = try Connection.open(target.uri, readOnly: true) } catch {
            throw ConsoleFailure("cannot connect to \(target.uri.map { Sanitize.oneLine($0) } ?? "the default libvirt URI"): \(error)", transient: true)
        }
        defer { conn.close() }
        let uri = (try? conn.canonicalURI()) ?? (target.uri ?? "")

        var announced = false
        while true {
            if cancelled() { throw ConsoleFailure("cancelled") }
            do {
                return try attempt(conn: conn, uri: uri, target: target, options: options)
            } catch let e as DisplayLocateError {
                guard options.wait, case .notRunning = e else { throw ConsoleFailure(e.description, transient: isTransient(e)) }
                if !announced { status("waiting for \(Sanitize.oneLine(target.domain)) to start…"); announced = true }
            } catch let e as LibvirtError where e.isNoDomain && options.wait {
                if !announced { status("waiting for \(Sanitize.oneLine(target.domain)) to be defined…"); announced = true }
            }
            for _ in 0..<10 where !cancelled() { Thread.sleep(forTimeInterval: 0.1) }
        }
    }

    private static func isTransient(_ e: DisplayLocateError) -> Bool {
        switch e {
        case .notRunning, .noPort: return true
        default: return false
        }
    }

    static func lookup(_ conn: Connection, _ nameOrUUID: String) throws -> Domain {
        let looksLikeUUID = nameOrUUID.count == 36 && nameOrUUID.filter { $0 == "-" }.count == 4
        if looksLikeUUID, let d = try? conn.lookupDomain(uuid: nameOrUUID) { return d }
        do { return try conn.lookupDomain(name: nameOrUUID) } catch let e as LibvirtError where e.isNoDomain {
            throw e
        }
    }

    private static func attempt(conn: Connection, uri: String, target: ConsoleTarget, options: ConsoleOptions) throws -> OpenedDisplay {
        let dom: Domain
        do { dom = try lookup(conn, target.domain) } catch let e as LibvirtError {
            if e.isNoDomain && !options.wait { throw ConsoleFailure("no domain \(Sanitize.oneLine(target.domain)) on \(Sanitize.oneLine(uri))") }
            if e.isNoDomain { throw e }
            throw ConsoleFailure("\(Sanitize.oneLine(uri)): \(e)", transient: e.isConnectionLost)
        }
        let name = dom.name
        guard dom.id != nil else { throw DisplayLocateError.notRunning(name) }
        let desc: DomainDescription
        do { desc = try DomainXML.parse(dom.xmlDesc()) } catch {
            throw ConsoleFailure("cannot read the XML of \(Sanitize.oneLine(name)): \(error)")
        }
        let (index, graphics) = try DisplayLocator.vncDisplay(domain: name, graphics: desc.graphics)
        let vncIndex = desc.graphics[..<index].filter { $0.type.lowercased() == "vnc" }.count
        let parts = try DisplayLocator.parse(uri: uri)

        var password: VNCPassword?
        if options.passwordFromXML {
            password = try readPassword(uri: uri, domain: name, vncIndex: vncIndex)
        }

        // Local hosts: ask libvirt for a socket to the display itself (no port, no listen address to get wrong).
        if parts.isLocal && options.useGraphicsFD, let fd = try? graphicsFD(uri: uri, domain: name, index: index) {
            return OpenedDisplay(endpoint: .socket(fd: fd, label: "libvirt graphics fd"), domainName: name,
                                 route: "libvirt", tunnel: nil, password: password, hostName: "localhost")
        }

        let route = try DisplayLocator.route(uri: uri, domain: name, graphics: graphics)
        switch route {
        case .tcp(let h, let p):
            return OpenedDisplay(endpoint: .tcp(host: h, port: p), domainName: name, route: route.description,
                                 tunnel: nil, password: password, hostName: parts.host ?? h)
        case .unix(let path):
            return OpenedDisplay(endpoint: .unix(path: path), domainName: name, route: path, tunnel: nil,
                                 password: password, hostName: "localhost")
        case .sshTCP, .sshUnix:
            do {
                // Through the host's one shared ssh connection (SSHMultiplexer): the console and the screen
                // sampler of this process open channels in it, not a new ssh login each.
                let tunnel = try SSHMultiplexer.shared.open(route, timeout: options.connectTimeout)
                let fd = tunnel.fd
                return OpenedDisplay(endpoint: .socket(fd: fd, label: route.description), domainName: name,
                                     route: route.description, tunnel: tunnel, password: password, hostName: parts.host)
            } catch {
                throw ConsoleFailure(error.description, transient: true)
            }
        }
    }

    private static func graphicsFD(uri: String, domain: String, index: Int) throws -> Int32 {
        let rw = try Connection.open(uri, readOnly: false)
        defer { rw.close() }
        return try rw.lookupDomain(name: domain).openGraphicsFD(index: index)
    }

    private static func readPassword(uri: String, domain: String, vncIndex: Int) throws -> VNCPassword {
        do {
            let rw = try Connection.open(uri, readOnly: false)
            defer { rw.close() }
            let pw = try rw.lookupDomain(name: domain).withSecureXMLBytes { VNCPasswordXML.password(in: $0, vncIndex: vncIndex) }
            guard let pw else { throw ConsoleFailure("--password-from-xml: the VNC display of \(Sanitize.oneLine(domain)) has no password set") }
            return pw
        } catch let e as ConsoleFailure {
            throw e
        } catch {
            throw ConsoleFailure("--password-from-xml needs a read-write libvirt connection: \(error)")
        }
    }
}
