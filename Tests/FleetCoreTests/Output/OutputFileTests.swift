import Foundation
import Glibc
import Testing
@testable import FleetCore

/// `--csv FILE` and the FLEETTUI_*_LOG files write INTO what the user named: a FIFO stays a FIFO, a symlink a
/// symlink (FileManager.createFile renamed a new regular file over them, and over /dev/null: issue 13's --csv).
@Suite struct OutputFileTests {
    func dir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("fleettui-outputfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func aFileIsEmptiedInPlaceOrAppendedTo() throws {
        let d = try dir(); defer { try? FileManager.default.removeItem(atPath: d) }
        let f = d + "/out.csv"
        try "old content\n".write(toFile: f, atomically: false, encoding: .utf8)
        let inode = try FileManager.default.attributesOfItem(atPath: f)[.systemFileNumber] as? Int
        let h = try #require(OutputFile.open(f))
        h.write(Data("new\n".utf8)); try h.close()
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.attributesOfItem(atPath: f)[.systemFileNumber] as? Int == inode)
        let a = try #require(OutputFile.open(f, append: true))
        a.write(Data("more\n".utf8)); try a.close()
        #expect(try String(contentsOfFile: f, encoding: .utf8) == "new\nmore\n")
    }

    @Test func anAbsentFileIsCreatedWithThePermissionsAsked() throws {
        let d = try dir(); defer { try? FileManager.default.removeItem(atPath: d) }
        let h = try #require(OutputFile.open(d + "/vnc.log", append: true, permissions: 0o600))
        h.write(Data("x".utf8)); try h.close()
        #expect(try FileManager.default.attributesOfItem(atPath: d + "/vnc.log")[.posixPermissions] as? Int == 0o600)
        #expect(OutputFile.open(d + "/no/such/dir/x") == nil)
    }

    @Test func aSymlinkStaysASymlinkAndItsTargetIsWritten() throws {
        let d = try dir(); defer { try? FileManager.default.removeItem(atPath: d) }
        try "old\n".write(toFile: d + "/target", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: d + "/link", withDestinationPath: "target")
        let h = try #require(OutputFile.open(d + "/link"))
        h.write(Data("via link\n".utf8)); try h.close()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: d + "/link") == "target")
        #expect(try String(contentsOfFile: d + "/target", encoding: .utf8) == "via link\n")
    }

    @Test func aFIFOStaysAFIFOAndItsReaderGetsTheLines() throws {
        let d = try dir(); defer { try? FileManager.default.removeItem(atPath: d) }
        let fifo = d + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let got = Locked("")
        let reader = Thread {
            if let r = FileHandle(forReadingAtPath: fifo) { got.withLock { $0 = String(decoding: r.readDataToEndOfFile(), as: UTF8.self) } }
        }
        reader.start()
        let h = try #require(OutputFile.open(fifo))   // blocks until the reader opens, like a shell's > would
        h.write(Data("through the pipe\n".utf8)); try h.close()
        for _ in 0..<100 where got.withLock({ $0.isEmpty }) { usleep(20_000) }
        #expect(got.withLock { $0 } == "through the pipe\n")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
    }
}
