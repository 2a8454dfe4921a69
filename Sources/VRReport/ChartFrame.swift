// What the line and bar charts share: a 640-pixel-wide canvas, the title, the value axis with grid lines, axis
// titles, and a legend below the plot in one or two columns, so that long names are never cut off.

/// One legend entry: a name with a line or a box in its colour.
struct LegendEntry {
    /// The name.
    var name: String
    /// The colour of its mark.
    var colour: String
    /// A box (bars) rather than a line (series).
    var isBox = false
    /// The mark's opacity.
    var opacity = 1.0
}

/// The canvas, plot area, value axis and legend of a chart.
struct ChartFrame {
    /// Canvas width; it reads well on a page and in a README.
    static let width = 640.0
    /// The plot area's top edge; room for the title.
    static let plotTop = 44.0
    /// The plot area's right edge.
    static let plotRight = 616.0
    /// The plot area's height for charts whose horizontal labels are short.
    static let plotHeight = 260.0
    /// Rough width of a character of 11-pixel text.
    static let characterWidth = 6.2
    /// Height of a legend row.
    private static let legendRowHeight = 18.0

    /// The plot area's left edge; room for the value axis labels.
    let plotLeft: Double
    /// The plot area's bottom edge.
    let plotBottom: Double
    /// The value (vertical) axis.
    let valueScale: AxisScale
    /// The legend's entries, in order.
    let legend: [LegendEntry]
    /// Where the horizontal axis' title sits.
    let xLabelBaseline: Double
    /// The legend's columns: two when every name fits half the width.
    let legendColumns: Int
    /// The canvas height: the plot, the horizontal labels and the legend.
    let height: Double

    /// A frame whose plot ends at `plotBottom`, with `labelDepth` pixels below it for the horizontal tick labels.
    init(
        plotBottom: Double = Self.plotTop + Self.plotHeight, labelDepth: Double = 24, plotLeft: Double = 72,
        valueScale: AxisScale, legend: [LegendEntry]
    ) {
        self.plotLeft = plotLeft
        self.plotBottom = plotBottom
        self.valueScale = valueScale
        self.legend = legend
        xLabelBaseline = plotBottom + labelDepth + 16
        let longest = Double(legend.map(\.name.count).max() ?? 0) * Self.characterWidth + 32
        legendColumns = longest <= (Self.width - 32) / 2 ? 2 : 1
        let rows = (legend.count + legendColumns - 1) / legendColumns
        height = (xLabelBaseline + 14 + Double(rows) * Self.legendRowHeight + 8).rounded(.up)
    }

    /// The vertical position of `value`.
    func y(_ value: Double) -> Double {
        valueScale.position(of: value, from: plotBottom, to: Self.plotTop)
    }

    /// Draws the title, the value axis with ticks, grid lines and labels, the axis lines and the axis titles.
    func drawAxes(into svg: inout SVGDocument, title: String, xLabel: String, yLabel: String) {
        svg.text(title, at: (Self.width / 2, 24), size: 15, anchor: "middle", bold: true)
        for tick in valueScale.ticks {
            svg.line(from: (plotLeft, y(tick)), to: (Self.plotRight, y(tick)), stroke: "#e5e5e5")
            svg.line(from: (plotLeft - 5, y(tick)), to: (plotLeft, y(tick)), stroke: "#444444")
            svg.text(valueScale.label(tick), at: (plotLeft - 8, y(tick) + 4), size: 11, anchor: "end")
        }
        svg.line(from: (plotLeft, Self.plotTop), to: (plotLeft, plotBottom), stroke: "#444444")
        svg.line(from: (plotLeft, plotBottom), to: (Self.plotRight, plotBottom), stroke: "#444444")
        svg.text(yLabel, at: (18, (Self.plotTop + plotBottom) / 2), size: 12, anchor: "middle", rotation: -90)
        svg.text(xLabel, at: ((plotLeft + Self.plotRight) / 2, xLabelBaseline), size: 12, anchor: "middle")
    }

    /// Draws the legend below the horizontal axis' title, row by row.
    func drawLegend(into svg: inout SVGDocument) {
        let columnWidth = (Self.width - 32) / Double(legendColumns)
        for (index, entry) in legend.enumerated() {
            let left = 16 + Double(index % legendColumns) * columnWidth
            let rowY = xLabelBaseline + 14 + Double(index / legendColumns) * Self.legendRowHeight + 12
            if entry.isBox {
                svg.rectangle(
                    x: left, y: rowY - 9, width: 14, height: 10, fill: entry.colour, opacity: entry.opacity)
            } else {
                svg.line(
                    from: (left, rowY - 4), to: (left + 18, rowY - 4), stroke: entry.colour, width: 2.5)
            }
            svg.text(entry.name, at: (left + 24, rowY), size: 11)
        }
    }
}

/// The charts' colours: distinct and colour-blind-friendly (Tableau 10 without its grey, then three more), and
/// grey for the initial model.
enum ChartPalette {
    /// The colours in order.
    static let colours = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
        "#bcbd22", "#393b79",
    ]
    /// The colour of the initial model and of marks that stand for no arm.
    static let neutral = "#7f7f7f"

    /// The colour number `index`.
    static func colour(_ index: Int) -> String {
        colours[index % colours.count]
    }
}
