import Synchronization
import Testing

@testable import VRModel

@Suite("sharing live sequences between decoding threads")
struct DecodeSchedulerTests {
    @Test("threads take even batches, wait while another holds every live sequence, and then share its batch")
    func handOver() {
        let scheduler = DecodeScheduler(sequences: Array(0..<10), threadCount: 2, minimumPerThread: 2)
        #expect(scheduler.exchange(finishedCount: 0, unfinished: []) == .batch([0, 1, 2, 3, 4]))
        #expect(scheduler.exchange(finishedCount: 0, unfinished: []) == .batch([5, 6, 7, 8, 9]))
        // The first thread's sequences all finish; the second holds the five still live.
        #expect(scheduler.exchange(finishedCount: 5, unfinished: []) == .wait)
        #expect(scheduler.exchange(finishedCount: 0, unfinished: []) == .wait)
        #expect(scheduler.exchange(finishedCount: 0, unfinished: [5, 6, 7, 8, 9]) == .batch([5, 6, 7]))
        // It hands them back before the other asks again: they queue behind the two waiting longer.
        #expect(scheduler.exchange(finishedCount: 0, unfinished: [5, 6, 7]) == .batch([8, 9, 5]))
        #expect(scheduler.exchange(finishedCount: 0, unfinished: []) == .batch([6, 7]))
        // One finishes: four live are still two per thread.
        #expect(scheduler.exchange(finishedCount: 1, unfinished: [9, 5]) == .batch([9, 5]))
        // Three live are fewer than two per thread: everyone stops, and the caller decodes them together.
        #expect(scheduler.exchange(finishedCount: 1, unfinished: [7]) == .done)
        #expect(scheduler.exchange(finishedCount: 0, unfinished: [9, 5]) == .done)
    }

    @Test("a single thread takes every live sequence; nothing live means stop")
    func singleThreadAndEmpty() {
        let scheduler = DecodeScheduler(sequences: [3, 1, 2], threadCount: 1, minimumPerThread: 1)
        #expect(scheduler.exchange(finishedCount: 0, unfinished: []) == .batch([3, 1, 2]))
        #expect(scheduler.exchange(finishedCount: 2, unfinished: [1]) == .batch([1]))
        #expect(scheduler.exchange(finishedCount: 1, unfinished: []) == .done)
        let empty = DecodeScheduler(sequences: [], threadCount: 2, minimumPerThread: 1)
        #expect(empty.exchange(finishedCount: 0, unfinished: []) == .done)
    }

    /// Three threads advance 40 sequences of 1 to 40 steps each: no sequence is ever handed to two threads at
    /// once, none advances past its end, and when sharing stops no thread holds any and fewer than
    /// `threadCount * minimumPerThread` are left unfinished.
    @Test("under concurrent use every sequence is held by one thread at a time and advances to its end")
    func concurrentThreads() async {
        let sequenceCount = 40
        let stepsNeeded = (0..<sequenceCount).map { 1 + ($0 * 17) % 40 }
        let scheduler = DecodeScheduler(sequences: Array(0..<sequenceCount), threadCount: 3, minimumPerThread: 2)
        let progress = Progress(sequenceCount: sequenceCount)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    var batch: [Int] = []
                    while true {
                        let unfinished = progress.state.withLock { state in
                            state.held.subtract(batch)
                            return batch.filter { state.steps[$0] < stepsNeeded[$0] }
                        }
                        let assignment = scheduler.exchange(
                            finishedCount: batch.count - unfinished.count, unfinished: unfinished)
                        guard case .batch(let next) = assignment else {
                            if assignment == .done { return }
                            batch = []
                            await Task.yield()
                            continue
                        }
                        batch = next
                        progress.state.withLock { state in
                            state.overlaps += state.held.intersection(batch).count
                            state.held.formUnion(batch)
                            for sequence in batch { state.steps[sequence] += 1 }
                        }
                    }
                }
            }
        }
        let (steps, held, overlaps) = progress.state.withLock { ($0.steps, $0.held, $0.overlaps) }
        #expect(overlaps == 0)
        #expect(held.isEmpty)
        #expect((0..<sequenceCount).allSatisfy { steps[$0] <= stepsNeeded[$0] })
        #expect((0..<sequenceCount).count { steps[$0] < stepsNeeded[$0] } < 3 * 2)
    }
}

/// Steps taken per sequence, the sequences held by some thread, and how often one was handed out while held.
private final class Progress: Sendable {
    let state: Mutex<(steps: [Int], held: Set<Int>, overlaps: Int)>

    init(sequenceCount: Int) {
        state = Mutex((steps: [Int](repeating: 0, count: sequenceCount), held: [], overlaps: 0))
    }
}
