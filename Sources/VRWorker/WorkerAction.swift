// What the worker's state machine asks its service to do.

import VRWire

/// One effect the service carries out for `WorkerStateMachine`, in the order given.
public enum WorkerAction: Sendable, Equatable {
    /// Send this message to the learner.
    case send(WireMessage)
    /// Load these parameters into the models (building them on first use).
    case load(ReceivedParameters)
    /// Forget the broadcasts received so far: they came from a learner that is gone.
    case forgetBroadcasts
    /// Sample and score this assignment, then report the rollouts with `rolloutsSampled(_:at:)`.
    case sample(WorkAssignment)
    /// Tell the worker's observer.
    case report(WorkerEvent)
    /// Stop with this error.
    case fail(WorkerError)
}

/// A complete parameter snapshot: both models' architectures and the combined buffer.
public struct ReceivedParameters: Sendable, Equatable {
    /// Its version.
    public let parameterVersion: UInt64
    /// Both models' configuration, as the learner announced it.
    public let configurationJSON: String
    /// The parameters of both models, one buffer.
    public let values: [Float]

    /// Describes a snapshot.
    /// - Parameters:
    ///   - parameterVersion: its version.
    ///   - configurationJSON: both models' configuration.
    ///   - values: the combined parameters.
    public init(parameterVersion: UInt64, configurationJSON: String, values: [Float]) {
        self.parameterVersion = parameterVersion
        self.configurationJSON = configurationJSON
        self.values = values
    }
}
