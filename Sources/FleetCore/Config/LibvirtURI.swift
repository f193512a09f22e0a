/// Checks a libvirt connection URI before libvirt sees it.
///
/// libvirt takes any URI with a host part and an unknown scheme as a remote TLS connection, so a typo
/// such as `qmeu+ssh://host/system` fails with "Cannot read CA certificate …" — true, but no help.
/// Naming the unknown driver or transport is. URIs without a scheme (libvirt's `uri_aliases`) and
/// every scheme libvirt knows pass unchanged.
public enum LibvirtURI {
    /// Hypervisor and daemon driver names libvirt accepts as the scheme's first part.
    public static let drivers: Set<String> = [
        "qemu", "xen", "libxl", "test", "lxc", "vbox", "vmwareplayer", "vmwarews", "vmwarefusion", "esx", "gsx",
        "vpx", "hyperv", "bhyve", "openvz", "vz", "parallels", "ch", "remote",
        "network", "nodedev", "nwfilter", "secret", "storage", "interface",
    ]
    /// Transports after the '+' (`qemu+ssh://`).
    public static let transports: Set<String> = ["ssh", "libssh", "libssh2", "tcp", "tls", "unix", "ext"]

    /// The URI with libvirt's `no_tty=1` added when it goes over the `ssh` transport (`qemu+ssh://`,
    /// `xen+ssh://`): libvirt then runs ssh with BatchMode, so ssh fails with its own one-line reason
    /// instead of asking for a password or a host key on the terminal, where it would write into the
    /// curses screen, race the other hosts' prompts and steal keys. Keys or an agent are needed, as for
    /// virt-manager. A URI that sets `no_tty` itself is left as it is.
    public static func nonInteractive(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme.hasSuffix("+ssh") else { return uri }
        let beforeFragment = uri.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let main = String(beforeFragment[0])
        let fragment = beforeFragment.count > 1 ? "#" + beforeFragment[1] : ""
        if let q = main.firstIndex(of: "?") {
            let params = main[main.index(after: q)...].split(separator: "&")
            if params.contains(where: { $0 == "no_tty" || $0.hasPrefix("no_tty=") }) { return uri }
            return main + (main.hasSuffix("?") || main.hasSuffix("&") ? "" : "&") + "no_tty=1" + fragment
        }
        return main + "?no_tty=1" + fragment
    }

    /// Does the URI reach a daemon on this machine through its UNIX socket (`qemu:///system`,
    /// `qemu+unix:///system?socket=…`, `test:///default`)? Then a round trip costs the daemon ~0.1 ms and the
    /// wall clock little more, so many small calls may beat one big one. False for a host part, a network
    /// transport (ssh, tcp, tls, libssh, ext) and for what is not URI-shaped (an alias: unknown).
    public static func isLocal(_ uri: String) -> Bool {
        guard let sep = uri.range(of: "://") else { return false }
        let scheme = uri[..<sep.lowerBound].lowercased()
        let parts = scheme.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 && parts[1] != "unix" { return false }
        let rest = uri[sep.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return authority.isEmpty
    }

    /// Nil when the URI may be handed to libvirt; otherwise one line saying what is wrong.
    public static func problem(_ uri: String) -> String? {
        if uri.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "the URI contains control characters"
        }
        guard let colon = uri.firstIndex(of: ":") else { return nil }   // an alias, or libvirt's default
        let scheme = uri[..<colon].lowercased()
        guard uri[colon...].hasPrefix("://") else { return nil }        // not URI-shaped: libvirt decides
        guard !scheme.isEmpty else { return "no driver before '://' (e.g. qemu:///system)" }
        let parts = scheme.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if !drivers.contains(parts[0]) {
            return "unknown libvirt driver '\(parts[0])' (e.g. qemu, xen, test, lxc; transports: +ssh, +tcp, +tls, +unix)"
        }
        if parts.count == 2 && !transports.contains(parts[1]) {
            return "unknown libvirt transport '+\(parts[1])' (ssh, libssh, libssh2, tcp, tls, unix, ext)"
        }
        return nil
    }
}
