import Foundation
import Testing
import VRReport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The elements of an SVG document in order, with their attributes and text.
final class SVGElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    var elements: [Element] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributes))
        isInsideText = elementName == "text"
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if isInsideText { elements[elements.count - 1].text += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        isInsideText = false
    }

    /// Whether the parser is between a `text` element's tags.
    private var isInsideText = false

    /// Parses `svg`; nil when it is not well-formed XML.
    static func parse(_ svg: String) -> [Element]? {
        let collector = SVGElements()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        return parser.parse() ? collector.elements : nil
    }
}

/// The report's charts as people read them: inside their canvas, on a 0-1 axis for scores, at most five lines a
/// panel, an arm in one colour everywhere, and rendered to PNG by a real SVG renderer.
@Suite("chart readability")
struct ChartReadabilityTests {
    /// The report of the fixture run, its charts by file name.
    func charts() throws -> [String: String] {
        let directory = try ReportFixture.writeRunDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = ExperimentReport(run: try ExperimentRun.read(from: directory))
        return report.files.filter { $0.key.hasSuffix(".svg") }
    }

    /// The number in an attribute.
    func number(_ element: SVGElements.Element, _ attribute: String) -> Double {
        Double(element.attributes[attribute] ?? "") ?? .nan
    }

    @Test("every text lies inside the canvas: no legend or label is cut off")
    func textInsideCanvas() throws {
        for (fileName, svg) in try charts() {
            let elements = try #require(SVGElements.parse(svg))
            let root = try #require(elements.first)
            let (width, height) = (number(root, "width"), number(root, "height"))
            for text in elements where text.name == "text" && text.attributes["transform"] == nil {
                // A generous estimate of the rendered width: 0.62 em per character.
                let extent = Double(text.text.count) * number(text, "font-size") * 0.62
                let x = number(text, "x")
                let (left, right) =
                    switch text.attributes["text-anchor"] {
                    case "middle": (x - extent / 2, x + extent / 2)
                    case "end": (x - extent, x)
                    default: (x, x + extent)
                    }
                #expect(left >= 0 && right <= width, "\(fileName): \"\(text.text)\" spans \(left)-\(right) of \(width)")
                #expect(number(text, "y") <= height, "\(fileName): \"\(text.text)\" is below the canvas")
            }
        }
    }

    @Test("scores, accuracies and weight shares are plotted on an axis from 0 to 1")
    func unitAxes() throws {
        let charts = try charts()
        let unitCharts = charts.keys.filter {
            $0.hasPrefix("training-accuracy")
                || ["avg-pass-at-k.svg", "k-curve.svg", "weight-by-difficulty.svg"]
                    .contains($0)
        }
        #expect(unitCharts.count >= 6)
        for fileName in unitCharts {
            let svg = try #require(charts[fileName])
            let elements = try #require(SVGElements.parse(svg))
            // Value-axis labels are the right-anchored texts left of the plot.
            let ticks = elements.filter { $0.name == "text" && $0.attributes["text-anchor"] == "end" }
                .compactMap { Double($0.text) }
            #expect(ticks.min() == 0 && ticks.max() == 1, "\(fileName): value axis \(ticks)")
        }
    }

    @Test("a per-arm line chart has at most five bold lines, and an arm has one colour in every chart")
    func panelsAndColours() throws {
        var colours: [String: Set<String>] = [:]
        for (fileName, svg) in try charts() {
            let elements = try #require(SVGElements.parse(svg))
            let boldLines = elements.filter { $0.name == "polyline" && $0.attributes["stroke-opacity"] == nil }
            #expect(boldLines.count <= 5, "\(fileName) has \(boldLines.count) lines")
            // A legend entry is its mark (line or box) followed by its name, in one of the legend's two columns.
            for (mark, text) in zip(elements, elements.dropFirst()) where text.name == "text" {
                guard mark.name == "line" || mark.name == "rect", ["40.0", "344.0"].contains(text.attributes["x"])
                else { continue }
                guard let colour = mark.attributes["stroke"] ?? mark.attributes["fill"], colour != "#7f7f7f" else {
                    continue
                }
                if mark.name == "line" && mark.attributes["stroke-width"] != "2.5" { continue }
                colours[text.text, default: []].insert(colour)
            }
        }
        #expect(colours["Variational (Acc)"]?.count == 1 && colours["RFT"]?.count == 1, "\(colours)")
        for (label, used) in colours { #expect(used.count == 1, "\(label) is drawn in \(used.sorted())") }
    }

    @Test("noisy per-step curves are smoothed, with the raw points faint behind")
    func smoothing() throws {
        let points = (1...40).map { ChartPoint(x: Double($0), y: $0 % 2 == 0 ? 0.9 : 0.1) }
        let chart = LineChart(
            title: "t", xLabel: "x", yLabel: "y", series: [LineSeries(name: "a", points: points)],
            valueAxis: .unitInterval, smoothingWindow: 9)
        let elements = try #require(SVGElements.parse(chart.svg))
        let lines = elements.filter { $0.name == "polyline" }
        #expect(lines.count == 2)
        #expect(lines.first?.attributes["stroke-opacity"] == "0.30" && lines.last?.attributes["stroke-opacity"] == nil)
        // The moving average of an alternating series is flat in the middle: 4 or 5 of 9 points are 0.9.
        let middle = chart.smoothedPoints(of: 0)[10..<30].map(\.y)
        #expect(middle.allSatisfy { abs($0 - 0.5) < 0.045 }, "\(middle)")
        #expect(elements.contains { $0.name == "polygon" } == false)
    }

    /// Renders the fixture report's charts to PNG; `VR_CHART_PNG_DIRECTORY` keeps them there, to be looked at.
    @Test("rsvg-convert renders every chart to a PNG of the chart's size")
    func rendersToPNG() throws {
        let converter = "/usr/bin/rsvg-convert"
        try #require(
            FileManager.default.isExecutableFile(atPath: converter),
            "rsvg-convert is missing: make deps installs it (Debian librsvg2-bin)")
        let kept = ProcessInfo.processInfo.environment["VR_CHART_PNG_DIRECTORY"].map { URL(fileURLWithPath: $0) }
        let directory = kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("vr-charts-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if kept == nil { try? FileManager.default.removeItem(at: directory) } }
        for (fileName, svg) in try charts() {
            let input = directory.appendingPathComponent(fileName)
            let output = input.deletingPathExtension().appendingPathExtension("png")
            try Data(svg.utf8).write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: converter)
            process.arguments = ["-o", output.path, input.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(fileName): \(message)")
            let png = try Data(contentsOf: output)
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(fileName)")
            // The IHDR chunk holds the width and height, big-endian, at bytes 16-23.
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            let root = try #require(SVGElements.parse(svg)?.first)
            #expect(width == 640 && Double(height) == number(root, "height"), "\(fileName): \(width)x\(height)")
        }
    }
}
