// Fixed number formats of the report, so that the same run always gives the same text: 3 decimals for scores,
// 1 for seconds.

import Foundation
import VRCore

/// Formats numbers for tables and charts.
enum ReportFormat {
    /// `value` with `decimals` decimals, without a minus sign on a value that rounds to zero.
    static func fixed(_ value: Double, decimals: Int) -> String {
        let text = decimal(value, decimals)
        let roundsToZero = text.allSatisfy { $0 == "-" || $0 == "0" || $0 == "." }
        return roundsToZero && text.hasPrefix("-") ? String(text.dropFirst()) : text
    }

    /// A score (Avg@k, pass@k, share, accuracy) with 3 decimals.
    static func score(_ value: Double) -> String {
        fixed(value, decimals: 3)
    }

    /// A score's mean and standard deviation across seeds, `mean ± std`.
    static func score(_ summary: SeedSummary) -> String {
        "\(score(summary.mean)) ± \(score(summary.standardDeviation))"
    }

    /// A difference of scores with 3 decimals and its sign, such as `+0.120`.
    static func signedScore(_ value: Double) -> String {
        let text = score(value)
        return text.hasPrefix("-") ? text : "+" + text
    }

    /// A duration in seconds with 1 decimal.
    static func seconds(_ value: Double) -> String {
        fixed(value, decimals: 1)
    }

    /// A count's mean over seeds: whole when it is whole, else with 1 decimal.
    static func count(_ value: Double) -> String {
        value.rounded() == value ? fixed(value, decimals: 0) : fixed(value, decimals: 1)
    }
}
