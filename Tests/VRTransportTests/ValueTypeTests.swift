// Frames, shared buffers, identities, the bounded queue and the configuration's JSON form.

import Foundation
import Testing
import VRTransport

@Suite("value types")
struct ValueTypeTests {
    @Test("frames share storage, compare by content and report their bytes")
    func frames() {
        let bytes: [UInt8] = [1, 2, 3, 250]
        let frame = Frame(bytes)
        let copy = frame
        #expect(copy.storage === frame.storage)
        #expect(frame == Frame(bytes))
        #expect(frame != Frame([1, 2, 3]))
        #expect(frame.bytes == bytes)
        #expect(Frame("hi").bytes == [104, 105])
        #expect(Frame([]).isEmpty)
        #expect([frame, Frame("hi")].byteCount == 6)
        #expect(frame.description == "Frame(4 bytes: 01 02 03 fa)")
    }

    @Test("allocated buffers are 64-byte aligned and written once")
    func sharedBytes() {
        let shared = SharedBytes(count: 1_000) { $0.initializeMemory(as: UInt8.self, repeating: 9) }
        #expect(shared.count == 1_000)
        shared.withUnsafeBytes { bytes in
            #expect(Int(bitPattern: bytes.baseAddress) % SharedBytes.alignment == 0)
            #expect(bytes.allSatisfy { $0 == 9 })
        }
        #expect(shared.hasSameBytes(as: SharedBytes(copying: [UInt8](repeating: 9, count: 1_000))))
    }

    @Test("peer identities follow libzmq's rules")
    func peerIdentities() throws {
        #expect(try PeerID("worker-7").description == "worker-7")
        #expect(try PeerID(bytes: [1, 0xff]).description == "0x01ff")
        #expect(throws: TransportError.self) { try PeerID("") }
        #expect(throws: TransportError.self) { try PeerID(bytes: [0, 1]) }
        #expect(throws: TransportError.self) { try PeerID(String(repeating: "x", count: 256)) }
    }

    @Test("the configuration round-trips through JSON, fills in defaults and rejects unknown keys")
    func configurationJSON() throws {
        var configuration = TransportConfiguration()
        configuration.lingerMilliseconds = 5
        configuration.publishEndpoint = "tcp://*:7000"
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(TransportConfiguration.self, from: data) == configuration)
        let partial = try JSONDecoder().decode(
            TransportConfiguration.self, from: Data(#"{"lingerMilliseconds": 7}"#.utf8))
        var expected = TransportConfiguration()
        expected.lingerMilliseconds = 7
        #expect(partial == expected)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TransportConfiguration.self, from: Data(#"{"lingerMs": 7}"#.utf8))
        }
    }

    @Test("validation names the value out of range")
    func configurationValidation() throws {
        try TransportConfiguration().validate()
        var configuration = TransportConfiguration()
        configuration.heartbeatTimeoutMilliseconds = 10
        #expect {
            try configuration.validate()
        } throws: { error in
            let error = try #require(error as? TransportError)
            return error.code == .invalidConfiguration && error.hint.contains("heartbeatTimeoutMilliseconds")
        }
        configuration = TransportConfiguration()
        configuration.publishEndpoint = configuration.requestEndpoint
        #expect(throws: TransportError.self) { try configuration.validate() }
    }
}
