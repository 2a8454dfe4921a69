// Small multiples: the arms split into panels of at most five, by the comparison they belong to, each arm in the
// same colour in every chart.

import VRRecords

/// A panel of a per-arm chart: some of the arms, drawn together.
struct ChartPanel {
    /// The panel's part of the file name, such as `main`.
    let name: String
    /// Its part of the chart's title, such as `main arms`.
    let title: String
    /// The names of its arms, in the configuration's order.
    let armNames: [String]

    /// At most this many lines share a panel.
    static let maximumArms = 5

    /// The panels of `arms`, each split into panels of at most `maximumArms`.
    ///
    /// The main comparison, the K sweep, the other ablations (estimator, selection, hint), then the arms in none of
    /// them. An arm can be in several.
    /// - Parameters:
    ///   - results: the experiment's results, for the arms' groups.
    ///   - arms: the names of the arms to draw.
    /// - Returns: the non-empty panels.
    static func panels(of results: ExperimentResults, drawing arms: Set<String>) -> [ChartPanel] {
        let kinds: [(name: String, title: String, groups: Set<String>)] = [
            ("main", "main arms", ["main"]), ("k", "traces per question K", ["k"]),
            ("ablations", "estimator, selection and hint", ["estimator", "selection", "hint"]),
        ]
        let known = kinds.reduce(into: Set<String>()) { $0.formUnion($1.groups) }
        var panels: [ChartPanel] = []
        for (name, title, groups) in kinds + [("other", "other arms", [])] {
            let members = results.arms.filter { arm in
                arms.contains(arm.name)
                    && (groups.isEmpty ? known.isDisjoint(with: arm.groups) : !groups.isDisjoint(with: arm.groups))
            }.map(\.name)
            let chunks = stride(from: 0, to: members.count, by: maximumArms).map {
                Array(members[$0..<min($0 + maximumArms, members.count)])
            }
            for (index, chunk) in chunks.enumerated() {
                let suffix = chunks.count > 1 ? "-\(index + 1)" : ""
                let titleSuffix = chunks.count > 1 ? " (\(index + 1) of \(chunks.count))" : ""
                panels.append(ChartPanel(name: name + suffix, title: title + titleSuffix, armNames: chunk))
            }
        }
        return panels
    }

    /// `fileName` with the panel's name before its extension: `training-loss.svg` becomes `training-loss-main.svg`.
    func fileName(_ fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: ".") else { return fileName + "-" + name }
        return fileName[..<dot] + "-" + name + fileName[dot...]
    }
}

extension ExperimentResults {
    /// The colour of arm `name` in every chart: its position in the configuration picks it from the palette.
    /// - Parameter name: an arm's identifier.
    /// - Returns: its colour; the neutral grey for a name that is no arm (the initial model).
    func colour(ofArm name: String) -> String {
        arms.firstIndex { $0.name == name }.map(ChartPalette.colour) ?? ChartPalette.neutral
    }
}
