import Testing
import VRCore
import VRTensor
import VRWire

@testable import VRWorker

/// A worker never draws the same random numbers for two pieces of work.
@Suite("rollout seeds")
struct RolloutSeedTests {
    /// Every stream a rollout draws from: the three proposals' traces and the answers.
    let proposals: [TraceProposal?] = [.hintedPosterior, .reasoningModel, .unhintedPosterior, nil]

    @Test("the streams of 500 consecutive assignments of two workers are all distinct")
    func assignmentStreamsAreDistinct() {
        var seen: [UInt64: String] = [:]
        for workerSeed: UInt64 in [0, 1] {
            var configuration = WorkerConfiguration()
            configuration.seed = workerSeed
            for assignmentID: UInt64 in 1...500 {
                for proposal in proposals {
                    let seed = RolloutSampler.streamSeed(
                        configuration.assignmentSeed(assignmentID), proposal: proposal)
                    let name = "worker \(workerSeed), assignment \(assignmentID), \(String(describing: proposal))"
                    #expect(seen[seed] == nil, "\(name) draws the numbers of \(seen[seed] ?? "")")
                    seen[seed] = name
                }
            }
        }
        #expect(seen.count == 2 * 500 * proposals.count)
    }

    @Test("derived seeds differ from their neighbours' in about half their bits")
    func derivedSeedsAreMixed() {
        let generator = SeededGenerator(seed: 7)
        var flippedBits = 0
        for stream: UInt64 in 0..<256 {
            flippedBits += (generator.seed(forStream: stream) ^ generator.seed(forStream: stream + 1)).nonzeroBitCount
        }
        let meanFlipped = Double(flippedBits) / 256
        #expect(abs(meanFlipped - 32) < 2, "mean \(meanFlipped) of 64 bits differ")
    }
}
