// The socket wrapper on its own: zero-copy hand-over, high-water marks, ROUTER_MANDATORY, monitor events.

import CZeroMQ
import Testing
import VRTransport
import VRZMQ

#if canImport(Glibc)
    import Glibc
#endif

@Suite("ZMQ socket wrapper", .timeLimit(.minutes(1)))
struct ZMQSocketTests {
    /// A connected PAIR of inproc sockets in a fresh context, with LINGER 0 so the context terminates at once.
    static func pair(sendHWM: Int32 = 1_000, receiveHWM: Int32 = 1_000) throws -> (ZMQSocket, ZMQSocket) {
        let context = try ZMQContext()
        let receiver = try ZMQSocket(context: context, type: .pair)
        let sender = try ZMQSocket(context: context, type: .pair)
        for socket in [receiver, sender] { try socket.setOption(ZMQ_LINGER, 0) }
        try receiver.setOption(ZMQ_RCVHWM, receiveHWM)
        try sender.setOption(ZMQ_SNDHWM, sendHWM)
        try receiver.bind("inproc://pair")
        try sender.connect("inproc://pair")
        return (sender, receiver)
    }

    @Test("byte budgets map to message counts: max(1, budget / typical message)")
    func highWaterMarkMapping() {
        #expect(HighWaterMark.messages(budgetBytes: 256 << 20, messageBytes: 1 << 20) == 256)
        #expect(HighWaterMark.messages(budgetBytes: 256 << 10, messageBytes: 64 << 10) == 4)
        #expect(HighWaterMark.messages(budgetBytes: 1, messageBytes: 16 << 20) == 1)
        #expect(HighWaterMark.messages(budgetBytes: Int.max, messageBytes: 1) == Int32.max)
    }

    @Test("a large frame crosses inproc without a copy, and libzmq releases it afterwards")
    func zeroCopyOverInproc() throws {
        let (sender, receiver) = try Self.pair()
        weak var released: SharedBytes?
        let address: UnsafeRawPointer?
        do {
            let frame = Frame(count: 1 << 20) { $0.initializeMemory(as: UInt8.self, repeating: 42) }
            released = frame.storage
            address = frame.withUnsafeBytes { $0.baseAddress }
            try sender.send(frame)
        }
        #expect(released != nil)  // libzmq holds it through the message's hint
        let received = try #require(try receiver.receiveFrame())
        #expect(received.frame.withUnsafeBytes { $0.baseAddress } == address)  // the very same bytes
        #expect(received.frame.count == 1 << 20)
        #expect(!received.hasMore)
        _ = consume received
        #expect(released == nil)  // closing the receiver's message ran the free callback
    }

    @Test("small frames are copied and multipart messages arrive whole")
    func multipart() throws {
        let (sender, receiver) = try Self.pair()
        let frames = [Frame("a"), Frame([]), Frame([UInt8](repeating: 3, count: 100_000))]
        try sender.send(frames)
        let (received, _) = try #require(try receiver.receiveMultipart())
        #expect(received == frames)
        #expect(try receiver.receiveMultipart(dontWait: true) == nil)
    }

    @Test("sends beyond SNDHWM + RCVHWM report would-block instead of queueing")
    func highWaterMark() throws {
        let (sender, receiver) = try Self.pair(sendHWM: 5, receiveHWM: 5)
        var queued = 0
        while try sender.send(Frame("m"), dontWait: true) {
            queued += 1
            if queued > 100 { break }
        }
        #expect(queued == 10)
        _ = try receiver.receiveFrame()
        receiver.close()
        sender.close()
    }

    @Test("a ROUTER with ROUTER_MANDATORY refuses unknown peers with EHOSTUNREACH")
    func routerMandatory() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(context: context, type: .router)
        try router.setOption(ZMQ_LINGER, 0)
        try router.setOption(ZMQ_ROUTER_MANDATORY, 1)
        try router.bind("tcp://127.0.0.1:*")
        #expect(try router.lastEndpoint().hasPrefix("tcp://127.0.0.1:"))
        #expect {
            try router.send([Frame("hi")], routingID: Array("ghost".utf8), dontWait: true)
        } throws: { error in
            (error as? ZMQError)?.code == EHOSTUNREACH
        }
    }

    @Test("monitor events decode from their two unaligned frames")
    func monitorEventDecoding() throws {
        var header = [UInt8](repeating: 0, count: 6)
        header.withUnsafeMutableBytes {
            $0.storeBytes(of: UInt16(ZMQ_EVENT_DISCONNECTED), toByteOffset: 0, as: UInt16.self)
            $0.storeBytes(of: UInt32(17), toByteOffset: 2, as: UInt32.self)
        }
        let event = try #require(ZMQMonitorEvent(frames: [Frame(header), Frame("tcp://127.0.0.1:5555")]))
        #expect(event.event == ZMQ_EVENT_DISCONNECTED)
        #expect(event.value == 17)
        #expect(event.endpoint == "tcp://127.0.0.1:5555")
        #expect(ZMQMonitorEvent(frames: [Frame("short")]) == nil)
    }

    @Test("binding an endpoint in use fails with a hint")
    func bindConflict() async throws {
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = "tcp://127.0.0.1:*"
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.lingerMilliseconds = 0
        let first = try ZMQLearnerTransport(configuration: configuration)
        configuration.requestEndpoint = first.requestEndpoint
        #expect {
            _ = try ZMQLearnerTransport(configuration: configuration)
        } throws: { error in
            (error as? TransportError)?.code == .endpoint(first.requestEndpoint)
        }
        await first.close()
    }
}
