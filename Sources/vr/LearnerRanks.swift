// The processes `vr learner` runs as: one, or the ranks `mpirun` or `srun` started, where rank 0 serves the
// workers and the others follow its steps.

import Foundation
import Logging
import VRLearner
import VRMPI
import VRTransport

/// This learner process's place among the learner's ranks.
struct LearnerRanks: Sendable {
    /// The group: this process alone, or MPI's world.
    let collective: any Collective
    private let mpi: MPICollective?

    /// Joins MPI when a launcher started this process, else stands alone.
    /// - Throws: `CollectiveError` when MPI was launched but cannot start.
    static func start() throws -> LearnerRanks {
        guard MPICollective.isLaunched(environment: ProcessInfo.processInfo.environment) else {
            return LearnerRanks(collective: SoloCollective(), mpi: nil)
        }
        let mpi = try MPICollective.start()
        return LearnerRanks(collective: mpi, mpi: mpi)
    }

    /// Whether this process serves the workers: rank 0, or the only process.
    var servesWorkers: Bool { collective.rank == 0 }

    /// "rank R of N", for log lines.
    var name: String { "rank \(collective.rank) of \(collective.size)" }

    /// Leaves MPI after the last step; every rank calls it.
    func finish() {
        mpi?.finish()
    }

    /// Ends the whole job after an error this rank cannot recover from, with a message naming the rank; a single
    /// process just rethrows.
    /// - Parameters:
    ///   - error: the error.
    ///   - logger: where the message goes.
    /// - Throws: `error`, when there is only this process.
    func fail(_ error: any Error, logger: Logger) throws -> Never {
        guard let mpi, mpi.size > 1 else { throw error }
        logger.critical("\(name) stops the learner: \(error)")
        mpi.abort(code: 1)
    }

    /// Runs a rank other than 0 until rank 0 says the run is over.
    ///
    /// Loads the same trainer, checks it against the other ranks, and takes the steps rank 0 orders. SIGINT and
    /// SIGTERM are left to rank 0, which ends the run for all; an error ends the whole job.
    /// - Parameters:
    ///   - start: loads this rank's trainer.
    ///   - logger: where skipped steps and the end are reported.
    /// - Throws: nothing with several ranks (an error ends the job); the error itself in a single process.
    func follow(start: () throws -> LearnerTrainer, logger: Logger) throws {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        do {
            let trainer = try start()
            try trainer.joinRanks()
            logger.info("\(name) (pid \(getpid())): following rank 0's steps")
            try trainer.follow { logger.warning("\(name): step skipped: \($0)") }
            logger.info("\(name): finished")
        } catch {
            try fail(error, logger: logger)
        }
        finish()
    }
}
