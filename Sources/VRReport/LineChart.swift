// A line chart as standalone SVG: named series with markers, an optional band of one standard deviation around
// each, axes with round ticks and a legend.

/// A point of a line series: its position and its spread (one standard deviation, 0 for none).
public struct ChartPoint: Sendable, Equatable {
    /// The horizontal value.
    public var x: Double
    /// The vertical value (a mean across seeds).
    public var y: Double
    /// Half the band's height around `y` (a standard deviation across seeds).
    public var spread: Double

    /// Creates a point.
    /// - Parameters:
    ///   - x: the horizontal value.
    ///   - y: the vertical value.
    ///   - spread: half the band's height.
    public init(x: Double, y: Double, spread: Double = 0) {
        self.x = x
        self.y = y
        self.spread = spread
    }
}

/// A named series of points, drawn in order.
public struct LineSeries: Sendable, Equatable {
    /// The series' name in the legend.
    public var name: String
    /// Its points, in drawing order.
    public var points: [ChartPoint]

    /// Creates a series.
    /// - Parameters:
    ///   - name: its name in the legend.
    ///   - points: its points.
    public init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }
}

/// A line chart of several series, rendered as SVG 1.1.
public struct LineChart: Sendable {
    /// The title above the plot.
    public var title: String
    /// The horizontal axis' title.
    public var xLabel: String
    /// The vertical axis' title.
    public var yLabel: String
    /// The series, in legend order.
    public var series: [LineSeries]
    /// Horizontal tick positions (such as the K values); nil picks round numbers covering the data.
    public var xTicks: [Double]?
    /// Whether to shade each series' band of plus and minus one spread.
    public var showsSpread: Bool

    /// Creates a chart.
    /// - Parameters:
    ///   - title: the title.
    ///   - xLabel: the horizontal axis' title.
    ///   - yLabel: the vertical axis' title.
    ///   - series: the series.
    ///   - xTicks: explicit horizontal ticks, or nil.
    ///   - showsSpread: whether to shade the spread bands.
    public init(
        title: String, xLabel: String, yLabel: String, series: [LineSeries], xTicks: [Double]? = nil,
        showsSpread: Bool = true
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xTicks = xTicks
        self.showsSpread = showsSpread
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let points = series.flatMap(\.points)
        let extents = points.flatMap { showsSpread ? [$0.y - $0.spread, $0.y + $0.spread] : [$0.y] }
        let frame = ChartFrame(
            plotBottom: ChartFrame.height - 56, valueScale: AxisScale(covering: extents, includesZero: false))
        let xValues = points.map(\.x)
        let xScale =
            xTicks.map { AxisScale(ticks: $0) }
            ?? AxisScale(
                covering: xValues, includesZero: false,
                minimumStep: xValues.allSatisfy { $0.rounded() == $0 } ? 1 : 0)
        let x = { (value: Double) in xScale.position(of: value, from: ChartFrame.plotLeft, to: ChartFrame.plotRight) }
        var document = SVGDocument(width: ChartFrame.width, height: ChartFrame.height, title: title)
        frame.drawAxes(into: &document, title: title, xLabel: xLabel, yLabel: yLabel)
        for tick in xScale.ticks {
            document.line(from: (x(tick), frame.plotBottom), to: (x(tick), frame.plotBottom + 5), stroke: "#444444")
            document.text(xScale.label(tick), at: (x(tick), frame.plotBottom + 18), size: 11, anchor: "middle")
        }
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let colour = ChartFrame.colour(index)
            if showsSpread && line.points.contains(where: { $0.spread > 0 }) {
                let upper = line.points.map { (x: x($0.x), y: frame.y($0.y + $0.spread)) }
                let lower = line.points.reversed().map { (x: x($0.x), y: frame.y($0.y - $0.spread)) }
                document.polygon(upper + lower, fill: colour, opacity: 0.18)
            }
            let positions = line.points.map { (x: x($0.x), y: frame.y($0.y)) }
            document.polyline(positions, stroke: colour, width: 2, dash: ChartFrame.dash(index))
            if positions.count <= 12 {
                for position in positions { document.circle(at: position, radius: 3, fill: colour) }
            }
        }
        frame.drawLegend(into: &document, names: series.map(\.name), boxes: false)
        return document.rendered
    }
}
