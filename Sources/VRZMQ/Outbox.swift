// Sends waiting on the socket loop thread: one FIFO lane per destination, retried with backoff until sent.

import CZeroMQ
import VRTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sends the loop has not handed to libzmq yet; confined to the loop thread.
///
/// Each destination (a socket, plus the peer for a ROUTER) has its own FIFO lane, so a worker whose queue is
/// full delays only the messages for that worker, and messages to one destination keep their order. A lane
/// whose head meets the high-water mark is retried after a pause that doubles from 1 ms to 20 ms.
struct Outbox {
    private struct Destination: Hashable {
        let socket: ObjectIdentifier
        let peer: PeerID?
    }

    private struct Lane {
        var requests: [SendRequest] = []
        var retryAt: ContinuousClock.Instant?
        var pause: Duration = Backoff.initialPause
    }

    private enum Attempt {
        case sent, wouldBlock
        case failed(TransportError)
    }

    private var lanes: [Destination: Lane] = [:]

    mutating func add(_ request: SendRequest) {
        lanes[Destination(socket: ObjectIdentifier(request.socket), peer: request.peer), default: Lane()]
            .requests.append(request)
    }

    /// Completes the requests with these ids with `.cancelled`; ids of finished requests are ignored.
    mutating func cancel(_ ids: Set<UInt64>) {
        guard !ids.isEmpty else { return }
        for key in Array(lanes.keys) {
            lanes[key]?.requests.removeAll { request in
                guard ids.contains(request.id) else { return false }
                request.complete(.failure(.cancelled()))
                return true
            }
            if lanes[key]?.requests.isEmpty == true { lanes[key] = nil }
        }
    }

    /// Hands every due lane's messages to libzmq until one would block.
    ///
    /// A lane is due when its retry pause is over or its head's deadline has passed. A message times out only
    /// after libzmq refused it at or past its deadline, so a loop thread that ran late never fails a send that
    /// would have gone through.
    mutating func flush(now: ContinuousClock.Instant) {
        for key in Array(lanes.keys) {
            guard var lane = lanes[key], let head = lane.requests.first else {
                lanes[key] = nil
                continue
            }
            if let retryAt = lane.retryAt, retryAt > now, head.deadline > now { continue }
            lane.retryAt = nil
            drain(&lane, now: now)
            lanes[key] = lane.requests.isEmpty ? nil : lane
        }
    }

    private func drain(_ lane: inout Lane, now: ContinuousClock.Instant) {
        while let head = lane.requests.first {
            switch attempt(head) {
            case .sent where head.sentCount + 1 < head.messages.count:
                lane.requests[0].sentCount += 1
                lane.pause = Backoff.initialPause
            case .sent:
                head.complete(.success(()))
                lane.requests.removeFirst()
                lane.pause = Backoff.initialPause
            case .failed(let error):
                head.complete(.failure(error))
                lane.requests.removeFirst()
            case .wouldBlock where head.deadline <= now:
                head.complete(.failure(TransportError(.timedOut, hint: head.timeoutHint)))
                lane.requests.removeFirst()
            case .wouldBlock:
                lane.retryAt = now.advanced(by: lane.pause)
                lane.pause = min(lane.pause * 2, Backoff.maximumPause)
                return
            }
        }
    }

    /// Tries to send the request's next message.
    private func attempt(_ request: SendRequest) -> Attempt {
        let frames = request.messages[request.sentCount]
        do {
            let taken =
                if let peer = request.peer {
                    try request.socket.send(frames, routingID: peer.bytes, dontWait: true)
                } else {
                    try request.socket.send(frames, dontWait: true)
                }
            return taken ? .sent : .wouldBlock
        } catch {
            if error.code == EHOSTUNREACH, let peer = request.peer {
                return .failed(
                    TransportError(.unreachable(peer), hint: "no worker \(peer) is connected; it left or never came"))
            }
            return .failed(error.transportError())
        }
    }

    /// How long the loop may sleep before a lane is due for a retry or a deadline passes; nil when idle.
    func nextWake(after now: ContinuousClock.Instant) -> Duration? {
        var earliest: ContinuousClock.Instant?
        for lane in lanes.values {
            guard let head = lane.requests.first else { continue }
            let due = min(lane.retryAt ?? now, head.deadline)
            earliest = min(earliest ?? due, due)
        }
        return earliest.map { max(.zero, now.duration(to: $0)) }
    }

    /// Completes every waiting request with `error`.
    mutating func failAll(_ error: TransportError) {
        for lane in lanes.values {
            for request in lane.requests { request.complete(.failure(error)) }
        }
        lanes.removeAll()
    }
}
