// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "FleetTUI",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fleettui", targets: ["FleetTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // HTTP server for `fleettui export` (only NIOCore, NIOPosix, NIOHTTP1 are used).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // ---- C libraries: one system-library module and one shim per library --------------------
        .systemLibrary(name: "CLibvirt", path: "Sources/CLibvirt", pkgConfig: "libvirt",
                       providers: [.apt(["libvirt-dev"])]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CVNCClient", path: "Sources/CVNCClient", pkgConfig: "libvncclient",
                       providers: [.apt(["libvncserver-dev"])]),
        .systemLibrary(name: "CVNCServer", path: "Sources/CVNCServer", pkgConfig: "libvncserver",
                       providers: [.apt(["libvncserver-dev"])]),
        // What Swift cannot import: curses macros and the terminal guard; libvirt's cast event callback;
        // libvncclient's variadic log hooks. Each shim sees its own library only.
        .target(name: "CCursesShims", dependencies: ["CNcursesw"], path: "Sources/CCursesShims",
                linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo")]),
        .target(name: "CLibvirtShims", dependencies: ["CLibvirt"], path: "Sources/CLibvirtShims",
                linkerSettings: [.linkedLibrary("virt")]),
        .target(name: "CVNCShims", dependencies: ["CVNCClient"], path: "Sources/CVNCShims",
                linkerSettings: [.linkedLibrary("vncclient")]),
        // libvncserver (the demo's displays): rfbInitServer is a macro, its log hooks are variadic.
        .target(name: "CVNCServerShims", dependencies: ["CVNCServer"], path: "Sources/CVNCServerShims",
                linkerSettings: [.linkedLibrary("vncserver")]),

        // ---- Pure logic: no C imports, unit-tested without a terminal, hypervisor or socket --
        // The model, rates, sorting, layout, cell buffers, themes, TOML, Prometheus text and PromQL.
        .target(name: "FleetCore", path: "Sources/FleetCore"),
        // What libvirt hands back, parsed: bulk-stats records, domain XML, guest kinds.
        .target(name: "CollectorsCore", dependencies: ["FleetCore"], path: "Sources/CollectorsCore"),
        // The console's pure side: frames (PPM, PNG), decompression (inflate for gzip/zlib, LZMA and .xz, all in
        // Swift: Compression/), fonts, pixels -> text and pictures, key and paste mapping, VNC routes, security
        // policy and the password XML.
        .target(name: "ConsoleCore", dependencies: ["FleetCore"], path: "Sources/ConsoleCore"),
        // The demo fleet's pure side: simulated guests (load, IO, memory, lifecycle) read as samples, and their
        // consoles (boot logs, GRUB, a panic, a shell) drawn into pixels with the system's console fonts.
        .target(name: "DemoCore", dependencies: ["FleetCore", "CollectorsCore", "ConsoleCore"], path: "Sources/DemoCore"),

        // ---- libvirt stats -------------------------------------------------------------------
        .target(name: "Collectors", dependencies: ["FleetCore", "CollectorsCore", "CLibvirt", "CLibvirtShims"],
                path: "Sources/Collectors", resources: [.copy("DemoFleet")]),

        // ---- VNC client (libvncclient) -------------------------------------------------------
        .target(name: "ConsoleBridge", dependencies: ["FleetCore", "ConsoleCore", "CVNCClient", "CVNCShims"],
                path: "Sources/ConsoleBridge"),

        // ---- the demo fleet: simulated stats (a FleetSource) and its guests' VNC displays (libvncserver) --
        .target(name: "Demo", dependencies: ["DemoCore", "FleetCore", "CollectorsCore", "Collectors", "ConsoleCore",
                                             "CVNCServer", "CVNCServerShims"], path: "Sources/Demo"),
        // ---- the screen sampler: every domain's screen read as text, beside the collectors -------
        .target(name: "ScreenSampler", dependencies: ["FleetCore", "Collectors", "ConsoleCore", "ConsoleBridge", "CLibvirtShims"],
                path: "Sources/ScreenSampler"),

        // ---- Prometheus: /metrics server (SwiftNIO) and the PromQL-fed FleetSource -------------
        .target(name: "Export", dependencies: [
            "FleetCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Sources/Export"),

        // ---- the application: commands, batch output, the curses UI (a library, tested in process) --
        .target(name: "FleetApp", dependencies: [
            "FleetCore", "CollectorsCore", "Collectors", "ConsoleCore", "ConsoleBridge", "ScreenSampler", "Export", "Demo",
            "CNcursesw", "CCursesShims",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/FleetApp"),
        // ---- the executable: main.swift only ---------------------------------------------------
        .executableTarget(name: "FleetTUI", dependencies: ["FleetApp"], path: "Sources/FleetTUI"),

        // ---- benchmarks (run by Benchmarks/*.sh, release builds) -----------------------------
        .executableTarget(name: "RecognitionBench", dependencies: ["ConsoleCore"], path: "Benchmarks/RecognitionBench"),
        .executableTarget(name: "ScreensBench", dependencies: ["ScreenSampler", "Collectors", "ConsoleCore", "FleetCore", "CLibvirtShims"],
                          path: "Benchmarks/ScreensBench"),
        .executableTarget(name: "DecompressBench", dependencies: ["ConsoleCore"], path: "Benchmarks/DecompressBench"),
        .executableTarget(name: "CollectorsBench", dependencies: ["Collectors", "FleetCore", "CLibvirtShims"], path: "Benchmarks/CollectorsBench"),
        .executableTarget(name: "CallCostBench", dependencies: ["Collectors", "CollectorsCore", "CLibvirt"], path: "Benchmarks/CallCostBench"),

        // ---- fuzzing (scripts/fuzz: built with -sanitize=fuzzer,address in .build-fuzz) -----------
        // One binary, one target per parser of outside input (Fuzz/FleetFuzz/Targets*.swift). The ordinary builds
        // link it without libFuzzer (CLibFuzzer declares the driver weak): it then replays files through a target.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(name: "FleetFuzz", dependencies: ["FleetCore", "CollectorsCore", "ConsoleCore", "CLibFuzzer"],
                          path: "Fuzz/FleetFuzz"),

        // ---- tests ---------------------------------------------------------------------------
        .target(name: "TestSupport", dependencies: ["FleetCore"], path: "Tests/TestSupport"),
        // Pure unit tests (no bed, no root, no sockets): `swift test --filter 'CoreTests\\.'`, or scripts/test --unit.
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore", "TestSupport"], path: "Tests/FleetCoreTests"),
        .testTarget(name: "CollectorsCoreTests", dependencies: ["CollectorsCore", "FleetCore"], path: "Tests/CollectorsCoreTests"),
        .testTarget(name: "ConsoleCoreTests", dependencies: ["ConsoleCore", "FleetCore"], path: "Tests/ConsoleCoreTests",
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DemoCoreTests", dependencies: ["DemoCore", "CollectorsCore", "ConsoleCore", "FleetCore"],
                    path: "Tests/DemoCoreTests"),
        // Integration: the real test bed (libvirtd, QEMU guests, VNC servers), real processes and sockets.
        .testTarget(name: "CollectorsTests", dependencies: ["Collectors", "CollectorsCore", "FleetCore", "TestSupport"], path: "Tests/CollectorsTests"),
        .testTarget(name: "ExportTests", dependencies: ["Export", "FleetCore", "TestSupport"], path: "Tests/ExportTests"),
        .testTarget(name: "ConsoleBridgeTests", dependencies: ["ConsoleBridge", "ConsoleCore", "FleetCore", "TestSupport"],
                    path: "Tests/ConsoleBridgeTests",
                    // The hostile VNC server the tests run (python3, found through #filePath): not a resource.
                    exclude: ["Hostile/fake_rfb_server.py"]),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "DemoCore", "ConsoleBridge", "ConsoleCore", "FleetCore", "TestSupport"],
                    path: "Tests/DemoTests"),
        .testTarget(name: "EndToEndTests", dependencies: ["FleetCore", "TestSupport"], path: "Tests/EndToEndTests"),
        .testTarget(name: "ScreenSamplerTests", dependencies: ["ScreenSampler", "ConsoleBridge", "Collectors", "FleetCore", "TestSupport"],
                    path: "Tests/ScreenSamplerTests"),
        // The application's loops in process: an in-memory terminal, a scripted fleet source, real VNC servers.
        .testTarget(name: "FleetAppTests", dependencies: ["FleetApp", "FleetCore", "ConsoleCore", "TestSupport"],
                    path: "Tests/FleetAppTests"),
    ]
)
