// Worker threads that pick up slices of a parallel loop published by the calling thread.

import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed team of worker threads that run the slices of one parallel loop at a time.
///
/// A loop is published by bumping `generation`; worker `w` runs slice
/// `w + 1` if the loop has that many slices (the caller runs slice 0), and every worker counts down
/// `pending` once per loop, so the caller never publishes the next loop while a worker still reads this
/// one. Idle workers spin for a short while, then sleep on a condition variable until the next loop.
final class WorkerTeam: @unchecked Sendable {
    /// How long an idle worker spins before it sleeps: longer than the serial gaps between the parallel
    /// loops of a decoding step (a futex wake-up costs tens of microseconds), short enough to be idle soon.
    private static let spinNanoseconds: UInt64 = 300_000

    private let workerCount: Int
    /// Incremented once per published loop.
    private let generation = Atomic<UInt64>(0)
    /// Workers that have not yet finished with the current loop.
    private let pending = Atomic<Int>(0)
    /// Workers that are asleep (or about to be) on `wakeUp`.
    private let sleeperCount = Atomic<Int>(0)
    /// Whether a loop is running; a second caller runs its loop alone.
    private let busy = Atomic<Bool>(false)
    /// The current loop's body and slice count, written before `generation` is bumped (release) and read
    /// after it is observed (acquire).
    private var job: ((Int) -> Void)?
    private var sliceCount = 0
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeUp = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(workerCount: Int) {
        self.workerCount = workerCount
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wakeUp, nil)
        for worker in 0..<workerCount {
            let context = Unmanaged.passRetained(WorkerContext(team: self, slice: worker + 1)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread, nil,
                { context in
                    guard let context else { return nil }
                    let worker = Unmanaged<WorkerContext>.fromOpaque(context).takeRetainedValue()
                    worker.team.workLoop(slice: worker.slice)
                    return nil
                }, context)
            precondition(status == 0, "could not start a compute thread (pthread_create returned \(status))")
            pthread_detach(thread)
        }
    }

    /// Runs `body(slice)` for `slice` in `0..<sliceCount` across the caller and the workers.
    /// - Returns: false (without running anything) when another loop is in progress.
    func tryRun(sliceCount: Int, _ body: (Int) -> Void) -> Bool {
        precondition(sliceCount <= workerCount + 1)
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        // The loop returns only after every slice has finished, so the non-escaping body outlives its use.
        withoutActuallyEscaping(body) { body in
            job = body
            self.sliceCount = sliceCount
            pending.store(workerCount, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleeperCount.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(lock)
                pthread_cond_broadcast(wakeUp)
                pthread_mutex_unlock(lock)
            }
            body(0)
            // Spin for the workers; once that takes long, the machine is oversubscribed (a worker is not
            // running), so give the core away between checks.
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 4096 { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func workLoop(slice: Int) {
        var seen: UInt64 = 0
        while true {
            seen = awaitGeneration(after: seen)
            if slice < sliceCount, let job { job(slice) }
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Waits until a loop newer than `seen` is published and returns its generation.
    private func awaitGeneration(after seen: UInt64) -> UInt64 {
        let deadline = Self.monotonicNanoseconds() + Self.spinNanoseconds
        repeat {
            for _ in 0..<1024 {
                let current = generation.load(ordering: .acquiring)
                if current != seen { return current }
            }
        } while Self.monotonicNanoseconds() < deadline
        pthread_mutex_lock(lock)
        sleeperCount.add(1, ordering: .sequentiallyConsistent)
        while generation.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wakeUp, lock) }
        sleeperCount.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(lock)
        return generation.load(ordering: .acquiring)
    }
}

extension WorkerTeam {
    fileprivate static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// What a worker thread needs to start: its team and its slice index.
private final class WorkerContext {
    let team: WorkerTeam
    let slice: Int

    init(team: WorkerTeam, slice: Int) {
        self.team = team
        self.slice = slice
    }
}
