// The worker's models, shared between the run loop (which loads parameters) and the sampling task.

import Synchronization
import VRModel
import VRWire

/// pi and q as the worker holds them: built from the first parameters received, then reloaded in place.
///
/// The state machine never asks for a load while an assignment is being sampled; the lock makes that a guarantee
/// rather than a convention.
final class WorkerModels: Sendable {
    private let models = Mutex<ModelPair?>(nil)

    /// Loads `parameters`, building the models when there are none or their architecture changed.
    /// - Throws: `WorkerError.model` for a configuration or buffer that does not fit.
    func load(_ parameters: ReceivedParameters) throws(WorkerError) {
        try models.withLock { (models: inout ModelPair?) throws(WorkerError) in
            do throws(ModelError) {
                let configuration = try ModelPair.Configuration(json: parameters.configurationJSON)
                if let current = models, current.configuration == configuration {
                    try current.load(parameters.values)
                } else {
                    models = try ModelPair(configuration: configuration, parameters: parameters.values)
                }
            } catch {
                throw .model(error)
            }
        }
    }

    /// Samples and scores `requests` with the models.
    /// - Throws: `WorkerError` when no parameters were loaded or the models refuse the questions.
    func sample(
        _ requests: [RolloutRequest], _ sampler: RolloutSampler, seed: UInt64
    ) throws(WorkerError)
        -> [QuestionRollout]
    {
        try models.withLock { (models: inout ModelPair?) throws(WorkerError) in
            guard let models else { throw .protocolViolation("an assignment before any parameters") }
            return try sampler.rollouts(for: requests, models: models, seed: seed)
        }
    }
}
