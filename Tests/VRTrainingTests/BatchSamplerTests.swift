import Testing
import VRTraining

@Suite("BatchSampler and ToyCorpus")
struct BatchSamplerTests {
    @Test("every epoch is a permutation, and batches read the epochs in order")
    func epochs() {
        var sampler = BatchSampler(exampleCount: 10, batchSize: 4, seed: 3)
        let first = sampler.order(ofEpoch: 0)
        let second = sampler.order(ofEpoch: 1)
        #expect(first.sorted() == Array(0..<10) && second.sorted() == Array(0..<10))
        #expect(first != second)
        let stream = (0..<5).flatMap { sampler.batch(at: $0) }
        #expect(stream == first + second)
    }

    @Test("the batch of a step depends only on the seed and the step")
    func deterministic() {
        var a = BatchSampler(exampleCount: 37, batchSize: 8, seed: 11)
        var b = BatchSampler(exampleCount: 37, batchSize: 8, seed: 11)
        var c = BatchSampler(exampleCount: 37, batchSize: 8, seed: 12)
        #expect(a.batch(at: 9) == b.batch(at: 9))
        #expect(a.batch(at: 2) == b.batch(at: 2))
        #expect(a.batch(at: 2) != c.batch(at: 2))
    }

    @Test("toy examples are deterministic, correct, and answered by response(to:)", arguments: ToyCorpus.Task.allCases)
    func toyCorpus(task: ToyCorpus.Task) {
        let corpus = ToyCorpus(tasks: [task])
        let examples = corpus.dataset(count: 50, seed: 5).examples
        #expect(examples == corpus.dataset(count: 50, seed: 5).examples)
        #expect(examples != corpus.dataset(count: 50, seed: 6).examples)
        for example in examples {
            #expect(example.prompt.hasPrefix(task.rawValue + ": ") && example.prompt.hasSuffix("\n"))
            #expect(!example.response.isEmpty)
            #expect(ToyCorpus.response(to: example.prompt) == example.response)
            #expect(example.prompt.utf8.count + example.response.utf8.count + 1 <= 32)
        }
    }

    @Test("the toy answers are right")
    func toyAnswers() {
        #expect(ToyCorpus.response(to: "reverse: abcde\n") == "edcba")
        #expect(ToyCorpus.response(to: "sort: 3 1 2\n") == "1 2 3")
        #expect(ToyCorpus.response(to: "add: 8+7\n") == "15")
        #expect(ToyCorpus.response(to: "multiply: 2*3\n") == nil)
        #expect(ToyCorpus.response(to: "reverse: abc") == nil)
    }
}
