// Finding arms by their attributes: the comparisons they take part in and the method variant they train.

import VRRecords

extension ExperimentResults {
    /// The arms in `group`, in the configuration's order.
    /// - Parameter group: a comparison such as `main` or `k`.
    /// - Returns: its arms.
    public func arms(inGroup group: String) -> [ArmResult] {
        arms.filter { $0.groups.contains(group) }
    }

    /// The arms in `group` ordered by K ascending, arms without K last, ties in the configuration's order.
    /// - Parameter group: a comparison such as `k`.
    /// - Returns: its arms.
    public func armsByTraces(inGroup group: String) -> [ArmResult] {
        arms(inGroup: group).enumerated()
            .sorted { ($0.element.traces ?? .max, $0.offset) < ($1.element.traces ?? .max, $1.offset) }
            .map(\.element)
    }

    /// The arm that stands for the variational method: in `main`, variational with Acc, all K traces weighted and
    /// traces from the hinted q (hinted with the worked solution, in results that say); the one with most traces
    /// when there are several (the first of those on a tie).
    public var variationalReferenceArm: ArmResult? {
        arms(inGroup: "main").filter {
            $0.method == "variational" && $0.estimator == "acc" && $0.selection == "weighted"
                && $0.proposal == "hinted-posterior" && $0.hint != "answer"
        }.max { ($0.traces ?? 0) < ($1.traces ?? 0) }
    }
}
