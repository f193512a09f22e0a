import Testing
import CollectorsCore

@Suite struct HypervisorVersionTests {
    @Test func xenShowsMajorMinorOnlyBecauseLibxlNeverKnowsTheMicro() {
        #expect(HypervisorVersion.display(type: "Xen", version: "4.17.0") == "4.17")
        #expect(HypervisorVersion.display(type: "Xen", version: "4.19.0") == "4.19")
        // A micro libxl did pass on (a future libvirt) is kept.
        #expect(HypervisorVersion.display(type: "Xen", version: "4.17.5") == "4.17.5")
        #expect(HypervisorVersion.display(type: "Xen", version: "4.17") == "4.17")
    }

    @Test func otherHypervisorsKeepTheirWholeVersion() {
        #expect(HypervisorVersion.display(type: "QEMU", version: "7.2.0") == "7.2.0")
        #expect(HypervisorVersion.display(type: "TEST", version: "0.0.2") == "0.0.2")
        #expect(HypervisorVersion.display(type: nil, version: "4.17.0") == "4.17.0")
    }
}
