// A worker's sockets (DEALER + SUB + a monitor) and what its loop thread does with them.

import CZeroMQ
import Synchronization
import VRTransport

/// A worker's sockets and receive queues; sockets are confined to the loop thread.
final class WorkerSockets: SocketLoopHandler, @unchecked Sendable {
    /// The most messages read per socket per poll, so that sends and other sockets get their turn.
    private static let receiveBatch = 256

    let dealer: ZMQSocket
    /// Thread-safe: the learner's replies.
    let replies: MessageQueue<Multipart>
    /// Thread-safe: the learner's publications.
    let publications: MessageQueue<Multipart>
    /// Thread-safe: whether the DEALER has a connection that finished its handshake.
    let isConnected = Atomic(false)
    private let subscriber: ZMQSocket
    private let monitor: ZMQSocket
    private let events: AsyncStream<ConnectionEvent>.Continuation

    /// Creates, configures and connects the sockets; libzmq connects in the background and reconnects.
    ///
    /// With `security`, both sockets are CURVE clients of the learner.
    init(
        context: ZMQContext, identity: PeerID, configuration: TransportConfiguration,
        security: CurveClientSecurity?, waker: Waker,
        events: AsyncStream<ConnectionEvent>.Continuation
    ) throws(TransportError) {
        self.events = events
        replies = MessageQueue(byteBudget: configuration.receiveHighWaterMarkBytes) { waker.signal() }
        publications = MessageQueue(byteBudget: configuration.receiveHighWaterMarkBytes) { waker.signal() }
        do {
            dealer = try ZMQSocket(context: context, type: .dealer)
            try dealer.applyTransportOptions(configuration, messageBytes: configuration.requestMessageBytes)
            try dealer.applyReconnectOptions(configuration)
            try dealer.setOption(ZMQ_ROUTING_ID, bytes: identity.bytes)
            // Queue only on connections that are up, so sends wait (and time out) rather than pile up.
            try dealer.setOption(ZMQ_IMMEDIATE, 1)
            subscriber = try ZMQSocket(context: context, type: .subscriber)
            try subscriber.applyTransportOptions(configuration, messageBytes: configuration.publishMessageBytes)
            try subscriber.applyReconnectOptions(configuration)
            try subscriber.subscribe()
            if let security {
                try dealer.secure(security)
                try subscriber.secure(security)
            }
            let monitorEndpoint = "inproc://vr-worker-monitor"
            try dealer.monitor(
                endpoint: monitorEndpoint, events: ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED)
            monitor = try ZMQSocket(context: context, type: .pair)
            try monitor.setOption(ZMQ_LINGER, 0)
            try monitor.connect(monitorEndpoint)
        } catch {
            throw error.transportError()
        }
        try connect(dealer, configuration.requestEndpoint)
        try connect(subscriber, configuration.publishEndpoint)
    }

    private func connect(_ socket: ZMQSocket, _ endpoint: String) throws(TransportError) {
        do {
            try socket.connect(endpoint)
        } catch {
            throw TransportError(
                .endpoint(endpoint), hint: "could not connect to \(endpoint): \(error.message); check the address")
        }
    }

    func readableSockets() -> [ZMQSocket] {
        var sockets = [monitor]
        if replies.hasSpace { sockets.append(dealer) }
        if publications.hasSpace { sockets.append(subscriber) }
        return sockets
    }

    func receive(from socket: ZMQSocket) {
        if socket === monitor {
            receiveMonitorEvents()
            return
        }
        let queue = socket === dealer ? replies : publications
        for _ in 0..<Self.receiveBatch {
            guard queue.hasSpace, let (frames, _) = try? socket.receiveMultipart(dontWait: true) else { return }
            queue.push(frames)
        }
    }

    private func receiveMonitorEvents() {
        while let event = try? monitor.receiveMonitorEvent(dontWait: true) {
            let connected = event.event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED
            guard connected || event.event == ZMQ_EVENT_DISCONNECTED else { continue }
            if isConnected.exchange(connected, ordering: .sequentiallyConsistent) != connected {
                events.yield(connected ? .connected : .disconnected)
            }
        }
    }

    func shutDown() {
        replies.close()
        publications.close()
        // Like the in-process twin, closing ends the event stream without a final `.disconnected`.
        isConnected.store(false, ordering: .sequentiallyConsistent)
        events.finish()
        try? dealer.monitor(endpoint: nil, events: 0)
        monitor.close()
        dealer.close()
        subscriber.close()
    }
}
