import Foundation
import Testing
import VRTensor

@testable import VRModel

/// SmolLM2-135M-Instruct from its GGUF file (`VR_SMOLLM2`, set by `make test` from `scripts/fetch-smollm2.sh`)
/// against `transformers` loading the same file.
@Suite(
    "SmolLM2-135M-Instruct from GGUF",
    .enabled(if: ProcessInfo.processInfo.environment["VR_SMOLLM2"] != nil, "VR_SMOLLM2 names no GGUF file"))
struct SmolLM2Tests {
    struct Reference: Decodable {
        struct Prompt: Decodable {
            let name: String
            let ids: [Int32]
            let logProbs: [Float]
            enum CodingKeys: String, CodingKey {
                case name, ids
                case logProbs = "log_probs"
            }
        }
        struct Checksum: Decodable {
            let shape: [Int]
            let sum: Double
            let first8: [Float]
            let rowSums: [Double]?
            enum CodingKeys: String, CodingKey {
                case shape, sum, first8
                case rowSums = "row_sums"
            }
        }
        let prompts: [Prompt]
        let checksums: [String: Checksum]
    }

    static func load() throws -> (Checkpoint, Reference) {
        let path = try #require(ProcessInfo.processInfo.environment["VR_SMOLLM2"])
        let url = try #require(
            Bundle.module.url(
                forResource: "smollm2-logprobs", withExtension: "json", subdirectory: "Fixtures/pretrained"))
        return (try Checkpoint.read(from: path), try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url)))
    }

    @Test("the configuration, and the dequantized and reordered weights, are those transformers holds")
    func weights() throws {
        let (checkpoint, reference) = try Self.load()
        let configuration = checkpoint.configuration
        #expect(configuration.family == .llama && configuration.layerCount == 30 && configuration.width == 576)
        #expect(configuration.headCount == 9 && configuration.keyValueHeadCount == 3 && configuration.headWidth == 64)
        #expect(configuration.hiddenWidth == 1536 && configuration.vocabularySize == 49_152)
        #expect(configuration.tiedEmbeddings && configuration.ropeTheta == 100_000)
        let layout = ParameterLayout(configuration)
        for (name, checksum) in reference.checksums {
            let view = try #require(layout.view(named: name))
            #expect(view.shape == checksum.shape)
            let values = UnsafeBufferPointer(start: checkpoint.parameters.pointer + view.offset, count: view.count)
            #expect(Array(values.prefix(8)) == checksum.first8, "\(name)")
            let sum = values.reduce(0.0) { $0 + Double($1) }
            #expect(abs(sum - checksum.sum) <= 1e-4 * max(1, abs(checksum.sum)), "\(name)")
            let rowWidth = view.shape.count == 2 ? view.shape[1] : 1
            for (row, expected) in (checksum.rowSums ?? []).enumerated() {
                let rowSum = values[(row * rowWidth)..<((row + 1) * rowWidth)].reduce(0.0) { $0 + Double($1) }
                #expect(abs(rowSum - expected) <= 1e-4 * max(1, abs(expected)), "\(name) row \(row)")
            }
        }
    }

    @Test("log-probabilities of four prompts equal transformers' to 1e-3")
    func logProbsMatchTransformers() throws {
        let (checkpoint, reference) = try Self.load()
        let model = try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
        let logProbs = try model.score(reference.prompts.map(\.ids))
        for (actual, prompt) in zip(logProbs, reference.prompts) {
            #expect(actual.count == prompt.logProbs.count)
            let worst = zip(actual, prompt.logProbs).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-3, "\(prompt.name): largest difference \(worst)")
        }
    }

    /// What `vr learner --broadcast-precision bfloat16` does to the workers' model: every parameter rounded to
    /// bfloat16 (nearest, ties to even), widened back to float32.
    @Test("parameters rounded to bfloat16 move the log-probabilities of the four prompts by little")
    func bfloat16Parameters() throws {
        let (checkpoint, reference) = try Self.load()
        let exact = try Transformer(configuration: checkpoint.configuration, parameters: checkpoint.parameters)
        let exactLogProbs = try exact.score(reference.prompts.map(\.ids))
        let rounded = FloatBuffer(count: checkpoint.parameters.count)
        for index in 0..<rounded.count {
            let bits = checkpoint.parameters.pointer[index].bitPattern
            rounded.pointer[index] = Float(bitPattern: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) & 0xFFFF_0000)
        }
        let roundedLogProbs = try Transformer(configuration: checkpoint.configuration, parameters: rounded)
            .score(reference.prompts.map(\.ids))
        let differences = zip(exactLogProbs, roundedLogProbs).flatMap { zip($0, $1).map { abs($0 - $1) } }
        let mean = differences.reduce(0, +) / Float(differences.count)
        let worst = differences.max() ?? 0
        print("bfloat16 parameters: |log p difference| per token mean \(mean), max \(worst) over \(differences.count)")
        #expect(mean > 0, "rounding changed nothing: the check would not see an error")
        #expect(mean < 0.05 && worst < 0.5, "mean \(mean), max \(worst)")
    }
}
