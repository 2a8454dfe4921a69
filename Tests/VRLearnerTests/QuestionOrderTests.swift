import Testing
import VRLearner

@Suite("question order")
struct QuestionOrderTests {
    @Test("every epoch is a permutation, epochs differ, and positions are reproducible")
    func permutations() {
        let ids = (0..<10).map { "q\($0)" }
        let order = QuestionOrder(ids: ids, seed: 3)
        let firstEpoch = order.ids(from: 0, count: 10)
        let secondEpoch = order.ids(from: 10, count: 10)
        #expect(Set(firstEpoch) == Set(ids) && Set(secondEpoch) == Set(ids))
        #expect(firstEpoch != secondEpoch)
        #expect(order.ids(from: 7, count: 6) == Array((firstEpoch + secondEpoch)[7..<13]))
        #expect(QuestionOrder(ids: ids, seed: 3).ids(from: 0, count: 10) == firstEpoch)
        #expect(QuestionOrder(ids: ids, seed: 4).ids(from: 0, count: 10) != firstEpoch)
    }
}
