import Foundation
import Glibc
import Testing
import FleetCore

/// Issue 13 through the real binary, on libvirt's test driver (no bed): batch mode means what it says.
@Suite struct BatchHabitsTests {
    let bin = fleettuiBinary()

    func tmp(_ ext: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-habits-\(UUID().uuidString).\(ext)").path
    }

    @Test func unknownSortColumnsAndColoursExit64ListingTheValidOnes() throws {
        for (args, valid) in [(["-o", "bogus"], "cpu, mem"), (["--columns", "name,nope"], "mempct, rd"),
                              (["--colors", "purple"], "auto, always, never, 24bit"), (["--end-time", "soon"], "+SECONDS"),
                              (["--theme", "nosuch"], "high-contrast")] {
            let r = try runProgram(bin, args + ["-b", "-n", "1", "-c", "test:///default"])
            #expect(r.status == 64, "\(args): \(r.err)")
            #expect(r.err.contains(valid) && r.out.isEmpty, "\(args): \(r.err)")
        }
        // The issue's own example, which used to exit 0.
        #expect(try runProgram(bin, ["-o", "bogus", "--columns", "nope", "-b", "-n", "1"]).status == 64)
    }

    @Test func sortAndColumnsApplyToTextCSVAndJSON() throws {
        let uri = try Fixtures.writeNode(Fixtures.xenNode(domains: 2))
        let common = ["-n", "1", "-d", "0.3", "-c", uri, "-o", "name", "--columns", "name,state,mem"]
        let text = try runProgram(bin, ["-b"] + common)
        #expect(text.status == 0, "\(text.err)")
        let lines = text.out.split(separator: "\n").map(String.init)
        #expect(lines[1].split(separator: " ") == ["NAME", "STATE", "MEM"], "\(text.out)")
        let names = lines.dropFirst(2).map { $0.split(separator: " ")[0] }
        #expect(names == names.sorted() && names.count == 5, "\(text.out)")

        let csv = try runProgram(bin, ["--csv", "-"] + common)
        let rows = csv.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "time,domain,state,mem_kib,mem_max_kib,mem_rss_kib,mem_used_kib,stale")
        #expect(rows.dropFirst().map { String($0.split(separator: ",")[1]) } == names.map(String.init))

        let json = try runProgram(bin, ["--json"] + common)
        let objects = try json.out.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects.map { $0["domain"] as? String ?? "" } == names.map(String.init))
        #expect(Set(objects[0].keys) == ["time", "domain", "state", "mem_kib", "mem_max_kib", "mem_rss_kib", "mem_used_kib", "stale"])
    }

    @Test func csvFileAndJSONTogetherBothWrite() throws {
        let file = tmp("csv")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try runProgram(bin, ["--csv", file, "--json", "-n", "2", "-d", "0.2", "-c", "test:///default"])
        #expect(r.status == 0, "\(r.err)")
        let json = r.out.split(separator: "\n")
        let csv = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(json.count == 2 && csv.count == 3)
        // The same iterations in both: the time labels agree.
        let jsonTimes = try json.map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["time"] as! String }
        #expect(csv.dropFirst().map { String($0.split(separator: ",")[0]) } == jsonTimes)

        // -b with --csv FILE: the table on stdout and the CSV in the file (virt-top's --csv beside its output).
        let both = try runProgram(bin, ["-b", "--csv", file, "-n", "1", "-d", "0.2", "-c", "test:///default"])
        #expect(both.out.hasPrefix("fleettui ") && both.out.contains(" test\n"))
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("time,host,domain"))
        // Both on stdout is refused, not silently dropped.
        let clash = try runProgram(bin, ["--csv", "-", "--json", "-n", "1", "-c", "test:///default"])
        #expect(clash.status == 64 && clash.err.contains("both write to stdout"))
    }

    /// `--csv /dev/null` (Benchmarks/monitor-cost.py does it) once replaced the machine's /dev/null with a regular
    /// file: the CSV file was created by an atomic rename over the path. On a character device of our own (the
    /// same device as /dev/null, 1:3, in a temporary directory) and a symlink: both stay what they are.
    @Test func csvIntoADeviceOrASymlinkWritesThroughItNeverReplacesIt() throws {
        let dir = tmp("d")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = dir + "/null"
        #expect(mknod(node, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0, "mknod needs root, as the bed's tests do")
        let r = try runProgram(bin, ["--csv", node, "-n", "1", "-d", "0.2", "-c", "test:///default"])
        #expect(r.status == 0, "\(r.err)")
        #expect(try FileManager.default.attributesOfItem(atPath: node)[.type] as? FileAttributeType == .typeCharacterSpecial)

        try "old\n".write(toFile: dir + "/real.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.csv", withDestinationPath: "real.csv")
        #expect(try runProgram(bin, ["--csv", dir + "/link.csv", "-n", "1", "-d", "0.2", "-c", "test:///default"]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.csv") == "real.csv")
        #expect(try String(contentsOfFile: dir + "/real.csv", encoding: .utf8).hasPrefix("time,host,domain"))
    }

    @Test func everyIterationHasItsOwnTimeLabel() throws {
        let r = try runProgram(bin, ["--json", "-n", "5", "-d", "0.1", "-c", "test:///default"])
        #expect(r.status == 0)
        let times = try r.out.split(separator: "\n").map { (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["time"] as! String }
        #expect(times.count == 5 && Set(times).count == 5 && times == times.sorted(), "\(times)")
    }

    @Test func streamScriptAndEndTime() throws {
        let stream = try runProgram(bin, ["--stream", "-n", "1", "-d", "0.2", "-c", "test:///default"])
        #expect(stream.status == 0 && stream.out.hasPrefix("fleettui ") && stream.out.contains(" test\n"))
        let file = tmp("csv")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let start = Date()
        let script = try runProgram(bin, ["--script", "--csv", file, "-d", "0.3", "--end-time", "+2", "-c", "test:///default"])
        let took = Date().timeIntervalSince(start)
        #expect(script.status == 0 && script.out.isEmpty, "\(script.err)")
        #expect(took < 10, "--end-time +2 ended after \(took) s")
        let rows = try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count >= 3 && rows.count <= 8, "\(rows.count) rows in 2 s at 0.3 s")
        #expect(try runProgram(bin, ["--script", "-n", "1", "-c", "test:///default"]).status == 64, "--script alone prints nothing")
    }

    @Test func batchTableColoursFollowTheRule() throws {
        let base = ["-b", "-n", "1", "-d", "0.2", "-c", "test:///default"]
        // stdout is a pipe here: auto means none; an explicit depth forces them, NO_COLOR or not.
        #expect(!(try runProgram(bin, base).out.contains("\u{1B}")))
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        let forced = try runProgram(bin, base + ["--colors", "256"], environment: env)
        #expect(forced.out.contains("\u{1B}[") && forced.out.contains("38;5;"))
        #expect(!(try runProgram(bin, base + ["--colors", "never"]).out.contains("\u{1B}")))
        #expect(!(try runProgram(bin, ["--csv", "-", "--colors", "always", "-n", "1", "-c", "test:///default"]).out.contains("\u{1B}")),
                "CSV is data: never coloured")
    }
}
