// Shares the live sequences of one `sample` call between the compute threads, one decoding step at a time.
//
// With a fixed half of the batch each, a thread whose sequences stop early waits for the other: on a model's
// answers, whose lengths vary, that idled a core for a tenth of the time. Here a thread hands back the sequences
// it has just advanced and takes its next batch from those no thread holds, so the threads finish together.

import Synchronization

/// Hands out the sequences of a batch for decoding, each to one thread at a time.
///
/// Every thread calls `exchange` with the sequences it has just advanced and gets its next batch: at most
/// `ceil(live / threadCount)` of the live sequences that no thread holds, those waiting longest first. A thread
/// whose batch runs out while another still holds sequences waits for that one's next exchange, which shares them.
/// Once fewer than `threadCount * minimumPerThread` sequences are live, every thread is told to stop: the few left
/// decode best together, every kernel split across the threads.
final class DecodeScheduler: Sendable {
    /// What a thread does next.
    enum Assignment: Equatable {
        /// Advance these sequences one step.
        case batch([Int])
        /// Every live sequence is held by another thread; ask again.
        case wait
        /// Stop: no sequence is live, or too few to share.
        case done
    }

    private struct State {
        /// Live sequences that no thread holds, in the order they were handed back.
        var waiting: [Int]
        /// Sequences not yet finished, held or not.
        var liveCount: Int
    }

    /// The threads that share the sequences.
    let threadCount: Int
    /// Below `threadCount` times this many live sequences, sharing stops.
    let minimumPerThread: Int
    private let state: Mutex<State>

    /// Creates a scheduler.
    /// - Parameters:
    ///   - sequences: the live sequences, by index.
    ///   - threadCount: the threads that share them, at least 1.
    ///   - minimumPerThread: the fewest sequences per thread worth a thread of its own, at least 1.
    init(sequences: [Int], threadCount: Int, minimumPerThread: Int) {
        precondition(threadCount >= 1 && minimumPerThread >= 1)
        self.threadCount = threadCount
        self.minimumPerThread = minimumPerThread
        state = Mutex(State(waiting: sequences, liveCount: sequences.count))
    }

    /// The largest batch one thread takes while `liveCount` sequences are live.
    func quota(liveCount: Int) -> Int { (liveCount + threadCount - 1) / threadCount }

    /// Takes back a thread's sequences and gives it its next assignment.
    /// - Parameters:
    ///   - finishedCount: how many of the sequences the thread has just advanced finished (0 the first time).
    ///   - unfinished: the others, still live (none the first time).
    /// - Returns: the thread's next batch, or that it waits or stops.
    func exchange(finishedCount: Int, unfinished: [Int]) -> Assignment {
        state.withLock { state in
            state.liveCount -= finishedCount
            state.waiting.append(contentsOf: unfinished)
            guard state.liveCount > 0, state.liveCount >= threadCount * minimumPerThread else { return .done }
            let taken = min(quota(liveCount: state.liveCount), state.waiting.count)
            guard taken > 0 else { return .wait }
            let batch = Array(state.waiting.prefix(taken))
            state.waiting.removeFirst(taken)
            return .batch(batch)
        }
    }
}
