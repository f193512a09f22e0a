import Foundation
import Testing
@testable import FleetCore

/// Batch output (CSV, JSON lines) is pure formatting of a DomainRow: tested without a process or a host.
@Suite struct BatchRecordTests {
    @Test func csvQuotingFollowsRFC4180() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field(" padded") == "\" padded\"")
        #expect(CSV.line(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
    }

    @Test func jsonStringsAreEscapedAndUnknownIsNull() throws {
        let line = JSONLine.object(keys: ["a", "b", "c", "d"], values: [.text("q\"\\\u{1}é"), .none, .number(1.5), .int(-3)])
        #expect(line == "{\"a\":\"q\\\"\\\\\\u0001é\",\"b\":null,\"c\":1.5,\"d\":-3}\n")
        let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(o?["a"] as? String == "q\"\\\u{1}é")
    }

    @Test func recordSanitizesNamesAndLeavesUnknownEmpty() {
        let s = DomainSample(key: DomainKey(hostID: "h", uuid: "u"), name: "evil\u{1B}[2Jname", state: .shutoff, monotonicNs: 1)
        let v = DomainRecord.values(DomainRow(sample: s, rates: DomainRates(), hostName: "h"), time: Date(timeIntervalSince1970: 0))
        #expect(v.count == DomainRecord.columns.count)
        #expect(v[0] == .text("1970-01-01T00:00:00.000Z"))
        #expect(v[2] == .text("evil\\e[2Jname"))
        #expect(v[DomainRecord.columns.firstIndex(of: "cpu_pct")!] == DomainRecord.Value.none)
        #expect(DomainRecord.number(12.5) == "12.5" && DomainRecord.number(3) == "3" && DomainRecord.number(0.1234) == "0.123")
    }
}
