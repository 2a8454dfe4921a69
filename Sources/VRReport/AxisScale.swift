// A chart axis over round numbers: a range that covers the data and ticks at steps of 1, 2 or 5 times a power
// of ten.

import Foundation

/// An axis range with evenly spaced round ticks.
struct AxisScale {
    /// The lowest value on the axis.
    let lower: Double
    /// The highest value on the axis.
    let upper: Double
    /// The tick values, ascending.
    let ticks: [Double]
    /// Decimals that tell the ticks apart.
    let decimals: Int

    /// About five ticks; 4-7 fit a 300-pixel axis without crowding.
    private static let targetTickCount = 5.0

    /// A scale that covers the finite `values` (and zero when `includesZero`), with ticks at least `minimumStep`
    /// apart (1 for counts such as steps), and never below `floor` (0 for quantities that cannot be negative).
    init(covering values: [Double], includesZero: Bool, minimumStep: Double = 0, floor: Double? = nil) {
        let finite =
            values.filter(\.isFinite).map { value in floor.map { max(value, $0) } ?? value }
            + (includesZero ? [0] : [])
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low < 1e-12 {
            // A flat series still needs a visible range around it.
            let pad = max(abs(high) * 0.1, includesZero && high == 0 ? 1 : 0.5)
            high += pad
            low = includesZero && low >= 0 ? low : low - pad
        }
        let rawStep = (high - low) / Self.targetTickCount
        let magnitude = pow(10, (log10(rawStep)).rounded(.down))
        let step = max(magnitude * ([1.0, 2, 5].first { rawStep / magnitude <= $0 + 1e-9 } ?? 10), minimumStep)
        var firstIndex = Int((low / step + 1e-9).rounded(.down))
        if let floor, Double(firstIndex) * step < floor - 1e-12 { firstIndex = Int((floor / step - 1e-9).rounded(.up)) }
        let lastIndex = max(Int((high / step - 1e-9).rounded(.up)), firstIndex + 1)
        lower = Double(firstIndex) * step
        upper = Double(lastIndex) * step
        ticks = (firstIndex...lastIndex).map { Double($0) * step }
        decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
    }

    /// A fixed scale from `range.lowerBound` to `range.upperBound` with ticks every `step`, whatever the data: the
    /// 0-1 axis of accuracies and scores.
    init(fixed range: ClosedRange<Double>, step: Double) {
        lower = range.lowerBound
        upper = range.upperBound
        let count = Int(((range.upperBound - range.lowerBound) / step).rounded())
        ticks = (0...count).map { range.lowerBound + Double($0) * step }
        decimals = max(0, -Int((log10(step) + 1e-9).rounded(.down)))
    }

    /// An explicit scale with the given ticks, padded by a twentieth of their range on each side.
    init(ticks: [Double]) {
        let low = ticks.min() ?? 0
        let high = ticks.max() ?? 1
        let pad = high > low ? (high - low) / 20 : 0.5
        lower = low - pad
        upper = high + pad
        self.ticks = ticks.sorted()
        decimals = ticks.allSatisfy { $0.rounded() == $0 } ? 0 : 2
    }

    /// `value`'s position between `start` (at `lower`) and `end` (at `upper`).
    func position(of value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// A tick's label.
    func label(_ tick: Double) -> String {
        ReportFormat.fixed(tick, decimals: decimals)
    }
}
