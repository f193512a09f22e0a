/// The hypervisor version a host reports (virConnectGetVersion), as FleetTUI shows it.
public enum HypervisorVersion {
    /// `version` is libvirt's "major.minor.micro". Xen's libxl driver passes on Xen's major and minor only and
    /// always 0 as micro (a Xen 4.17.5 host says 4.17.0; the real micro is in Xen's "extra" version string, which
    /// libvirt drops): for Xen the ".0" is dropped rather than shown as if it were known.
    public static func display(type: String?, version: String) -> String {
        guard type == "Xen", version.hasSuffix(".0"), version.filter({ $0 == "." }).count == 2 else { return version }
        return String(version.dropLast(2))
    }
}
