import Testing

/// The reader the monitor tests assert with, on lines tmux captured from the monitor on the bed (no bed needed).
@Suite struct MonitorScreenReaderTests {
    /// Sorted by MEM, filtered to `数据`: the wide characters take two columns each but come once in the capture.
    /// Read by characters, each of these rows' MEM was "8M" (CI-like run at stop 20: "MEM column not descending").
    let capture = [
        " HOST     NAME                                     STATE    SCREEN    VIRT  VCPU  %CPU▼   MEM  %MEM  RD/s  WR/s  RX/s  TX/s     TIME",
        " bed1     bed1-数据库-01                           running  -         KVM      2    3.1  768M   0.3   49K   24K   98K   49K   20789d",
        " bed2     bed2-rocket-🚀                           running  -         PVH      2    3.1  2.3G   0.3   49K   24K   98K   49K   20789d",
        " bed3     bed3-wébserver-ü                         running  -         KVM      2    3.1  1.1G   0.3   49K   24K   98K   49K   20789d",
        "Filter: 数据_",
    ]

    @Test func columnsAreReadByTerminalColumnNotByCharacter() {
        let reader = MonitorScreenReader(lines: capture)
        #expect(reader.column("MEM", rightAligned: true, width: 5) == ["768M", "2.3G", "1.1G"])
        #expect(reader.column("STATE", rightAligned: false, width: 8) == ["running", "running", "running"])
        #expect(reader.column("NAME", rightAligned: false, width: 16) == ["bed1-数据库-01", "bed2-rocket-🚀", "bed3-wébserver-ü"])
        #expect(reader.column("%CPU", rightAligned: true, width: 6) == ["3.1", "3.1", "3.1"])
    }

    @Test func aWideCharacterTakesTwoCells() {
        #expect(MonitorScreenReader.cells("a数b").count == 4)
        #expect(MonitorScreenReader.cells("wé").count == 2)
    }
}
