import Testing
import VRTensor

@testable import VRModel

@Suite("sampling with a KV cache")
struct SamplingTests {
    @Test("incremental logits from the KV cache equal the full-sequence forward pass")
    func incrementalLogitsMatchFullForward() throws {
        let model = try randomizedModel(seed: 20)
        let sequences = randomSequences(lengths: [12, 12, 12], vocabularySize: 24, seed: 21)
        let full = try model.logits(sequences).flatMap { $0 }
        let state = DecodeState(model: model, slotCount: 3, rowCount: 3, capacity: 12)
        var worst: Float = 0
        for position in 0..<12 {
            let logits = model.decodeStep(
                tokens: TokenBuffer(sequences.map { $0[position] }), slots: TokenBuffer([0, 1, 2]),
                positions: TokenBuffer([Int32](repeating: Int32(position), count: 3)), state: state)
            for row in 0..<3 {
                for token in 0..<24 {
                    worst = max(worst, abs(logits[row * 24 + token] - full[(row * 12 + position) * 24 + token]))
                }
            }
        }
        #expect(worst < 1e-4)
    }

    @Test("a fixed seed reproduces the same tokens; another seed gives others")
    func seedReproducibility() throws {
        let model = try randomizedModel(seed: 22)
        let prompts: [[Int32]] = [[1, 2, 3], [4], [5, 6]]
        let options = SamplingOptions(temperature: 1, maxNewTokens: 8, seed: 99)
        let first = try model.sample(prompts: prompts, options: options)
        let second = try model.sample(prompts: prompts, options: options)
        #expect(first == second)
        var other = options
        other.seed = 100
        #expect(try model.sample(prompts: prompts, options: other).map(\.tokens) != first.map(\.tokens))
        // A sequence's tokens do not depend on the rest of the batch (log-probs only up to float rounding,
        // since products of a different row count take different sgemm paths).
        let alone = try model.sample(prompts: [prompts[0]], options: options)
        #expect(alone[0].tokens == first[0].tokens)
        #expect(zip(alone[0].logProbs, first[0].logProbs).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    /// Every prompt but its last token is prefilled, one forward pass per prompt length: the first set has
    /// three lengths (one of them nothing to prefill), the second two prompts of one length, and the third
    /// sequences that share their prompt, or all of it but the last token, and so one prefilled prefix.
    @Test(
        "sampled log-probs equal what score computes on the sampled sequences",
        arguments: [1, 0.7, 0] as [Float],
        [
            [[1, 2, 3, 4], [7], [9, 9]], [[1, 2, 3, 4], [7, 8, 9, 1], [9, 9, 9, 9, 9]],
            [[1, 2, 3, 4], [5, 6], [1, 2, 3, 4], [1, 2, 3, 8], [5, 6]],
        ] as [[[Int32]]])
    func logProbsMatchScore(temperature: Float, prompts: [[Int32]]) throws {
        let model = try randomizedModel(seed: 23)
        let samples = try model.sample(
            prompts: prompts, options: SamplingOptions(temperature: temperature, topP: 0.9, maxNewTokens: 6, seed: 5))
        let scored = try model.score(zip(prompts, samples).map { $0 + $1.tokens })
        for (index, sample) in samples.enumerated() {
            let generatedScores = Array(scored[index].suffix(sample.tokens.count))
            #expect(sample.logProbs.count == sample.tokens.count)
            for (sampled, teacherForced) in zip(sample.logProbs, generatedScores) {
                #expect(abs(sampled - teacherForced) < 1e-4)
            }
        }
    }

    /// Three distinct prompts of 300 tokens need three prefill passes of at most 512 rows; each pass's own
    /// workspace must leave every cache slot as the full forward pass sees it.
    @Test("prompts beyond one prefill pass: sampled log-probs equal what score computes")
    func prefillInPasses() throws {
        var configuration = tinyLlamaFamily[0]
        configuration.contextLength = 320
        let model = try randomizedModel(configuration, seed: 29)
        let prompts = randomSequences(lengths: [300, 300, 300, 120], vocabularySize: 24, seed: 30)
        #expect(3 * 299 > Transformer.prefillRowsPerPass)
        let samples = try model.sample(
            prompts: prompts, options: SamplingOptions(temperature: 1, maxNewTokens: 6, seed: 7))
        let scored = try model.score(zip(prompts, samples).map { $0 + $1.tokens })
        for (sample, teacherForced) in zip(samples, scored) {
            #expect(sample.tokens.count == 6)
            #expect(
                zip(sample.logProbs, teacherForced.suffix(sample.tokens.count)).allSatisfy { abs($0 - $1) < 1e-4 })
        }
    }

