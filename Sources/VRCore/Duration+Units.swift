// Durations as the seconds of rates and progress reports, and as the whole milliseconds of settings and the wire.

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// The duration in whole milliseconds, rounded toward zero, saturating at the bounds of `Int64`.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = product.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return sumOverflow ? (seconds < 0 ? .min : .max) : sum
    }

    /// The duration in whole milliseconds, rounded up (a timeout never ends early), saturating at the bounds
    /// of `Int64`.
    public var roundedUpMilliseconds: Int64 {
        let whole = wholeMilliseconds
        let remainder = self - .milliseconds(whole)
        return remainder > .zero && whole < .max ? whole + 1 : whole
    }
}
