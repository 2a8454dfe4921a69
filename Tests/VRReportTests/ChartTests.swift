import Foundation
import Testing
import VRReport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Collects what an XML parser saw: element names, the root's attributes and the text.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var rootAttributes: [String: String] = [:]
    var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elements.isEmpty { rootAttributes = attributes }
        elements.append(elementName)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    /// Parses `svg`; nil when it is not well-formed XML.
    static func parse(_ svg: String) -> SVGCollector? {
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        return parser.parse() ? collector : nil
    }
}

/// The SVG charts: well-formed standalone SVG with their series names as text.
@Suite("charts")
struct ChartTests {
    @Test("every chart of the report parses as SVG and names its series; per-arm curves come in panels")
    func reportCharts() throws {
        let directory = try ReportFixture.writeRunDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = ExperimentReport(run: try ExperimentRun.read(from: directory))
        // Variational (Acc) is in the main, K and ablation comparisons; RFT only in the main one.
        var expectedNames = [
            "avg-pass-at-k.svg": ["Avg@4", "pass@4", "pi0 (initial)", "GRPO (0/1 & std)", "Variational K=2"],
            "k-curve.svg": ["Avg@4", "pass@4", "K"],
            "weight-by-difficulty.svg": ["Variational (Acc)", "RFT", "GRPO (0/1 & std)", "Level 3"],
        ]
        for panel in ["main", "k", "ablations"] {
            let arms = panel == "main" ? ["Variational (Acc)", "RFT"] : ["Variational (Acc)"]
            expectedNames["training-loss-\(panel).svg"] = arms + ["Model step"]
            expectedNames["training-accuracy-\(panel).svg"] = arms
            expectedNames["diagnostics-ess-\(panel).svg"] = arms + ["Model step", "ESS"]
            expectedNames["diagnostics-trace-length-\(panel).svg"] = ["Variational (Acc)", "Model step", "Tokens"]
        }
        #expect(Set(report.files.keys) == Set(expectedNames.keys).union(["README.md"]))
        for (fileName, names) in expectedNames {
            let svg = try #require(report.files[fileName])
            let parsed = try #require(SVGCollector.parse(svg), "\(fileName) is not well-formed XML")
            #expect(parsed.elements.first == "svg")
            #expect(parsed.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
            #expect(
                parsed.rootAttributes["width"] == "640" && Double(parsed.rootAttributes["height"] ?? "") ?? 0 >= 300)
            for name in names { #expect(parsed.text.contains(name), "\(fileName) lacks \(name)") }
            #expect(report.files["README.md"]?.contains("](\(fileName))") == true)
        }
        #expect(report.files["avg-pass-at-k.svg"]?.contains("GRPO (0/1 &amp; std)") == true)
    }

    @Test("a line chart shades the spread and escapes its text")
    func lineChart() throws {
        let chart = LineChart(
            title: "Loss <by> step", xLabel: "step", yLabel: "loss",
            series: [
                LineSeries(
                    name: "a & b", points: [ChartPoint(x: 1, y: 2, spread: 0.5), ChartPoint(x: 2, y: 1, spread: 0.25)]),
                LineSeries(name: "flat", points: [ChartPoint(x: 1, y: 1), ChartPoint(x: 2, y: 1)]),
            ])
        let parsed = try #require(SVGCollector.parse(chart.svg))
        #expect(parsed.text.contains("Loss <by> step") && parsed.text.contains("a & b"))
        #expect(parsed.elements.filter { $0 == "polygon" }.count == 1)
        #expect(parsed.elements.filter { $0 == "polyline" }.count == 2)
        let noBands = LineChart(title: "t", xLabel: "x", yLabel: "y", series: chart.series, showsSpread: false)
        #expect(try #require(SVGCollector.parse(noBands.svg)).elements.contains("polygon") == false)
    }

    @Test("a bar chart draws one bar per value and an error bar per nonzero error")
    func barChart() throws {
        let chart = BarChart(
            title: "Scores", xLabel: "arm", yLabel: "score", categories: ["one", "two"],
            series: [
                BarSeries(name: "first", bars: [Bar(value: 0.5, error: 0.1), nil]),
                BarSeries(name: "second", bars: [Bar(value: 0.25), Bar(value: 0.75, error: 0.05)]),
            ])
        let parsed = try #require(SVGCollector.parse(chart.svg))
        // A background rectangle, 3 bars and 2 legend boxes.
        #expect(parsed.elements.filter { $0 == "rect" }.count == 6)
        #expect(["first", "second", "one", "two"].allSatisfy(parsed.text.contains))
        // Each error bar is 3 lines (stem and caps); the rest are the axes, the ticks and the grid.
        let plain = BarChart(
            title: chart.title, xLabel: chart.xLabel, yLabel: chart.yLabel, categories: chart.categories,
            series: chart.series.map { BarSeries(name: $0.name, bars: $0.bars.map { $0.map { Bar(value: $0.value) } }) }
        )
        let plainLines = try #require(SVGCollector.parse(plain.svg)).elements.filter { $0 == "line" }.count
        #expect(parsed.elements.filter { $0 == "line" }.count == plainLines + 6)
    }

    @Test("sample standard deviation uses n - 1 and is 0 for one seed")
    func seedSummary() throws {
        let three = try #require(SeedSummary([0.1, 0.2, 0.6]))
        #expect(abs(three.mean - 0.3) < 1e-12)
        #expect(abs(three.standardDeviation - 0.07.squareRoot()) < 1e-12)
        #expect(three.seedCount == 3)
        #expect(SeedSummary([0.4])?.standardDeviation == 0)
        #expect(SeedSummary([]) == nil)
    }
}
