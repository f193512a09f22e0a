/// Which RFB security types the user allows. libvncclient by default takes whatever the server offers
/// first, including "None"; this policy restricts the offer (SetClientAuthSchemes) and checks the outcome
/// afterwards, because RFB 3.3 servers dictate the type and VeNCrypt sub-types are not filtered by the
/// library: demanding a password or TLS must never end in a silent downgrade.
public struct VNCSecurityPolicy: Sendable, Hashable {
    /// Accept servers that ask for no authentication at all.
    public var allowNone: Bool
    /// Accept classic VNC password authentication (DES challenge).
    public var allowVNCAuth: Bool
    /// Accept VeNCrypt and anonymous TLS (with a None or VNC-password sub-type).
    public var allowTLS: Bool
    /// Only TLS-protected sessions are acceptable.
    public var requireTLS: Bool
    /// CA certificate for the X509 VeNCrypt sub-types (libvncclient verifies the server against serverHost).
    public var tlsCACertFile: String?

    public init(allowNone: Bool = true, allowVNCAuth: Bool = true, allowTLS: Bool = false,
                requireTLS: Bool = false, tlsCACertFile: String? = nil) {
        self.allowNone = allowNone; self.allowVNCAuth = allowVNCAuth; self.allowTLS = allowTLS
        self.requireTLS = requireTLS; self.tlsCACertFile = tlsCACertFile
    }

    /// None or VNC password, no TLS: what QEMU/Xen offer on a loopback display.
    public static let `default` = VNCSecurityPolicy()
    /// The user asked for a password: "None" is refused, wherever it turns up.
    public static let passwordRequired = VNCSecurityPolicy(allowNone: false)

    /// The security types offered to the server (SetClientAuthSchemes), in order of preference.
    public var offeredSchemes: [UInt32] {
        var s: [UInt32] = []
        if allowTLS { s += [RFBSecurity.veNCrypt, RFBSecurity.anonTLS] }
        if !requireTLS {
            if allowVNCAuth { s.append(RFBSecurity.vncAuth) }
            if allowNone { s.append(RFBSecurity.none) }
        }
        return s
    }

    /// Checks the security type (and sub-type) the handshake ended with. nil = acceptable.
    public func violation(scheme: UInt32, subScheme: UInt32) -> VNCError? {
        let name = RFBSecurity.name(scheme, subScheme)
        switch scheme {
        case RFBSecurity.none:
            if requireTLS || !allowNone {
                return .authNotAllowed("server skipped authentication (\(name)), which this session does not allow")
            }
            return nil
        case RFBSecurity.vncAuth:
            if requireTLS { return .authNotAllowed("server offered only \(name) without TLS, but TLS is required") }
            return allowVNCAuth ? nil : .authNotAllowed("server asked for \(name), which is not allowed")
        case RFBSecurity.veNCrypt, RFBSecurity.anonTLS:
            guard allowTLS else { return .authNotAllowed("server negotiated \(name), which is not allowed") }
            if RFBSecurity.passwordSubSchemes.contains(subScheme) { return allowVNCAuth ? nil : .authNotAllowed("\(name) needs a VNC password, which is not allowed") }
            if RFBSecurity.noneSubSchemes.contains(subScheme) {
                return allowNone ? nil : .authNotAllowed("server skipped authentication inside TLS (\(name)), which this session does not allow")
            }
            return .authNotAllowed("unsupported TLS sub-type \(name)")
        default:
            return .authNotAllowed("server negotiated \(name), which is not allowed")
        }
    }
}

/// RFB security type numbers (RFC 6143 and the VeNCrypt extension).
public enum RFBSecurity {
    public static let none: UInt32 = 1
    public static let vncAuth: UInt32 = 2
    public static let anonTLS: UInt32 = 18
    public static let veNCrypt: UInt32 = 19
    public static let tlsNone: UInt32 = 257, tlsVNC: UInt32 = 258, tlsPlain: UInt32 = 259
    public static let x509None: UInt32 = 260, x509VNC: UInt32 = 261, x509Plain: UInt32 = 262

    static let noneSubSchemes: Set<UInt32> = [none, tlsNone, x509None]
    static let passwordSubSchemes: Set<UInt32> = [vncAuth, tlsVNC, x509VNC]

    public static func name(_ scheme: UInt32, _ sub: UInt32 = 0) -> String {
        func one(_ v: UInt32) -> String {
            switch v {
            case none: return "None"
            case vncAuth: return "VncAuth"
            case anonTLS: return "TLS"
            case veNCrypt: return "VeNCrypt"
            case tlsNone: return "TLSNone"
            case tlsVNC: return "TLSVnc"
            case tlsPlain: return "TLSPlain"
            case x509None: return "X509None"
            case x509VNC: return "X509Vnc"
            case x509Plain: return "X509Plain"
            default: return "type \(v)"
            }
        }
        return sub == 0 ? one(scheme) : "\(one(scheme))/\(one(sub))"
    }
}
