import ArgumentParser
import Collectors
import Export
import FleetCore
import ScreenSampler
#if canImport(Glibc)
import Glibc
#endif

/// `fleettui export`: collect on an interval, serve the latest snapshot as Prometheus metrics.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Serve the fleet's stats as Prometheus metrics (/metrics).",
        discussion: "Scrapes read the newest snapshot; they never trigger libvirt calls. Metric names follow the libvirt exporters (libvirt_up, libvirt_domain_info_*, libvirt_domain_block_stats_*, libvirt_domain_interface_stats_*, libvirt_domain_memory_stats_*) with host and domain labels, plus fleettui_host_*. --metrics serves some families only, and libvirt is asked only for their stats.")

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: ArgumentHelp("Address to serve on: ADDR:PORT, [IPv6]:PORT, or :PORT for every address.", valueName: "ADDR:PORT"))
    var listen: String = "127.0.0.1:9177"

    @Option(name: [.customShort("d"), .long], help: "Seconds between collections.")
    var delay: Double = 5

    // One list, as batch's --columns: the families served are named (an allow-list), so a family added later
    // never starts costing QEMU monitor queries on an exporter that chose its own.
    @Option(name: .long, help: ArgumentHelp("Metric families to serve (default: all): \(MetricFamily.valueList). Only their stats groups are read from libvirt; state, vCPUs and host metrics are always served.", valueName: "LIST"))
    var metrics: String?

    @Flag(name: .long, help: "Do not look at the guests' screens (no fleettui_console_* metrics).")
    var noScreens = false

    @Option(name: .long, help: ArgumentHelp("Settings file with [screens] rules. Default: $XDG_CONFIG_HOME/fleettui/config.toml", valueName: "FILE"))
    var config: String?

    /// --metrics, parsed (every family when not given). Checked by `validate()`, before any connection is opened:
    /// a bad value exits 64 with the usage.
    func metricFamilies() throws -> Set<MetricFamily> {
        guard let list = metrics else { return Set(MetricFamily.allCases) }
        let (families, unknown) = MetricFamily.parseList(list)
        guard unknown.isEmpty, !families.isEmpty else {
            let what = unknown.isEmpty ? "no metric family in '\(Sanitize.oneLine(list, limit: 40))'"
                                       : "unknown metric famil\(unknown.count == 1 ? "y" : "ies") \(unknown.map { "'" + Sanitize.oneLine($0, limit: 40) + "'" }.joined(separator: ", "))"
            throw ValidationError("\(what) for --metrics (known: \(MetricFamily.valueList))")
        }
        return families
    }

    func validate() throws { _ = try metricFamilies() }

    func run() throws {
        // SIGINT/SIGTERM are blocked in every thread (the mask is inherited, so this comes before any
        // thread exists) and taken by one waiting thread: a clean stop, whatever thread libvirt or NIO runs.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let address: ListenAddress
        do { address = try ListenAddress(parsing: listen) } catch { throw failure("\(error)") }
        guard delay > 0 else { throw failure("-d must be more than 0 seconds") }
        let families = try metricFamilies()

        // Bind first: a taken port fails before any libvirt connection is opened.
        let holder = SourceHolder()
        let body = MetricsBody(families: families, snapshot: { holder.latest() })
        let server: MetricsServer
        do {
            server = try MetricsServer(host: address.host, port: address.port, body: body)
        } catch {
            throw failure("\(error)")
        }
        var source: FleetSource
        // The collectors read only the groups of the families served, from their first reading on (issue 15).
        let demand = FleetDemand(everyDomain: MetricFamily.statGroups(families))
        do { source = try FleetSourceFactory.make(connection, delay: delay, demand: demand) } catch {
            server.stop()
            throw error
        }
        // What each console shows (fleettui_console_state): a sampler beside the libvirt collectors.
        if !noScreens, connection.source == nil {
            let (settings, warnings) = ConfigStore.load(path: config ?? ConfigStore.defaultPath())
            for w in warnings { stderrLine("fleettui export: warning: \(w)") }
            source = ScreenedFleet(base: source, sampler: ScreenSampler(options: ScreenSampler.Options(settings: settings.screens)))
        }
        holder.set(source)
        source.start(onUpdate: { body.refresh() })
        let served = families.count == MetricFamily.allCases.count ? "" : "; metrics: " + MetricFamily.allCases.filter(families.contains).map(\.rawValue).joined(separator: ",")
        stderrLine("fleettui export: serving \(server.url) (collecting every \(delay) s\(served))")

        // SIGINT/SIGTERM: close the listener, stop collecting, exit 0.
        let signals = stopSignals
        let waiter = Thread {
            var set = signals
            var sig: Int32 = 0
            sigwait(&set, &sig)
            server.stop()
        }
        waiter.start()
        try? server.wait()
        source.stop()
        server.stop()
    }

    /// The exporter's own failures (address, port, delay) exit with 2.
    private func failure(_ line: String) -> CommandFailure { CommandFailure("export: " + line, exitCode: 2) }
}

import Foundation
import Synchronization

/// The source, once made (the server is bound before it exists and serves an empty fleet until then).
private final class SourceHolder: Sendable {
    private let source = Mutex<FleetSource?>(nil)
    func set(_ s: FleetSource) { source.withLock { $0 = s } }
    func latest() -> FleetSnapshot { source.withLock { $0 }?.latest() ?? .empty }
}

private func stderrLine(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}
