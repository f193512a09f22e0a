import ArgumentParser

/// Interactive-monitor flags. (Owned by the monitor work.)
struct UIOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Sort by FIELD (cpu, mem, time, name, …).")
    var sort: String?
}
