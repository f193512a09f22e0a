import Testing
import FleetCore

@Suite struct PrometheusTextWriterTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect(PrometheusTextWriter.escapeLabelValue(#"C:\vm "prod""# + "\nx") == #"C:\\vm \"prod\"\nx"#)
        #expect(PrometheusTextWriter.escapeLabelValue("plain-name_01") == "plain-name_01")
        #expect(PrometheusTextWriter.escapeLabelValue("tab\there ü") == "tab\there ü")
    }

    @Test func helpEscapesBackslashAndNewlineButNotQuotes() {
        #expect(PrometheusTextWriter.escapeHelp("a \"b\" \\ c\nd") == "a \"b\" \\\\ c\\nd")
    }

    @Test func valuesUseGoParsableForms() {
        #expect(PrometheusTextWriter.formatValue(42) == "42")
        #expect(PrometheusTextWriter.formatValue(0) == "0")
        #expect(PrometheusTextWriter.formatValue(-3) == "-3")
        #expect(PrometheusTextWriter.formatValue(1.5) == "1.5")
        #expect(PrometheusTextWriter.formatValue(.nan) == "NaN")
        #expect(PrometheusTextWriter.formatValue(.infinity) == "+Inf")
        #expect(PrometheusTextWriter.formatValue(-.infinity) == "-Inf")
        #expect(Double(PrometheusTextWriter.formatValue(1e20)) == 1e20)
    }

    @Test func familyAndSamplesFormLines() {
        var w = PrometheusTextWriter()
        w.family("x_total", help: "Things.\nMore", type: .counter)
        w.sample("x_total", PrometheusTextWriter.labelSet([("host", "h\"1"), ("domain", "d")]), 18446744073709)
        w.sample("x_total", "", 0.25)
        #expect(String(decoding: w.bytes, as: UTF8.self) == """
            # HELP x_total Things.\\nMore
            # TYPE x_total counter
            x_total{host="h\\"1",domain="d"} 18446744073709
            x_total 0.25

            """)
    }

    @Test func emptyLabelSetHasNoBraces() {
        #expect(PrometheusTextWriter.labelSet([]) == "")
    }
}
