// Log-sum-exp, log-mean-exp and the empty-mean convention, used by [E3], [E4] and [E5].

import Foundation
import Testing
import VRObjectives

@Suite("Log-space reductions")
struct LogSpaceTests {
    @Test("[E4] logSumExp of log 1, log 2, log 3 is log 6")
    func logSumExpClosedForm() {
        #expect(isClose(LogSpace.logSumExp([0, log(2), log(3)]), log(6)))
    }

    @Test("[E4] logSumExp does not overflow or underflow at +-1e4")
    func logSumExpStable() {
        #expect(isClose(LogSpace.logSumExp([1e4, 1e4]), 1e4 + log(2)))
        #expect(isClose(LogSpace.logSumExp([-1e4, -1e4, -1e4]), -1e4 + log(3)))
        #expect(isClose(LogSpace.logSumExp([0, -1e4]), 0))
    }

    @Test("[E4] logSumExp of an empty or all -infinity input is -infinity; NaN and +infinity propagate")
    func logSumExpEdges() {
        #expect(LogSpace.logSumExp([]) == -.infinity)
        #expect(LogSpace.logSumExp([-.infinity, -.infinity]) == -.infinity)
        #expect(LogSpace.logSumExp([0, -.infinity]) == 0)
        #expect(LogSpace.logSumExp([0, .nan]).isNaN)
        #expect(LogSpace.logSumExp([0, .infinity]) == .infinity)
    }

    @Test("[E3] logMeanExp of 0 and log 3 is log 2; of nothing, -infinity")
    func logMeanExpClosedForm() {
        #expect(isClose(LogSpace.logMeanExp([0, log(3)]), log(2)))
        #expect(LogSpace.logMeanExp([]) == -.infinity)
    }

    @Test("[E5] the mean of an empty array is defined as 0")
    func emptyMean() {
        #expect(LogSpace.mean([]) == 0)
        #expect(LogSpace.mean([1, 2, 6]) == 3)
    }
}
