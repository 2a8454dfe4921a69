// A grouped bar chart as standalone SVG: one group per category, one bar per series, with error bars.

/// One bar: its height and its error (one standard deviation, drawn above and below).
public struct Bar: Sendable, Equatable {
    /// The bar's value.
    public var value: Double
    /// Half the error bar's length; 0 draws none.
    public var error: Double

    /// Creates a bar.
    /// - Parameters:
    ///   - value: its value.
    ///   - error: half its error bar's length.
    public init(value: Double, error: Double = 0) {
        self.value = value
        self.error = error
    }
}

/// A named series with one bar (or none) per category.
public struct BarSeries: Sendable, Equatable {
    /// The series' name in the legend.
    public var name: String
    /// One bar per category, nil where the series has no value.
    public var bars: [Bar?]
    /// Its colour (`#rrggbb`), so that an arm keeps one colour in every chart; nil for the palette's by position.
    public var colour: String?
    /// Its bars' opacity: series told apart by shade rather than colour.
    public var opacity: Double

    /// Creates a series.
    /// - Parameters:
    ///   - name: its name in the legend.
    ///   - bars: one bar per category.
    ///   - colour: its colour, or nil for the palette's by position.
    ///   - opacity: its bars' opacity.
    public init(name: String, bars: [Bar?], colour: String? = nil, opacity: Double = 1) {
        self.name = name
        self.bars = bars
        self.colour = colour
        self.opacity = opacity
    }
}

/// A grouped bar chart, rendered as SVG 1.1.
public struct BarChart: Sendable {
    /// The title above the plot.
    public var title: String
    /// The category axis' title.
    public var xLabel: String
    /// The value axis' title.
    public var yLabel: String
    /// The categories, left to right.
    public var categories: [String]
    /// The series, in legend order and left to right within a group.
    public var series: [BarSeries]
    /// Each category's colour, overriding the series' (arms as categories keep their colours; the series are
    /// then told apart by opacity and shown in grey in the legend); nil to colour by series.
    public var categoryColours: [String]?
    /// The value axis.
    public var valueAxis: ValueAxis

    /// Creates a chart.
    /// - Parameters:
    ///   - title: the title.
    ///   - xLabel: the category axis' title.
    ///   - yLabel: the value axis' title.
    ///   - categories: the categories.
    ///   - series: the series.
    ///   - categoryColours: each category's colour, or nil to colour by series.
    ///   - valueAxis: the value axis; round numbers covering the data and zero by default.
    public init(
        title: String, xLabel: String, yLabel: String, categories: [String], series: [BarSeries],
        categoryColours: [String]? = nil, valueAxis: ValueAxis = .automatic
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.categoryColours = categoryColours
        self.valueAxis = valueAxis
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let bars = series.flatMap { $0.bars.compactMap(\.self) }
        let extents = bars.flatMap { [$0.value - $0.error, $0.value + $0.error] }
        let seriesColours = series.indices.map { series[$0].colour ?? ChartPalette.colour($0) }
        let legend = zip(series, seriesColours).map { line, colour in
            LegendEntry(
                name: line.name, colour: categoryColours == nil ? colour : ChartPalette.neutral, isBox: true,
                opacity: line.opacity)
        }
        let bandWidth = (ChartFrame.plotRight - 72) / Double(max(categories.count, 1))
        let longestLabel = Double(categories.map(\.count).max() ?? 0) * ChartFrame.characterWidth * 0.9
        let rotatesLabels = longestLabel > bandWidth - 4
        // Turned by 50 degrees, a label needs about 0.77 of its length below the axis and 0.64 to the left.
        let labelDepth = rotatesLabels ? longestLabel * 0.77 + 16 : 24
        let frame = ChartFrame(
            labelDepth: labelDepth, valueScale: valueAxis.scale(covering: extents, includesZero: true), legend: legend)
        var document = SVGDocument(width: ChartFrame.width, height: frame.height, title: title)
        frame.drawAxes(into: &document, title: title, xLabel: xLabel, yLabel: yLabel)
        let barWidth = bandWidth * 0.8 / Double(max(series.count, 1))
        for (categoryIndex, category) in categories.enumerated() {
            let bandLeft = frame.plotLeft + Double(categoryIndex) * bandWidth
            let labelPosition = (x: bandLeft + bandWidth / 2, y: frame.plotBottom + 16)
            if rotatesLabels {
                document.text(category, at: labelPosition, size: 11, anchor: "end", rotation: -50)
            } else {
                document.text(category, at: labelPosition, size: 11, anchor: "middle")
            }
            for (seriesIndex, barSeries) in series.enumerated() {
                guard barSeries.bars.indices.contains(categoryIndex), let bar = barSeries.bars[categoryIndex] else {
                    continue
                }
                let left = bandLeft + bandWidth * 0.1 + Double(seriesIndex) * barWidth
                let top = frame.y(max(bar.value, 0))
                let bottom = frame.y(min(bar.value, 0))
                let colour = categoryColours.map { $0[categoryIndex % $0.count] } ?? seriesColours[seriesIndex]
                document.rectangle(
                    x: left + 1, y: top, width: max(barWidth - 2, 1), height: bottom - top, fill: colour,
                    opacity: barSeries.opacity)
                if bar.error > 0 { drawErrorBar(bar, centre: left + barWidth / 2, frame: frame, into: &document) }
            }
        }
        frame.drawLegend(into: &document)
        return document.rendered
    }

    /// A vertical line from value - error to value + error with short caps.
    private func drawErrorBar(_ bar: Bar, centre: Double, frame: ChartFrame, into document: inout SVGDocument) {
        let high = frame.y(bar.value + bar.error)
        let low = frame.y(bar.value - bar.error)
        document.line(from: (centre, high), to: (centre, low), stroke: "#222222", width: 1.2)
        document.line(from: (centre - 4, high), to: (centre + 4, high), stroke: "#222222", width: 1.2)
        document.line(from: (centre - 4, low), to: (centre + 4, low), stroke: "#222222", width: 1.2)
    }
}
