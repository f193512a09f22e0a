import ArgumentParser

/// virt-top's batch flags. (Owned by the collectors work.)
struct BatchOptions: ParsableArguments {
    @Flag(name: [.customShort("b"), .long], help: "Batch mode: no curses, print stats and exit after -n iterations.")
    var batchMode = false
    @Option(name: [.customShort("d"), .long], help: "Delay between refreshes, seconds.")
    var delay: Double = 3
    var enabled: Bool { batchMode }
}
