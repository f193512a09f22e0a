import FleetCore

struct MonitorApp {
    let source: FleetSource
    let options: UIOptions
    let delay: Double
    func run() throws {}
}
