import ArgumentParser

/// Interactive-monitor flags. They override $XDG_CONFIG_HOME/fleettui/config.toml.
struct UIOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Sort by FIELD: cpu, mem, time, name, host, state, virt, vcpu, mempct, rd, wr, rx, tx, id, uuid.", valueName: "FIELD"))
    var sort: String?

    @Option(name: .long, help: ArgumentHelp("Colour theme: dark, light, monochrome, high-contrast, or a .theme file.", valueName: "NAME|FILE"))
    var theme: String?

    @Option(name: .long, help: ArgumentHelp("Domain table columns, comma-separated (e.g. host,name,state,cpu,mem,time).", valueName: "LIST"))
    var columns: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Group domains by host, with host totals (toggle with g).")
    var groupByHost: Bool?

    @Flag(name: .long, help: "Do not capture the mouse (leaves the terminal's own selection working).")
    var noMouse = false

    @Flag(name: .long, help: "Draw with ASCII only, even in a UTF-8 locale.")
    var ascii = false

    @Option(name: .long, help: ArgumentHelp("Monitor settings file. Default: $XDG_CONFIG_HOME/fleettui/config.toml", valueName: "FILE"))
    var config: String?
}
