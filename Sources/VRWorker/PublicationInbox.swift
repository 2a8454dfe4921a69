// Assembles the learner's broadcast snapshots in the background and keeps the newest complete one.

import Synchronization
import VRWire

/// The newest complete broadcast, handed from the listening task to the sampling loop.
final class PublicationInbox: Sendable {
    private struct State {
        var assembler: ParameterAssembler?
        var newest: ReceivedParameters?
    }

    private let state = Mutex(State())

    /// Forgets the broadcasts received so far: they came from a learner that is gone (a restarted learner may
    /// resume from an older version, and its versions then mean other parameters).
    func reset() {
        state.withLock { state in
            state.assembler = nil
            state.newest = nil
        }
    }

    /// Feeds one published message; an announcement starts a snapshot and its chunks complete it.
    ///
    /// A chunk that does not fit (lost, repeated, corrupt) drops the partial snapshot: the worker then catches up
    /// with the next broadcast or a snapshot request.
    /// - Returns: the version of a snapshot this message completed, else nil.
    @discardableResult
    func accept(_ message: WireMessage) -> UInt64? {
        state.withLock { state -> UInt64? in
            switch message {
            case .parameterAnnouncement(let announcement):
                state.assembler = try? ParameterAssembler(announcement: announcement)
                return nil
            case .snapshotChunk(let chunk):
                do {
                    // Added in place: a copy of the assembler would copy its whole buffer for every chunk.
                    try state.assembler?.add(chunk)
                    guard let assembler = state.assembler, assembler.isComplete else { return nil }
                    state.assembler = nil
                    let announcement = assembler.announcement
                    let values = try assembler.parameters()
                    if announcement.parameterVersion > state.newest?.parameterVersion ?? 0 {
                        state.newest = ReceivedParameters(
                            parameterVersion: announcement.parameterVersion,
                            configurationJSON: announcement.modelConfigurationJSON, values: values)
                    }
                    return announcement.parameterVersion
                } catch {
                    state.assembler = nil
                    return nil
                }
            default:
                return nil
            }
        }
    }

    /// Takes the newest complete snapshot if it is newer than `version`.
    func take(newerThan version: UInt64) -> ReceivedParameters? {
        state.withLock { state in
            guard let newest = state.newest, newest.parameterVersion > version else { return nil }
            state.newest = nil
            return newest
        }
    }
}
