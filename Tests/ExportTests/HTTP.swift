import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
import FleetCore
#endif

/// A blocking HTTP GET for tests (the code under test is the server, not this client).
enum HTTP {
    struct Response { var status: Int; var headers: [String: String]; var body: Data; var text: String { String(decoding: body, as: UTF8.self) } }

    static func get(_ url: String, timeout: Double = 10) throws -> Response {
        var req = URLRequest(url: URL(string: url)!)
        req.timeoutInterval = timeout
        let box = Locked<Result<Response, Error>?>(nil), done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: req) { data, resp, err in
            if let err { box.withLock { $0 = .failure(err) } } else {
                let h = resp as! HTTPURLResponse
                var headers: [String: String] = [:]
                for (k, v) in h.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
                let r = Response(status: h.statusCode, headers: headers, body: data ?? Data())
                box.withLock { $0 = .success(r) }
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.withLock { $0! }.get()
    }
}
