// How far an experiment is: runs done out of all, and about how long the rest takes at the pace so far.

import VRRecords

/// Counts an experiment's finished runs and estimates the time left from its learner runs so far.
struct ExperimentProgress {
    /// Runs in all (arms times seeds).
    let totalRuns: Int
    private var doneRuns = 0
    /// Wall seconds of the learner runs so far (SFT runs take far less, so the estimate is an upper bound).
    private var learnerSeconds: [Double] = []

    /// Starts counting.
    /// - Parameter totalRuns: runs in all.
    init(totalRuns: Int) {
        self.totalRuns = totalRuns
    }

    /// Records a finished run and describes the progress.
    /// - Parameters:
    ///   - run: the run, with its wall time.
    ///   - arm: its arm.
    /// - Returns: a line such as `run 6 of 30 done; at most about 1h40m left at the pace of the learner runs so far`.
    mutating func record(_ run: ArmRun, arm: ArmConfiguration) -> String {
        doneRuns += 1
        if arm.method != .sft { learnerSeconds.append(run.wallSeconds) }
        guard !learnerSeconds.isEmpty, doneRuns < totalRuns else { return "run \(doneRuns) of \(totalRuns) done" }
        let left = Int(learnerSeconds.reduce(0, +) / Double(learnerSeconds.count) * Double(totalRuns - doneRuns))
        return "run \(doneRuns) of \(totalRuns) done; at most about \(left / 3600)h\(left % 3600 / 60)m left "
            + "at the pace of the learner runs so far"
    }
}
