import FleetCore
import Foundation

let promSeed = """
    {"status":"success","data":{"resultType":"vector","result":[
    {"metric":{"__name__":"libvirt_domain_info_cpu_time_seconds_total","domain":"web-1","instance":"h1:9177","uuid":"u1"},"value":[1700000000.5,"123.25"]},
    {"metric":{"__name__":"libvirt_domain_info_memory_usage_bytes","domain":"web-1","instance":"h1:9177"},"value":[1700000000.5,"1.5e9"]},
    {"metric":{"__name__":"libvirt_up","instance":"h1:9177"},"value":[1700000000.5,"NaN"]},
    {"metric":{"__name__":"libvirt_domain_block_stats_read_bytes_total","domain":"web-1","target_device":"vda","instance":"h1:9177"},"value":[1700000000.5,"+Inf"]}
    ]}}
    """

func sameSeries(_ a: [PromSeries], _ b: [PromSeries]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        x.labels == y.labels && (x.value == y.value || (x.value.isNaN && y.value.isNaN))
    }
}

let promQLTargets: [FuzzTarget] = [
    FuzzTarget("promql", "Prometheus /api/v1/query answers (fast scanner vs JSONDecoder), the fleet built from them, exported again",
               seeds: [utf8(promSeed), utf8("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"x\"}")]) { bytes in
        let data = Data(bytes)
        // The fast scanner must agree with the general decoder whenever both accept the answer.
        if let fast = bytes.withUnsafeBufferPointer({ PromQLVectorScanner.scan($0) }),
           let general = try? PromQLResponse.decodeVector(data, url: "fuzz") {
            precondition(sameSeries(fast, general), "promql: scanner and JSONDecoder disagree")
        }
        guard let series = try? PromQLResponse.parseVector(data, url: "fuzz") else { return }
        let context = PromQLFleetBuilder.Context(generation: 1, time: Date(timeIntervalSince1970: 0), monotonicNs: 1)
        let snapshot = PromQLFleetBuilder.snapshot(from: series, context: context)
        _ = FleetMetrics.render(snapshot)
    },
]
