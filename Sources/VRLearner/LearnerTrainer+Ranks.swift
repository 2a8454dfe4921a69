// The learner split over several processes (ranks): rank 0 runs the service and sends each step's questions to
// the others; every rank trains on its share, the gradients are summed, and every rank takes the same AdamW step.
//
// The objective is unchanged by the split: the weights [E4] and [E8] are per question and every share uses the
// whole step's normaliser C * B [E10], so the summed gradient is the one-process gradient up to summation order.

import Foundation
import VRModel
import VRTransport

/// What rank 0 tells the other ranks to do next.
enum StepOrder: Codable {
    /// A model-phase step on these questions.
    case model([QuestionForTraining])
    /// A posterior-phase step on these questions.
    case posterior([QuestionForPosterior])
    /// The run is over.
    case stop
}

/// The encoding of what the ranks exchange: JSON, with the infinite bounds of questions without a correct answer
/// ([E3]) spelled out.
enum RankCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// What the ranks compare to prove that they hold the same models and settings.
struct RankState: Codable, Equatable {
    var reasoningFingerprint: UInt64
    var posteriorFingerprint: UInt64
    var modelSteps: Int
    var posteriorSteps: Int
    var reasoningNormalizer: Double
    var posteriorNormalizer: Double
}

extension LearnerTrainer {
    /// Checks, on every rank at start, that all ranks loaded the same models, optimizer steps and dataset constants.
    /// - Throws: `LearnerStepError.collective` naming the first rank that differs from rank 0.
    public func joinRanks() throws(LearnerStepError) {
        try compareRanks(when: "at start")
    }

    /// Runs the steps rank 0 orders, until it says the run is over; for every rank but 0.
    ///
    /// A step that fails on its inputs is skipped on every rank alike, and the next order is awaited.
    /// - Parameter onSkip: called with the reason of each skipped step.
    /// - Throws: `LearnerStepError.collective` when the ranks cannot communicate or their parameters diverged.
    public func follow(onSkip: (LearnerStepError) -> Void = { _ in }) throws(LearnerStepError) {
        precondition(collective.rank != 0, "rank 0 runs the service")
        while true {
            let bytes: [UInt8]
            do { bytes = try collective.broadcast([], from: 0) } catch { throw .collective(error) }
            let order: StepOrder
            do { order = try RankCoding.decoder.decode(StepOrder.self, from: Data(bytes)) } catch {
                throw .collective(.mismatch("rank \(collective.rank) could not read rank 0's order: \(error)"))
            }
            do {
                switch order {
                case .model(let questions): _ = try takeModelStep(questions)
                case .posterior(let questions): _ = try takePosteriorStep(questions)
                case .stop: return
                }
            } catch .collective(let error) {
                throw .collective(error)
            } catch {
                onSkip(error)
            }
        }
    }

    /// Tells the other ranks that the run is over; rank 0 calls it once, after its last step.
    /// - Throws: `LearnerStepError.collective` when the order cannot be sent.
    public func releaseRanks() throws(LearnerStepError) {
        try order(.stop)
    }

    /// Sends `order` to the other ranks (rank 0 only; nothing to do without other ranks).
    func order(_ order: StepOrder) throws(LearnerStepError) {
        guard collective.size > 1 else { return }
        precondition(collective.rank == 0, "only rank 0 gives orders")
        let bytes: Data
        do { bytes = try RankCoding.encoder.encode(order) } catch {
            throw .collective(.mismatch("the step's order could not be encoded: \(error)"))
        }
        do { _ = try collective.broadcast(Array(bytes), from: 0) } catch { throw .collective(error) }
    }

    /// This rank's share of a step of `questionCount` questions whose sequences have `tokenCounts` tokens.
    func share(tokenCounts: [Int]) -> [Int] {
        RankShares(tokenCounts: tokenCounts, rankCount: collective.size).indices[collective.rank]
    }

    /// `share` in passes of at most `maxTokensPerPass` tokens.
    func passes(of share: [Int], tokenCounts: [Int]) -> [[Int]] {
        TrainingPasses(share: share, tokenCounts: tokenCounts, maxTokens: configuration.maxTokensPerPass).passes
    }

