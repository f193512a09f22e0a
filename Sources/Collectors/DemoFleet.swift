import Foundation
import FleetCore

/// The built-in demo fleet: a Xen host (PV, PVH, HVM and PV-on-HVM guests, PV framebuffers on VNC) and a
/// KVM host, each a `<node>` file for libvirt's test driver shipped as a resource of this target
/// (Sources/Collectors/DemoFleet/*.xml). Opening them needs no daemon: `test:///ABSOLUTE/PATH.xml`.
public enum DemoFleet {
    /// The hosts of the demo fleet, in display order.
    public static let members: [(file: String, name: String, group: String)] = [
        ("xen-host.xml", "xen-demo", "xen"),
        ("kvm-host.xml", "kvm-demo", "kvm"),
    ]

    public struct NotFound: Error, CustomStringConvertible {
        public var searched: [String]
        public var description: String {
            "demo fleet files not found (looked in: \(searched.joined(separator: ", "))); "
                + "install with `make install` (PREFIX/share/fleettui/demo) or keep FleetTUI_Collectors.resources next to the binary"
        }
    }

    /// HostConfigs with `test:///…` URIs for the demo hosts (groups "xen" and "kvm").
    public static func hosts() throws -> [HostConfig] {
        let dir = try directory()
        return members.map { m in
            HostConfig(id: m.name, name: m.name, uri: "test://" + dir.appendingPathComponent(m.file).path, group: m.group)
        }
    }

    /// The directory holding the demo fleet's XML files.
    ///
    /// SwiftPM's `Bundle.module` would end the process if the resource bundle is missing, so the bundle is
    /// looked up by hand: next to the executable (how SwiftPM lays out .build), `../share/fleettui/demo`
    /// from it (how `make install` and the Debian package lay it out), then the source tree this file was compiled from (a binary run on the machine that built it).
    public static func directory() throws -> URL {
        let fm = FileManager.default
        var candidates: [URL] = []
        let bundleName = "FleetTUI_Collectors.resources"
        candidates.append(Bundle.main.bundleURL.appendingPathComponent(bundleName).appendingPathComponent("DemoFleet"))
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(exe.appendingPathComponent(bundleName).appendingPathComponent("DemoFleet"))
            // `make install` / the .deb: PREFIX/bin/fleettui and PREFIX/share/fleettui/demo/*.xml.
            candidates.append(exe.appendingPathComponent("../share/fleettui/demo").standardizedFileURL)
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("DemoFleet"))
        for dir in candidates where members.allSatisfy({ fm.isReadableFile(atPath: dir.appendingPathComponent($0.file).path) }) {
            return dir.standardizedFileURL
        }
        throw NotFound(searched: candidates.map(\.path))
    }
}
