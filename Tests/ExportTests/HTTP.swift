import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A blocking HTTP GET for tests (the code under test is the server, not this client).
enum HTTP {
    struct Response { var status: Int; var headers: [String: String]; var body: Data; var text: String { String(decoding: body, as: UTF8.self) } }

    static func get(_ url: String, timeout: Double = 10) throws -> Response {
        var req = URLRequest(url: URL(string: url)!)
        req.timeoutInterval = timeout
        final class Box: @unchecked Sendable { var r: Result<Response, Error>? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: req) { data, resp, err in
            if let err { box.r = .failure(err) } else {
                let h = resp as! HTTPURLResponse
                var headers: [String: String] = [:]
                for (k, v) in h.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
                box.r = .success(Response(status: h.statusCode, headers: headers, body: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.r!.get()
    }
}
