import ArgumentParser

/// Which hosts to watch: shared by every command that talks to libvirt.
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .long], help: ArgumentHelp("libvirt URI of a host (repeatable): qemu:///system, xen+ssh://host/system, test:///path.xml …", valueName: "URI"))
    var connect: [String] = []

    @Option(name: .long, help: ArgumentHelp("Fleet file (TOML) listing hosts. Default: $XDG_CONFIG_HOME/fleettui/fleet.toml", valueName: "FILE"))
    var fleet: String?

    @Flag(name: .long, help: "Open the built-in demo fleet: a Xen host and a KVM host, simulated, whose guests' consoles fleettui serves itself.")
    var demo = false

    @Option(name: .long, help: ArgumentHelp("Read stats from elsewhere instead of libvirt: prometheus=URL", valueName: "KIND=URL"))
    var source: String?
}
