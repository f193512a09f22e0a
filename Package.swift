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
        // ---- C libraries, one thin module each ---------------------------------------------
        .systemLibrary(name: "CLibvirt", path: "Sources/CLibvirt", pkgConfig: "libvirt",
                       providers: [.apt(["libvirt-dev"])]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CVNCClient", path: "Sources/CVNCClient", pkgConfig: "libvncclient",
                       providers: [.apt(["libvncserver-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // What Swift cannot import: curses macros, libvncclient's variadic log hooks.
        .target(name: "CShims", dependencies: ["CLibvirt", "CNcursesw", "CVNCClient"], path: "Sources/CShims",
                linkerSettings: [.linkedLibrary("ncursesw"), .linkedLibrary("tinfo"),
                                 .linkedLibrary("vncclient"), .linkedLibrary("virt")]),

        // ---- Pure logic: no C imports, unit-tested without a terminal, hypervisor or socket --
        .target(name: "FleetCore", path: "Sources/FleetCore"),

        // ---- libvirt stats -------------------------------------------------------------------
        .target(name: "Collectors", dependencies: ["FleetCore", "CLibvirt", "CShims"], path: "Sources/Collectors",
                resources: [.copy("DemoFleet")]),

        // ---- VNC client and framebuffer -> text ----------------------------------------------
        .target(name: "ConsoleBridge", dependencies: ["FleetCore", "CVNCClient", "CShims", "CZlib"], path: "Sources/ConsoleBridge"),

        // ---- Prometheus: /metrics server (SwiftNIO) and the PromQL-fed FleetSource -------------
        .target(name: "Export", dependencies: [
            "FleetCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], path: "Sources/Export"),

        // ---- the executable: command line, batch output, the curses UI -----------------------
        .executableTarget(name: "FleetTUI", dependencies: [
            "FleetCore", "Collectors", "ConsoleBridge", "Export", "CNcursesw", "CShims",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/FleetTUI"),

        // ---- benchmarks (run by Benchmarks/*.sh, release builds) -----------------------------
        .executableTarget(name: "RecognitionBench", dependencies: ["ConsoleBridge"], path: "Benchmarks/RecognitionBench"),
        .executableTarget(name: "CollectorsBench", dependencies: ["Collectors", "FleetCore", "CShims"], path: "Benchmarks/CollectorsBench"),

        // ---- tests ---------------------------------------------------------------------------
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], path: "Tests/EndToEndTests"),
        .testTarget(name: "FleetCoreTests", dependencies: ["FleetCore"], path: "Tests/FleetCoreTests"),
        .testTarget(name: "CollectorsTests", dependencies: ["Collectors", "FleetCore", "TestSupport"], path: "Tests/CollectorsTests"),
        .testTarget(name: "ExportTests", dependencies: ["Export", "FleetCore", "TestSupport"], path: "Tests/ExportTests"),
        .testTarget(name: "ConsoleBridgeTests", dependencies: ["ConsoleBridge", "FleetCore", "TestSupport"], path: "Tests/ConsoleBridgeTests",
                    resources: [.copy("Fixtures")]),
    ]
)
