// What the line and bar charts share: a 640x400 canvas, the title, the value axis with grid lines, axis titles,
// a legend to the right of the plot and a palette of distinct colours.

/// The canvas, plot area and value axis of a chart.
struct ChartFrame {
    /// Canvas width; 640x400 reads well on a page and in a README.
    static let width = 640.0
    /// Canvas height.
    static let height = 400.0
    /// Colour-blind-friendly, distinct colours (Tableau 10), reused with a dash pattern past ten series.
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#7f7f7f",
    ]

    /// The plot area's left edge; room for the value axis labels.
    static let plotLeft = 72.0
    /// The plot area's right edge; the legend sits to its right.
    static let plotRight = 452.0
    /// The plot area's top edge; room for the title.
    static let plotTop = 44.0
    /// The plot area's bottom edge.
    let plotBottom: Double
    /// The value (vertical) axis.
    let valueScale: AxisScale

    /// The colour of series number `index`.
    static func colour(_ index: Int) -> String {
        palette[index % palette.count]
    }

    /// The dash pattern of series number `index`: solid for the first ten, dashed after.
    static func dash(_ index: Int) -> String? {
        index < palette.count ? nil : "6 3"
    }

    /// The vertical position of `value`.
    func y(_ value: Double) -> Double {
        valueScale.position(of: value, from: plotBottom, to: Self.plotTop)
    }

    /// Draws the title, the value axis with ticks, grid lines and labels, the axis lines and the axis titles.
    func drawAxes(into svg: inout SVGDocument, title: String, xLabel: String, yLabel: String) {
        svg.text(title, at: (Self.width / 2, 24), size: 15, anchor: "middle", bold: true)
        for tick in valueScale.ticks {
            svg.line(from: (Self.plotLeft, y(tick)), to: (Self.plotRight, y(tick)), stroke: "#e5e5e5")
            svg.line(from: (Self.plotLeft - 5, y(tick)), to: (Self.plotLeft, y(tick)), stroke: "#444444")
            svg.text(valueScale.label(tick), at: (Self.plotLeft - 8, y(tick) + 4), size: 11, anchor: "end")
        }
        svg.line(from: (Self.plotLeft, Self.plotTop), to: (Self.plotLeft, plotBottom), stroke: "#444444")
        svg.line(from: (Self.plotLeft, plotBottom), to: (Self.plotRight, plotBottom), stroke: "#444444")
        svg.text(yLabel, at: (18, (Self.plotTop + plotBottom) / 2), size: 12, anchor: "middle", rotation: -90)
        svg.text(xLabel, at: ((Self.plotLeft + Self.plotRight) / 2, Self.height - 10), size: 12, anchor: "middle")
    }

    /// Draws the legend: one row per series name, with a line or a box in its colour.
    func drawLegend(into svg: inout SVGDocument, names: [String], boxes: Bool) {
        let left = Self.plotRight + 16
        for (index, name) in names.enumerated() {
            let rowY = Self.plotTop + 8 + Double(index) * 18
            if boxes {
                svg.rectangle(x: left, y: rowY - 9, width: 14, height: 10, fill: Self.colour(index))
            } else {
                svg.line(
                    from: (left, rowY - 4), to: (left + 18, rowY - 4), stroke: Self.colour(index), width: 2.5,
                    dash: Self.dash(index))
            }
            svg.text(name, at: (left + 24, rowY), size: 11)
        }
    }
}