    /// Combines every rank's share of a step: sends this rank's outcome to all, fails on every rank alike when any
    /// share failed, else sums the gradients.
    /// - Parameters:
    ///   - local: this rank's outcome, or why it failed.
    ///   - questionCount: the step's questions.
    ///   - gradients: this rank's gradients, replaced by the sum over the ranks.
    /// - Returns: the whole step's weights, bounds, sizes and loss, and the seconds spent exchanging the shares'
    ///   outcomes (waiting for the slowest rank) and summing the gradients.
    /// - Throws: this rank's own error, `LearnerStepError.onRank` for another rank's, or
    ///   `LearnerStepError.collective` when the exchange fails.
    func combine(
        _ local: Result<ShareOutcome, LearnerStepError>, questionCount: Int,
        gradients: UnsafeMutableBufferPointer<Float>
    ) throws(LearnerStepError) -> (outcome: ShareOutcome, seconds: (wait: Double, allreduce: Double)) {
        guard collective.size > 1 else { return (try local.get(), (0, 0)) }
        let started = ContinuousClock.now
        var mine: ShareOutcome
        switch local {
        case .success(let outcome): mine = outcome
        case .failure(let error): mine = ShareOutcome(indices: [], failure: "\(error)")
        }
        // A rank that cannot encode its share still takes part in the exchange, or the others would wait forever.
        let encoded =
            (try? RankCoding.encoder.encode(mine))
            ?? (try? RankCoding.encoder.encode(ShareOutcome(indices: [], failure: "its share could not be encoded")))
            ?? Data()
        let shares: [ShareOutcome]
        do {
            let all = try collective.gather(Array(encoded))
            shares = try all.map { try RankCoding.decoder.decode(ShareOutcome.self, from: Data($0)) }
        } catch let error as CollectiveError {
            throw .collective(error)
        } catch {
            throw .collective(.mismatch("a rank's share could not be read: \(error)"))
        }
        if case .failure(let error) = local { throw error }
        if let (rank, failed) = shares.enumerated().first(where: { $0.element.failure != nil }) {
            throw .onRank(rank, failed.failure ?? "")
        }
        let exchanged = ContinuousClock.now
        do { try collective.sum(gradients) } catch { throw .collective(error) }
        mine = ShareOutcome.assembled(shares, questionCount: questionCount)
        return (mine, ((exchanged - started).inSeconds, (ContinuousClock.now - exchanged).inSeconds))
    }

    /// Compares the ranks' models and progress every `rankCheckEvery` steps of either phase.
    func compareRanksIfDue() throws(LearnerStepError) {
        let every = configuration.rankCheckEvery
        guard collective.size > 1, every > 0, (modelSteps + posteriorSteps) % every == 0 else { return }
        try compareRanks(when: "after \(modelSteps) model and \(posteriorSteps) posterior steps")
    }

    private func compareRanks(when moment: String) throws(LearnerStepError) {
        guard collective.size > 1 else { return }
        let state = RankState(
            reasoningFingerprint: models.reasoning.parameterFingerprint,
            posteriorFingerprint: models.posterior.parameterFingerprint, modelSteps: modelSteps,
            posteriorSteps: posteriorSteps, reasoningNormalizer: reasoningNormalizer,
            posteriorNormalizer: posteriorNormalizer)
        let states: [RankState]
        do {
            states = try collective.gather(Array(try RankCoding.encoder.encode(state))).map {
                try RankCoding.decoder.decode(RankState.self, from: Data($0))
            }
        } catch let error as CollectiveError {
            throw .collective(error)
        } catch {
            throw .collective(.mismatch("a rank's state could not be read: \(error)"))
        }
        guard let (rank, other) = states.enumerated().first(where: { $0.element != states[0] }) else { return }
        throw .collective(
            .mismatch("rank \(rank) differs from rank 0 \(moment): \(Self.difference(states[0], other)); stopping"))
    }

    private static func difference(_ root: RankState, _ other: RankState) -> String {
        var differences: [String] = []
        func hex(_ value: UInt64) -> String { String(value, radix: 16) }
        if root.reasoningFingerprint != other.reasoningFingerprint {
            differences.append(
                "pi's parameters (fingerprint \(hex(other.reasoningFingerprint)), rank 0 \(hex(root.reasoningFingerprint)))"
            )
        }
        if root.posteriorFingerprint != other.posteriorFingerprint {
            differences.append(
                "q's parameters (fingerprint \(hex(other.posteriorFingerprint)), rank 0 \(hex(root.posteriorFingerprint)))"
            )
        }
        if (root.modelSteps, root.posteriorSteps) != (other.modelSteps, other.posteriorSteps) {
            differences.append(
                "steps (\(other.modelSteps) model, \(other.posteriorSteps) posterior; rank 0 \(root.modelSteps), "
                    + "\(root.posteriorSteps))")
        }
        if (root.reasoningNormalizer, root.posteriorNormalizer) != (
            other.reasoningNormalizer, other.posteriorNormalizer
        ) {
            differences.append("the dataset's Dr. SFT constants (another tasks file?)")
        }
        return differences.joined(separator: ", ")
    }
}
