// The learner's sockets (ROUTER + PUB + a monitor) and what its loop thread does with them.

import CZeroMQ
import Synchronization
import VRTransport

/// The learner's sockets and receive queue; sockets and peer maps are confined to the loop thread.
///
/// Departures: the ROUTER's monitor reports `ZMQ_EVENT_DISCONNECTED` with the connection's file descriptor,
/// and every received message carries the descriptor it arrived on (`ZMQ_SRCFD`), so the loop remembers which
/// worker uses which connection and turns a disconnect into `PeerEvent.disconnected(peer)`. That reports
/// workers that sent at least one message since they connected; it is advisory.
final class LearnerSockets: SocketLoopHandler, @unchecked Sendable {
    /// The most messages read per socket per poll, so that sends and other sockets get their turn.
    private static let receiveBatch = 256
    /// Monitor events of a connection that failed its handshake (ZAP refusals are counted by the handler).
    private static let handshakeFailures = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL

    let router: ZMQSocket
    let publisher: ZMQSocket
    /// Thread-safe: filled by the loop, drained by `receive()`.
    let inbox: MessageQueue<PeerMessage>
    /// Thread-safe: connections refused during the handshake (see `ZAPAuthenticator`).
    let refusals = RefusalCounter()
    private let monitor: ZMQSocket
    private let authenticator: ZAPAuthenticator?
    private let events: AsyncStream<PeerEvent>.Continuation
    private var peerByDescriptor: [Int32: PeerID] = [:]
    private var descriptorByPeer: [PeerID: Int32] = [:]

    /// Creates, configures and binds the sockets; with `security`, both are CURVE servers that admit only the
    /// listed workers.
    init(
        context: ZMQContext, configuration: TransportConfiguration, security: CurveServerSecurity?, waker: Waker,
        events: AsyncStream<PeerEvent>.Continuation
    ) throws(TransportError) {
        self.events = events
        inbox = MessageQueue(byteBudget: configuration.receiveHighWaterMarkBytes) { waker.signal() }
        let refusals = refusals
        do {
            // The handler must be bound before a secured socket accepts its first connection.
            authenticator = try security.map { security throws(ZMQError) in
                try ZAPAuthenticator(context: context, allowed: security.allowedClientKeys) { address, reason in
                    refusals.add()
                    events.yield(.refused(address: address, reason: reason))
                }
            }
            router = try ZMQSocket(context: context, type: .router)
            try router.applyTransportOptions(configuration, messageBytes: configuration.requestMessageBytes)
            // Untrusted peers may send every message at the frame limit: libzmq then holds at most the receive
            // budget per connection, whatever the typical size (docs/protocol.md, "Frames over the limit").
            try router.setOption(
                ZMQ_RCVHWM,
                HighWaterMark.messages(
                    budgetBytes: configuration.receiveHighWaterMarkBytes, messageBytes: configuration.maximumFrameBytes)
            )
            // Sends to a departed worker fail with EHOSTUNREACH instead of vanishing; a full one gives EAGAIN.
            try router.setOption(ZMQ_ROUTER_MANDATORY, 1)
            // A reconnecting worker takes its identity over even before the old connection is known dead.
            try router.setOption(ZMQ_ROUTER_HANDOVER, 1)
            publisher = try ZMQSocket(context: context, type: .publisher)
            try publisher.applyTransportOptions(configuration, messageBytes: configuration.publishMessageBytes)
            let monitorEndpoint = "inproc://vr-learner-monitor"
            if let security {
                try router.secure(security)
                try publisher.secure(security)
            }
            try router.monitor(
                endpoint: monitorEndpoint, events: ZMQ_EVENT_DISCONNECTED | Self.handshakeFailures)
            monitor = try ZMQSocket(context: context, type: .pair)
            try monitor.setOption(ZMQ_LINGER, 0)
            try monitor.connect(monitorEndpoint)
        } catch {
            throw error.transportError()
        }
        try bind(router, configuration.requestEndpoint)
        try bind(publisher, configuration.publishEndpoint)
    }

    private func bind(_ socket: ZMQSocket, _ endpoint: String) throws(TransportError) {
        do {
            try socket.bind(endpoint)
        } catch {
            throw TransportError(
                .endpoint(endpoint),
                hint: "could not bind \(endpoint): \(error.message); is another learner running there? Use port * "
                    + "for any free port")
        }
    }

    func readableSockets() -> [ZMQSocket] {
        let sockets = inbox.hasSpace ? [monitor, router] : [monitor]
        return sockets + (authenticator.map { [$0.socket] } ?? [])
    }

    func receive(from socket: ZMQSocket) {
        if socket === monitor {
            receiveMonitorEvents()
            return
        }
        if let authenticator, socket === authenticator.socket {
            authenticator.answerRequests()
            return
        }
        for _ in 0..<Self.receiveBatch {
            guard inbox.hasSpace, let (frames, descriptor) = try? router.receiveMultipart(dontWait: true) else {
                return
            }
            guard frames.count >= 2 else { continue }  // a routing id without a body: nothing to deliver
            let peer = PeerID(received: frames[0].bytes)
            remember(peer, on: descriptor)
            inbox.push(PeerMessage(peer: peer, frames: Array(frames.dropFirst())))
        }
    }

    private func remember(_ peer: PeerID, on descriptor: Int32) {
        guard descriptor >= 0, descriptorByPeer[peer] != descriptor else { return }
        if let old = descriptorByPeer.updateValue(descriptor, forKey: peer) {
            peerByDescriptor[old] = nil
        }
        peerByDescriptor[descriptor] = peer
    }

    private func receiveMonitorEvents() {
        while let event = try? monitor.receiveMonitorEvent(dontWait: true) {
            if event.event & Self.handshakeFailures != 0 {
                refusals.add()
                let detail =
                    event.event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                    ? "ZMTP error 0x\(String(UInt32(bitPattern: event.value), radix: 16))" : "errno \(event.value)"
                events.yield(.refused(address: event.endpoint, reason: "handshake failed (\(detail))"))
                continue
            }
            guard event.event == ZMQ_EVENT_DISCONNECTED, let peer = peerByDescriptor.removeValue(forKey: event.value)
            else { continue }
            descriptorByPeer[peer] = nil
            events.yield(.disconnected(peer))
        }
    }

    func shutDown() {
        inbox.close()
        events.finish()
        try? router.monitor(endpoint: nil, events: 0)
        monitor.close()
        authenticator?.socket.close()
        router.close()
        publisher.close()
    }
}

/// Connections refused during the handshake: counted on the socket thread, read from any thread.
final class RefusalCounter: Sendable {
    private let count = Atomic(0)

    /// Counts one refusal.
    func add() { count.add(1, ordering: .relaxed) }

    /// The refusals so far.
    var value: Int { count.load(ordering: .relaxed) }
}
