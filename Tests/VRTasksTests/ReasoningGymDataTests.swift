// Tests that the committed reasoning-gym exports import, have disjoint splits and self-consistent answers.

import Foundation
import Testing

@testable import VRTasks

@Suite("reasoning-gym exports")
struct ReasoningGymDataTests {
    @Test("every family of the export script has committed files")
    func families() throws {
        let families = Set(try ReasoningGymFiles.manifests().map(\.family))
        #expect(
            families == [
                "gsm_symbolic", "basic_arithmetic", "chain_sum", "products", "leg_counting", "simple_equations",
                "fraction_simplification", "decimal_arithmetic",
            ])
    }

    @Test("each file imports with its manifest's counts and verifier; the verifier accepts every reference")
    func imports() throws {
        for manifest in try ReasoningGymFiles.manifests() {
            for split in ["train", "test"] {
                let file = try #require(manifest.files[split])
                let dataset = try TaskDataset.read(from: ReasoningGymFiles.path(file), verifier: nil)
                #expect(dataset.items.count == manifest.counts[split], "\(file)")
                #expect(dataset.items.allSatisfy { $0.verifier.kind.rawValue == manifest.verifier }, "\(file)")
                #expect(dataset.items.allSatisfy { $0.isCorrect($0.finalAnswer) }, "\(file)")
                #expect(dataset.items.allSatisfy { $0.family == nil && $0.id.hasPrefix(manifest.name + "/") })
                if let tolerance = manifest.tolerance {
                    #expect(dataset.items.allSatisfy { $0.verifier == .approximate(tolerance: tolerance) })
                }
            }
        }
    }

    @Test("train and test share no question (normalised) and no id")
    func disjoint() throws {
        for manifest in try ReasoningGymFiles.manifests() {
            let train = try TaskDataset.read(from: ReasoningGymFiles.path(manifest.files["train"] ?? ""), verifier: nil)
            let test = try TaskDataset.read(from: ReasoningGymFiles.path(manifest.files["test"] ?? ""), verifier: nil)
            let trainQuestions = train.items.map { ReasoningGymFiles.normalised($0.question) }
            let testQuestions = test.items.map { ReasoningGymFiles.normalised($0.question) }
            #expect(Set(trainQuestions).count == train.items.count, "\(manifest.name): a train question repeats")
            #expect(Set(testQuestions).count == test.items.count, "\(manifest.name): a test question repeats")
            #expect(Set(trainQuestions).isDisjoint(with: testQuestions), "\(manifest.name)")
            #expect(Set(train.items.map(\.id)).isDisjoint(with: test.items.map(\.id)), "\(manifest.name)")
        }
    }

    @Test("gsm_symbolic carries its worked solution as the reference thought, without the #### line")
    func gsmThoughts() throws {
        let train = try TaskDataset.read(from: ReasoningGymFiles.path("gsm_symbolic.train.jsonl"), verifier: nil)
        #expect(train.items.allSatisfy { !$0.referenceThought.isEmpty && !$0.referenceThought.contains("####") })
        #expect(train.items.allSatisfy { $0.referenceSolution == "Answer: " + $0.finalAnswer })
    }
}