    /// Twelve or nine sequences are enough to be shared between the compute threads (with two or more), which
    /// take turns at them as they stop at different lengths; three are not. A sequence's draws depend only on its
    /// index, so the first sequences of every batch must get the same tokens, and `score` must reproduce their
    /// log-probs.
    @Test("a batch shared between threads gives every sequence what it gets in a smaller batch")
    func sharedBatch() throws {
        let model = try randomizedModel(seed: 28)
        let prompts = (0..<12).map { (index: Int) -> [Int32] in
            (0...(index % 4)).map { (offset: Int) -> Int32 in Int32((index * 7 + offset * 3) % 24) }
        }
        let options = SamplingOptions(temperature: 1, maxNewTokens: 6, stopSequences: [[5]], seed: 41)
        let all = try model.sample(prompts: prompts, options: options)
        #expect(Set(all.map(\.tokens)).count > 6)
        let scored = try model.score(zip(prompts, all).map { $0 + $1.tokens })
        for (sampled, teacherForced) in zip(all, scored) {
            #expect(
                zip(sampled.logProbs, teacherForced.suffix(sampled.tokens.count)).allSatisfy { abs($0 - $1) < 1e-4 })
        }
        for count in [1, 3, 9] {
            let fewer = try model.sample(prompts: Array(prompts.prefix(count)), options: options)
            for (small, large) in zip(fewer, all) {
                #expect(small.tokens == large.tokens)
                #expect(small.finishReason == large.finishReason)
                #expect(zip(small.logProbs, large.logProbs).allSatisfy { abs($0 - $1) < 1e-5 })
            }
        }
    }

    @Test("temperature 0 picks the argmax of the full forward pass")
    func greedy() throws {
        let model = try randomizedModel(seed: 24)
        let sample = try model.sample(prompts: [[3, 1, 4]], options: SamplingOptions(temperature: 0, maxNewTokens: 5))
        var sequence: [Int32] = [3, 1, 4]
        for token in sample[0].tokens {
            let logits = try model.logits([sequence])[0][((sequence.count - 1) * 24)...]
            let best = (0..<24).max { logits[logits.startIndex + $0] < logits[logits.startIndex + $1] }
            #expect(Int(token) == best)
            sequence.append(token)
        }
    }

    @Test("generation stops at a stop sequence, at maxNewTokens and at the context length")
    func finishReasons() throws {
        let model = try randomizedModel(seed: 25)
        let free = try model.sample(prompts: [[1, 2]], options: SamplingOptions(temperature: 0, maxNewTokens: 4))
        #expect(free[0].tokens.count == 4)
        #expect(free[0].finishReason == .maxNewTokens)
        let stop = Array(free[0].tokens[1...2])
        let stopped = try model.sample(
            prompts: [[1, 2]],
            options: SamplingOptions(temperature: 0, maxNewTokens: 4, stopSequences: [[23, 23], stop]))
        #expect(stopped[0].tokens == Array(free[0].tokens[0...2]))
        #expect(stopped[0].finishReason == .stopSequence(index: 1))
        let long = try model.sample(
            prompts: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], options: SamplingOptions(maxNewTokens: 50))
        #expect(long[0].tokens.count == 2)
        #expect(long[0].finishReason == .contextLength)
    }

    @Test("a tiny top-p keeps only the most likely token")
    func nucleus() throws {
        let model = try randomizedModel(seed: 26)
        let greedy = try model.sample(prompts: [[5, 6]], options: SamplingOptions(temperature: 0, maxNewTokens: 6))
        let nucleus = try model.sample(
            prompts: [[5, 6]], options: SamplingOptions(temperature: 1, topP: 1e-6, maxNewTokens: 6, seed: 3))
        #expect(nucleus[0].tokens == greedy[0].tokens)
    }

    @Test("bad sampling options and prompts are refused")
    func invalidOptions() throws {
        let model = try randomizedModel(seed: 27)
        #expect(throws: ModelError.self) {
            try model.sample(prompts: [[1]], options: SamplingOptions(temperature: -1, maxNewTokens: 1))
        }
        #expect(throws: ModelError.self) {
            try model.sample(prompts: [[1]], options: SamplingOptions(topP: 0, maxNewTokens: 1))
        }
        #expect(throws: ModelError.self) {
            try model.sample(prompts: [[1]], options: SamplingOptions(maxNewTokens: -1))
        }
        #expect(throws: ModelError.self) { try model.sample(prompts: [[]], options: SamplingOptions(maxNewTokens: 1)) }
        #expect(throws: ModelError.self) { try model.sample(prompts: [], options: SamplingOptions(maxNewTokens: 1)) }
        #expect(throws: ModelError.self) {
            try model.sample(prompts: [[1]], options: SamplingOptions(maxNewTokens: 1, stopSequences: [[99]]))
        }
    }
}
