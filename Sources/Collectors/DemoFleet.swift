// LOCAL STUB, never committed: the bed work provides the real DemoFleet.
import FleetCore
public enum DemoFleet {
    public static func hosts() throws -> [HostConfig] {
        [HostConfig(name: "xen-demo", uri: "test:///default", group: "xen")]
    }
}
