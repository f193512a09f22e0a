import Testing
import FleetCore

@Suite struct ListenAddressTests {
    @Test func acceptsIPv4IPv6AndBarePort() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9177") == ListenAddress(host: "127.0.0.1", port: 9177))
        #expect(try ListenAddress(parsing: "[::1]:19000") == ListenAddress(host: "::1", port: 19000))
        #expect(try ListenAddress(parsing: ":9177") == ListenAddress(host: "0.0.0.0", port: 9177))
        #expect(try ListenAddress(parsing: "localhost:0") == ListenAddress(host: "localhost", port: 0))
    }

    @Test func rejectsWithOneClearLine() {
        for bad in ["9177", "host:", "host:http", "1.2.3.4:70000", "::1:9177", "[::1]9177", "[::1"] {
            #expect(throws: ListenAddress.Invalid.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
        do { _ = try ListenAddress(parsing: "x:y") } catch { #expect(!"\(error)".contains("\n")) }
    }
}
