// Large multipart messages (parameter snapshots): byte-exact delivery and zero-copy hand-over.

import Synchronization
import Testing
import VRTestSupport
import VRTransport

@Suite("large messages", .timeLimit(.minutes(2)))
struct LargeMessageTests {
    /// 16 MiB, the largest raw frame a parameter snapshot uses.
    static let frameBytes = 16 << 20

    /// A frame whose 64-bit words encode (frame index, word index), so a misplaced or stale byte shows.
    static func patternFrame(_ index: Int) -> Frame {
        Frame(count: frameBytes) { buffer in
            let words = buffer.bindMemory(to: UInt64.self)
            for word in words.indices { words[word] = UInt64(index) << 56 | UInt64(word) }
        }
    }

    final class WeakBytes: @unchecked Sendable {
        weak var value: SharedBytes?
        init(_ value: SharedBytes) { self.value = value }
    }

    @Test("3 frames of 16 MiB cross byte-exact both ways, without copies on send", arguments: TransportKind.allCases)
    func largeMultipartRoundTrip(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("bulk")
            let expected = [Frame("snapshot header")] + (0..<3).map(Self.patternFrame)

            // Worker to learner. The sender keeps only weak references, so the buffers' release shows that
            // libzmq's free callback ran (ZeroMQ) or that the receiver holds the very same buffers (in-process).
            let sentToLearner = try await Self.sendDroppingReferences(expected.count) { frames in
                try await worker.send(frames)
            }
            let request = try await cluster.learner.receive()
            #expect(request.frames == expected)
            try await Self.expectZeroCopy(kind, sent: sentToLearner, received: request.frames)

            // Learner to worker.
            let sentToWorker = try await Self.sendDroppingReferences(expected.count) { frames in
                try await cluster.learner.send(frames, to: worker.identity)
            }
            let reply = try await worker.receive()
            #expect(reply == expected)
            try await Self.expectZeroCopy(kind, sent: sentToWorker, received: reply)
        }
    }

    /// Builds the message, sends it and returns weak references to its buffers.
    static func sendDroppingReferences(
        _ count: Int, _ send: (Multipart) async throws -> Void
    ) async throws -> [WeakBytes] {
        let frames = [Frame("snapshot header")] + (0..<(count - 1)).map(patternFrame)
        try await send(frames)
        return frames.map { WeakBytes($0.storage) }
    }

    static func expectZeroCopy(_ kind: TransportKind, sent: [WeakBytes], received: Multipart) async throws {
        switch kind {
        case .inProcess:
            for (weak, frame) in zip(sent, received) { #expect(weak.value === frame.storage) }
        case .zmq:
            // Large frames were shared with libzmq, which releases them once written to the socket; received
            // large frames are adopted libzmq buffers, not copies of the sender's.
            try await eventually { sent.dropFirst().allSatisfy { $0.value == nil } }
            for (weak, frame) in zip(sent, received) { #expect(weak.value !== frame.storage) }
        }
    }

    @Test("a publication of 3 frames of 16 MiB arrives byte-exact", arguments: TransportKind.allCases)
    func largePublication(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("bulk-subscriber")
            let frames = [Frame("parameters v1")] + (0..<3).map(Self.patternFrame)
            let done = Counter()
            let receiver = Task {
                defer { done.increment() }
                return try await worker.receivePublication()
            }
            // Slow joiner: republish (the same shared buffers, no copies) until the subscriber has one.
            while done.value == 0 {
                try await cluster.learner.publish(frames)
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await receiver.value == frames)
        }
    }
}
