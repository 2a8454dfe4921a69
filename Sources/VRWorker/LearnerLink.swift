// The worker's side of the request channel: encode and send, receive and decode with a deadline.

import VRTransport
import VRWire

/// Sends protocol messages to the learner and waits for its replies, validating everything it sends.
struct LearnerLink: Sendable {
    let transport: any WorkerTransport
    let codec: WireCodec

    /// The worker's id on the wire.
    var workerID: String { transport.identity.description }

    /// Encodes and sends one message.
    func send(_ message: WireMessage) async throws(WorkerError) {
        let frames: [[UInt8]]
        do { frames = try codec.encode(message, senderID: workerID) } catch {
            throw .protocolViolation("cannot encode \(message.name): \(error)")
        }
        do { try await transport.send(frames.map(Frame.init)) } catch {
            throw .transport(error.description)
        }
    }

    /// The next valid reply within `timeout`, or nil when none came.
    ///
    /// Invalid replies are skipped (the learner is untrusted too); heartbeats are returned like any message.
    func next(within timeout: Duration) async throws(WorkerError) -> WireMessage? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let remaining = deadline - clock.now
            guard remaining > .zero else { return nil }
            let frames: Multipart?
            do { frames = try await transport.receive(within: remaining) } catch {
                throw .transport(error.description)
            }
            guard let frames else { return nil }
            if let message = try? codec.decode(frames.map(\.bytes)).message { return message }
        }
    }
}
