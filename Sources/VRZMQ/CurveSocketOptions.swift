// CURVE options on a socket: a learner's sockets are servers, a worker's are clients.

import CZeroMQ

extension ZMQSocket {
    /// Makes this (binding) socket a CURVE server whose clients are checked by the context's ZAP handler
    /// (`ZAPAuthenticator`, which must be bound first: without one, libzmq admits every CURVE client).
    /// - Parameter security: the learner's keys.
    /// - Throws: `ZMQError`.
    func secure(_ security: CurveServerSecurity) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVER, 1)
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: CurveKeyPair.optionBytes(security.keyPair.secretKey))
        try setOption(ZMQ_ZAP_DOMAIN, bytes: Array(ZAPAuthenticator.domain.utf8))
    }

    /// Makes this (connecting) socket a CURVE client of the server with the given public key.
    /// - Parameter security: the learner's public key and the worker's keys.
    /// - Throws: `ZMQError`.
    func secure(_ security: CurveClientSecurity) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVERKEY, bytes: CurveKeyPair.optionBytes(security.serverPublicKey))
        try setOption(ZMQ_CURVE_PUBLICKEY, bytes: CurveKeyPair.optionBytes(security.keyPair.publicKey))
        try setOption(ZMQ_CURVE_SECRETKEY, bytes: CurveKeyPair.optionBytes(security.keyPair.secretKey))
    }
}
