import FleetCore

struct BatchRunner {
    let source: FleetSource
    let options: BatchOptions
    func run() throws -> Int32 { 1 }
}
