import Testing
import Foundation
import FleetCore
@testable import ConsoleCore

/// The screen rules on frames of real guests (Tests/Bed/screens, captured by Benchmarks/capture/screens-capture):
/// each frame is read as text and classified; the state and deciding line must be what the bed says the guest
/// shows (the .state file, written from bed.json, not from the recogniser).
@Suite struct ScreenStateFixtureTests {
    static var directory: URL { TextFixtures.directory.appendingPathComponent("screens") }

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".state") }.map { String($0.dropLast(6)) }.sorted()
    }

    static func expected(_ name: String) throws -> (state: String, line: String) {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".state"), encoding: .utf8)
        var state = "", line = ""
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if l.hasPrefix("state=") { state = String(l.dropFirst(6)) }
            if l.hasPrefix("line=") { line = String(l.dropFirst(5)) }
        }
        return (state, line)
    }

    static func frame(_ name: String) throws -> Framebuffer {
        let data = try Data(contentsOf: directory.appendingPathComponent(name + ".ppm.gz"))
        return try Framebuffer(ppm: Gzip.inflateIfNeeded([UInt8](data)))
    }

    @Test func everyStateOfTheBedIsCaptured() {
        #expect(Set(Self.names.compactMap { try? Self.expected($0).state })
                    .isSuperset(of: ["panic", "grub", "login", "shell", "blank", "picture", "fsck"]))
    }

    @Test(arguments: ScreenStateFixtureTests.names)
    func realScreensGetTheirState(_ name: String) throws {
        let (state, line) = try Self.expected(name)
        var reader = ScreenReader(table: systemGlyphs)
        let observation = ScreenObservation.of(try Self.frame(name), reader: &reader)
        let got = ScreenClassifier.builtIn.classify(observation)
        #expect(got.name == state, "\(name): \(observation)")
        if !line.isEmpty {
            let decided = try #require(got.line, "\(name): no deciding line")
            #expect(try ScreenPattern(line).matches(decided), "\(name): deciding line '\(decided)'")
        }
        // Text screens are read exactly (nothing unknown), pictures and blank screens are not text at all.
        if let t = observation.text { #expect(!t.lines.joined().contains(ScreenText.unknown), "\(name)") }
        // The sampler's way (a hint carried from look to look instead of a reader) reads the same, first and next.
        var hint = ScreenReadHint()
        let first = ScreenObservation.of(try Self.frame(name), table: systemGlyphs, hint: &hint)
        let next = ScreenObservation.of(try Self.frame(name), table: systemGlyphs, hint: &hint)
        #expect(first == observation && next == observation, "\(name): \(first) / \(next)")
    }

    /// A frame seen before (its checksum) shows what it showed then, without being read again: the sampler's next
    /// look at an unchanged screen. One pixel changed is a new frame, read again.
    @Test func theSameFrameAgainIsNotReadAgain() throws {
        var frame = try Self.frame("scr-shell")
        var hint = ScreenReadHint()
        let first = ScreenObservation.of(frame, table: systemGlyphs, hint: &hint)
        let again = ScreenObservation.of(try Self.frame("scr-shell"), table: systemGlyphs, hint: &hint)
        #expect(again == first && hint.frames == 2 && hint.unchangedFrames == 1)
        let sum = frame.checksum
        frame.pixels[frame.pixels.count / 2] ^= 0x00FF_FFFF
        #expect(frame.checksum != sum)
        _ = ScreenObservation.of(frame, table: systemGlyphs, hint: &hint)
        #expect(hint.frames == 3 && hint.unchangedFrames == 1, "a changed frame must be read")
        // Same pixels, another size: another frame.
        let a = Framebuffer(width: 4, height: 2, pixels: [UInt32](repeating: 7, count: 8))
        let b = Framebuffer(width: 2, height: 4, pixels: [UInt32](repeating: 7, count: 8))
        #expect(a.checksum != b.checksum)
    }
}
