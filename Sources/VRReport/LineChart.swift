// A line chart as standalone SVG: named series with markers, an optional band of one standard deviation around
// each, or a moving average over the faint raw points; axes with round ticks or a fixed range, and a legend.

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
    /// Its colour (`#rrggbb`), so that an arm keeps one colour in every chart; nil for the palette's by position.
    public var colour: String?

    /// Creates a series.
    /// - Parameters:
    ///   - name: its name in the legend.
    ///   - points: its points.
    ///   - colour: its colour, or nil for the palette's by position.
    public init(name: String, points: [ChartPoint], colour: String? = nil) {
        self.name = name
        self.points = points
        self.colour = colour
    }
}

/// How a chart's value axis is chosen.
public enum ValueAxis: Sendable, Equatable {
    /// Round numbers covering the data.
    case automatic
    /// Round numbers covering the data, never below the bound (quantities that cannot be negative).
    case atLeast(Double)
    /// A fixed range with ticks every `step`, whatever the data (scores and accuracies: 0 to 1).
    case fixed(ClosedRange<Double>, step: Double)

    /// The axis of scores and accuracies.
    public static let unitInterval = ValueAxis.fixed(0...1, step: 0.2)

    /// The scale for `values`.
    func scale(covering values: [Double], includesZero: Bool) -> AxisScale {
        switch self {
        case .automatic: AxisScale(covering: values, includesZero: includesZero)
        case .atLeast(let floor): AxisScale(covering: values, includesZero: includesZero, floor: floor)
        case .fixed(let range, let step): AxisScale(fixed: range, step: step)
        }
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
    /// The value axis.
    public var valueAxis: ValueAxis
    /// Points averaged into each point of the drawn curve (centred), for noisy per-step curves.
    ///
    /// Above 1, the raw points are drawn faint behind the curve and no band is shaded.
    public var smoothingWindow: Int

    /// Creates a chart.
    /// - Parameters:
    ///   - title: the title.
    ///   - xLabel: the horizontal axis' title.
    ///   - yLabel: the vertical axis' title.
    ///   - series: the series.
    ///   - xTicks: explicit horizontal ticks, or nil.
    ///   - showsSpread: whether to shade the spread bands.
    ///   - valueAxis: the value axis; round numbers covering the data by default.
    ///   - smoothingWindow: points per moving average; 1 draws the points as they are.
    public init(
        title: String, xLabel: String, yLabel: String, series: [LineSeries], xTicks: [Double]? = nil,
        showsSpread: Bool = true, valueAxis: ValueAxis = .automatic, smoothingWindow: Int = 1
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.xTicks = xTicks
        self.showsSpread = showsSpread
        self.valueAxis = valueAxis
        self.smoothingWindow = smoothingWindow
    }

    /// Whether the chart draws moving averages over faint raw points.
    private var smooths: Bool { smoothingWindow > 1 }

    /// The points drawn bold for series number `index`: its moving average when the chart smooths, else its points.
    /// - Parameter index: a series' position.
    /// - Returns: the drawn points.
    public func smoothedPoints(of index: Int) -> [ChartPoint] {
        smooths ? smoothed(series[index].points) : series[index].points
    }

    /// The centred moving average of `points` over `smoothingWindow` of them (fewer at the ends).
    private func smoothed(_ points: [ChartPoint]) -> [ChartPoint] {
        let half = smoothingWindow / 2
        return points.indices.map { index in
            let window = points[max(index - half, 0)...min(index + half, points.count - 1)]
            return ChartPoint(x: points[index].x, y: window.reduce(0) { $0 + $1.y } / Double(window.count))
        }
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let points = series.flatMap(\.points)
        let showsBands = showsSpread && !smooths
        let extents = points.flatMap { showsBands ? [$0.y - $0.spread, $0.y + $0.spread] : [$0.y] }
        let colours = series.indices.map { series[$0].colour ?? ChartPalette.colour($0) }
        let frame = ChartFrame(
            valueScale: valueAxis.scale(covering: extents, includesZero: false),
            legend: zip(series, colours).map { LegendEntry(name: $0.name, colour: $1) })
        let xValues = points.map(\.x)
        let xScale =
            xTicks.map { AxisScale(ticks: $0) }
            ?? AxisScale(
                covering: xValues, includesZero: false,
                minimumStep: xValues.allSatisfy { $0.rounded() == $0 } ? 1 : 0)
        let x = { (value: Double) in xScale.position(of: value, from: frame.plotLeft, to: ChartFrame.plotRight) }
        var document = SVGDocument(width: ChartFrame.width, height: frame.height, title: title)
        frame.drawAxes(into: &document, title: title, xLabel: xLabel, yLabel: yLabel)
        for tick in xScale.ticks {
            document.line(from: (x(tick), frame.plotBottom), to: (x(tick), frame.plotBottom + 5), stroke: "#444444")
            document.text(xScale.label(tick), at: (x(tick), frame.plotBottom + 18), size: 11, anchor: "middle")
        }
        // Faint raw points first, so that every smoothed curve lies on top of them.
        if smooths {
            for (line, colour) in zip(series, colours) where !line.points.isEmpty {
                let positions = line.points.map { (x: x($0.x), y: frame.y($0.y)) }
                document.polyline(positions, stroke: colour, width: 1, dash: nil, opacity: 0.3)
            }
        }
        for (line, colour) in zip(series, colours) where !line.points.isEmpty {
            if showsBands && line.points.contains(where: { $0.spread > 0 }) {
                let upper = line.points.map { (x: x($0.x), y: frame.y($0.y + $0.spread)) }
                let lower = line.points.reversed().map { (x: x($0.x), y: frame.y($0.y - $0.spread)) }
                document.polygon(upper + lower, fill: colour, opacity: 0.18)
            }
            let drawn = smooths ? smoothed(line.points) : line.points
            let positions = drawn.map { (x: x($0.x), y: frame.y($0.y)) }
            document.polyline(positions, stroke: colour, width: smooths ? 2.5 : 2, dash: nil)
            if positions.count <= 12 {
                for position in positions { document.circle(at: position, radius: 3, fill: colour) }
            }
        }
        frame.drawLegend(into: &document)
        return document.rendered
    }
}
