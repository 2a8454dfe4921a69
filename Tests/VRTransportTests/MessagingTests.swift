// Request/reply, routing, publishing and ordering, run against the in-process twin and ZeroMQ over loopback.

import Testing
import VRTestSupport
import VRTransport

@Suite("messaging", .timeLimit(.minutes(2)))
struct MessagingTests {
    @Test("a worker's request reaches the learner and the reply comes back", arguments: TransportKind.allCases)
    func requestReplyRoundTrip(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("worker-1")
            try await worker.send(message("hello", "header", "body"))
            let request = try await cluster.learner.receive()
            #expect(request.peer == worker.identity)
            #expect(texts(request.frames) == ["hello", "header", "body"])
            try await cluster.learner.send(message("welcome"), to: request.peer)
            #expect(try await texts(worker.receive()) == ["welcome"])
        }
    }

    @Test("replies are routed to the worker they are addressed to", arguments: TransportKind.allCases)
    func routing(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let first = try cluster.worker("worker-a")
            let second = try cluster.worker("worker-b")
            try await first.send(message("from a"))
            try await second.send(message("from b"))
            var senders: [PeerID: String] = [:]
            for _ in 0..<2 {
                let request = try await cluster.learner.receive()
                senders[request.peer] = texts(request.frames)[0]
            }
            #expect(senders == [first.identity: "from a", second.identity: "from b"])
            try await cluster.learner.send(message("for b"), to: second.identity)
            try await cluster.learner.send(message("for a"), to: first.identity)
            #expect(try await texts(first.receive()) == ["for a"])
            #expect(try await texts(second.receive()) == ["for b"])
        }
    }

    @Test("a publication reaches every subscribed worker", arguments: TransportKind.allCases)
    func publishReachesSubscribers(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let workers = [try cluster.worker("sub-1"), try cluster.worker("sub-2")]
            let done = Counter()
            let receivers = workers.map { worker in
                Task {
                    defer { done.increment() }
                    return try await worker.receivePublication()
                }
            }
            // PUB/SUB slow joiner: a subscription takes effect some time after connecting, so publish until
            // every subscriber has a message (bounded by withCluster's time limit).
            var round = 0
            while done.value < workers.count {
                round += 1
                try await cluster.learner.publish(message("parameters", "version \(round)"))
                try await Task.sleep(for: .milliseconds(20))
            }
            for receiver in receivers {
                #expect(try await texts(receiver.value)[0] == "parameters")
            }
        }
    }

    @Test("messages published in one call arrive whole and in order", arguments: TransportKind.allCases)
    func publishSequence(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("sequence")
            let subscribed = Counter()
            // Fewer than the publish high-water mark (256 MiB / 1 MiB typical messages), so PUB drops none.
            let count = 200
            let receiving = Task {
                var sequence: [Int] = []
                for await frames in worker.publications {
                    let text = texts(frames)
                    if text == ["probe"] {
                        subscribed.increment()
                        continue
                    }
                    sequence.append(Int(text[0]) ?? -1)
                    #expect(text.count == 2 && text[1] == "payload \(text[0])")
                    if sequence.count == count { break }
                }
                return sequence
            }
            while subscribed.value == 0 {
                try await cluster.learner.publish(message("probe"))
                try await Task.sleep(for: .milliseconds(20))
            }
            try await cluster.learner.publish(contentsOf: (0..<count).map { message("\($0)", "payload \($0)") })
            #expect(await receiving.value == Array(0..<count))
        }
    }

    @Test("a late subscriber misses earlier publications", arguments: TransportKind.allCases)
    func lateSubscriberMissesEarlierPublications(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            try await cluster.learner.publish(message("before anyone subscribed"))
            let worker = try cluster.worker("late")
            let done = Counter()
            let receiver = Task {
                defer { done.increment() }
                return try await worker.receivePublication()
            }
            while done.value == 0 {
                try await cluster.learner.publish(message("after"))
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await texts(receiver.value) == ["after"])
        }
    }

    @Test("1,000 small messages arrive in order in both directions", arguments: TransportKind.allCases)
    func ordering(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("ordered")
            let count = 1_000
            let receiving = Task {
                var sequence: [Int] = []
                for _ in 0..<count { sequence.append(Int(texts(try await cluster.learner.receive().frames)[0]) ?? -1) }
                return sequence
            }
            for index in 0..<count { try await worker.send(message("\(index)", "payload")) }
            #expect(try await receiving.value == Array(0..<count))

            let replies = Task {
                var sequence: [Int] = []
                for _ in 0..<count { sequence.append(Int(texts(try await worker.receive())[0]) ?? -1) }
                return sequence
            }
            for index in 0..<count { try await cluster.learner.send(message("\(index)"), to: worker.identity) }
            #expect(try await replies.value == Array(0..<count))
        }
    }

    @Test("the message streams deliver in order and end when the transport closes", arguments: TransportKind.allCases)
    func streams(kind: TransportKind) async throws {
        try await withCluster(kind) { cluster in
            let worker = try cluster.worker("streaming")
            for index in 0..<3 { try await worker.send(message("\(index)")) }
            var received: [String] = []
            for await request in cluster.learner.messages {
                received.append(texts(request.frames)[0])
                if received.count == 3 { break }
            }
            #expect(received == ["0", "1", "2"])
            let replies = Counter()
            let collecting = Task {
                for await _ in worker.replies { replies.increment() }
                return replies.value
            }
            try await cluster.learner.send(message("only"), to: worker.identity)
            try await eventually { replies.value == 1 }
            await worker.close()
            #expect(await collecting.value == 1)
        }
    }
}
