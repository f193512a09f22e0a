import Foundation

/// One series of an instant-vector result: its labels (with `__name__` when it has a name) and value.
public struct PromSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double
    public init(labels: [String: String], value: Double) { self.labels = labels; self.value = value }
}

/// Why a PromQL round trip gave no fleet. Every case prints as one line.
public enum PromQLError: Error, CustomStringConvertible, Equatable {
    case badURL(String)
    case unreachable(url: String, reason: String)
    case httpStatus(url: String, status: Int, detail: String)
    case badJSON(url: String, reason: String)
    case queryFailed(url: String, errorType: String, message: String)
    case unexpectedResult(url: String, resultType: String)
    case noSeries(url: String)
    case onlyOldRates(url: String)

    public var description: String {
        switch self {
        case .badURL(let u):
            return "prometheus source: \(Sanitize.oneLine(u)) is not an http(s) URL (use --source prometheus=http://HOST:9090)"
        case .unreachable(let u, let r):
            return "prometheus at \(u) is unreachable: \(Sanitize.oneLine(r))"
        case .httpStatus(let u, let s, let d):
            return "prometheus at \(u) answered HTTP \(s)" + (d.isEmpty ? "" : ": \(Sanitize.oneLine(String(d.prefix(200))))")
                + (s == 404 ? " (is this the Prometheus base URL? /api/v1/query was not found)" : "")
        case .badJSON(let u, let r):
            return "prometheus at \(u) did not answer Prometheus API JSON: \(Sanitize.oneLine(r))"
        case .queryFailed(let u, let t, let m):
            return "prometheus at \(u) rejected the query (\(Sanitize.oneLine(t))): \(Sanitize.oneLine(m))"
        case .unexpectedResult(let u, let t):
            return "prometheus at \(u) returned a \(Sanitize.oneLine(t)) result, expected a vector"
        case .onlyOldRates(let u):
            return "prometheus at \(u) has rates but no current libvirt_* series: are the exporters it scrapes down?"
        case .noSeries(let u):
            return "prometheus at \(u) has no libvirt_* or fleettui_* series: is a libvirt exporter (fleettui export, prometheus-libvirt-exporter) being scraped?"
        }
    }
}

/// Decoding of `/api/v1/query` answers.
public enum PromQLResponse {
    private struct Envelope: Decodable {
        var status: String
        var data: DataPart?
        var errorType: String?
        var error: String?
    }
    private struct DataPart: Decodable {
        var resultType: String
        var result: [Item]?
    }
    private struct Item: Decodable {
        var metric: [String: String]
        var value: Sample?
    }
    /// `[ <unix time>, "<value>" ]`
    private struct Sample: Decodable {
        var value: Double
        init(from decoder: Decoder) throws {
            var c = try decoder.unkeyedContainer()
            _ = try c.decode(Double.self)
            let text = try c.decode(String.self)
            switch text {
            case "NaN": value = .nan
            case "+Inf", "Inf": value = .infinity
            case "-Inf": value = -.infinity
            default:
                guard let v = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "sample value \(text) is not a number")
                }
                value = v
            }
        }
    }

    /// Series of a vector result. `url` only names the server in errors.
    public static func parseVector(_ data: Data, url: String) throws -> [PromSeries] {
        if let fast = data.withUnsafeBytes({ PromQLVectorScanner.scan($0.bindMemory(to: UInt8.self)) }) { return fast }
        return try decodeVector(data, url: url)
    }

    /// The general path (JSONDecoder): any valid JSON, and the wording of errors.
    package static func decodeVector(_ data: Data, url: String) throws -> [PromSeries] {
        let env: Envelope
        do {
            env = try JSONDecoder().decode(Envelope.self, from: data)
        } catch {
            throw PromQLError.badJSON(url: url, reason: describe(error))
        }
        guard env.status == "success" else {
            throw PromQLError.queryFailed(url: url, errorType: env.errorType ?? env.status, message: env.error ?? "no error message")
        }
        guard let d = env.data else { throw PromQLError.badJSON(url: url, reason: "no data in a success answer") }
        guard d.resultType == "vector" else { throw PromQLError.unexpectedResult(url: url, resultType: d.resultType) }
        return (d.result ?? []).compactMap { item in item.value.map { PromSeries(labels: item.metric, value: $0.value) } }
    }

    /// The error message of a non-200 answer, when it is Prometheus JSON; else its first line.
    public static func errorDetail(_ data: Data) -> String {
        if let env = try? JSONDecoder().decode(Envelope.self, from: data), let e = env.error { return e }
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return text.split(separator: "\n").first.map(String.init) ?? ""
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        case DecodingError.keyNotFound(let k, _): return "missing field \(k.stringValue)"
        case DecodingError.typeMismatch(_, let c): return "unexpected type at \(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        case DecodingError.valueNotFound(_, let c): return "missing value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return String(describing: error)
        }
    }
}
