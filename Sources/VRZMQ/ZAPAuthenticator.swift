// The ZAP handler (ZeroMQ RFC 27) that admits CURVE clients by public key, on the learner's socket thread.

import CZeroMQ
import VRTransport

/// Answers libzmq's authentication requests for the learner's sockets.
///
/// A CURVE client whose public key is in the allowlist gets status 200, anything else 400. Confined to the
/// socket loop's thread.
final class ZAPAuthenticator {
    /// The inproc endpoint that libzmq sends a context's ZAP requests to.
    static let endpoint = "inproc://zeromq.zap.01"
    /// The ZAP domain of the learner's sockets.
    static let domain = "vr"

    let socket: ZMQSocket
    private let allowed: Set<String>
    private let onRefusal: (_ address: String, _ reason: String) -> Void

    /// Binds the handler in `context`; it must exist before any secured socket binds.
    /// - Parameters:
    ///   - context: the learner's context.
    ///   - allowed: the admitted public keys (Z85).
    ///   - onRefusal: told the peer's address and why, for every refused connection.
    /// - Throws: `ZMQError` when the endpoint is taken (another handler in the same context).
    init(
        context: ZMQContext, allowed: Set<String>,
        onRefusal: @escaping (_ address: String, _ reason: String) -> Void
    ) throws(ZMQError) {
        socket = try ZMQSocket(context: context, type: .reply)
        try socket.setOption(ZMQ_LINGER, 0)
        try socket.bind(Self.endpoint)
        self.allowed = allowed
        self.onRefusal = onRefusal
    }

    /// Answers every queued request.
    func answerRequests() {
        while let (frames, _) = try? socket.receiveMultipart(dontWait: true) {
            _ = try? socket.send(reply(to: frames), dontWait: true)
        }
    }

    /// The reply to one request: version, request id, status code, status text, user id, metadata.
    private func reply(to request: Multipart) -> Multipart {
        // version, request id, domain, address, routing id, mechanism, credentials...
        let requestID = request.count > 1 ? request[1] : Frame([])
        guard request.count >= 6 else {
            return [Frame("1.0"), requestID, Frame("500"), Frame("malformed ZAP request"), Frame(""), Frame([])]
        }
        let address = String(decoding: request[3].bytes, as: UTF8.self)
        let mechanism = String(decoding: request[5].bytes, as: UTF8.self)
        let reason: String
        if mechanism == "CURVE", request.count >= 7, request[6].count == 32 {
            let key = Self.z85(request[6].bytes)
            if allowed.contains(key) {
                return [Frame("1.0"), requestID, Frame("200"), Frame("OK"), Frame(key), Frame([])]
            }
            reason = "public key \(key) is not in the allowlist"
        } else {
            reason = "mechanism \(mechanism) instead of CURVE"
        }
        onRefusal(address, reason)
        return [Frame("1.0"), requestID, Frame("400"), Frame(reason), Frame(""), Frame([])]
    }

    private static func z85(_ bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: 41)
        _ = zmq_z85_encode(&text, bytes, bytes.count)
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
