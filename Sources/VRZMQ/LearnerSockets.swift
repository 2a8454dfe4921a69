// The learner's sockets (ROUTER + PUB + a monitor) and what its loop thread does with them.

import CZeroMQ
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

    let router: ZMQSocket
    let publisher: ZMQSocket
    /// Thread-safe: filled by the loop, drained by `receive()`.
    let inbox: MessageQueue<PeerMessage>
    private let monitor: ZMQSocket
    private let events: AsyncStream<PeerEvent>.Continuation
    private var peerByDescriptor: [Int32: PeerID] = [:]
    private var descriptorByPeer: [PeerID: Int32] = [:]

    /// Creates, configures and binds the sockets.
    init(
        context: ZMQContext, configuration: TransportConfiguration, waker: Waker,
        events: AsyncStream<PeerEvent>.Continuation
    ) throws(TransportError) {
        self.events = events
        inbox = MessageQueue(byteBudget: configuration.receiveHighWaterMarkBytes) { waker.signal() }
        do {
            router = try ZMQSocket(context: context, type: .router)
            try router.applyTransportOptions(configuration, messageBytes: configuration.requestMessageBytes)
            // Sends to a departed worker fail with EHOSTUNREACH instead of vanishing; a full one gives EAGAIN.
            try router.setOption(ZMQ_ROUTER_MANDATORY, 1)
            // A reconnecting worker takes its identity over even before the old connection is known dead.
            try router.setOption(ZMQ_ROUTER_HANDOVER, 1)
            publisher = try ZMQSocket(context: context, type: .publisher)
            try publisher.applyTransportOptions(configuration, messageBytes: configuration.publishMessageBytes)
            let monitorEndpoint = "inproc://vr-learner-monitor"
            try router.monitor(endpoint: monitorEndpoint, events: ZMQ_EVENT_DISCONNECTED)
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
        inbox.hasSpace ? [monitor, router] : [monitor]
    }

    func receive(from socket: ZMQSocket) {
        if socket === monitor {
            receiveMonitorEvents()
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
        router.close()
        publisher.close()
    }
}
