// CURVE key pairs (Curve25519, through libzmq) in the Z85 text form that libzmq and key files use.

import CZeroMQ

/// A CURVE key pair, each key as 40 characters of Z85 text.
public struct CurveKeyPair: Sendable, Equatable {
    /// The public key, shared with peers.
    public let publicKey: String
    /// The secret key, kept in a file only its owner may read.
    public let secretKey: String

    /// A new random key pair.
    /// - Returns: the pair.
    /// - Throws: `CurveKeyError.unsupported` when libzmq has no CURVE.
    public static func generate() throws(CurveKeyError) -> CurveKeyPair {
        guard zmq_has("curve") != 0 else { throw .unsupported }
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else { throw .unsupported }
        return CurveKeyPair(publicKey: Self.string(publicText), secretKey: Self.string(secretText))
    }

    /// The pair of a secret key; the public key is derived from it.
    /// - Parameters:
    ///   - secretKey: 40 characters of Z85.
    ///   - source: where the key came from, for error messages.
    /// - Throws: `CurveKeyError.invalidKey` or `.unsupported`.
    public init(secretKey: String, source: String = "secret key") throws(CurveKeyError) {
        try Self.validate(secretKey, source: source)
        guard zmq_has("curve") != 0 else { throw .unsupported }
        var publicText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicText, secretKey) == 0 else { throw .unsupported }
        self.init(publicKey: Self.string(publicText), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Checks that `key` is 40 characters of Z85 encoding 32 bytes.
    /// - Parameters:
    ///   - key: the text.
    ///   - source: where it came from, for the error message.
    /// - Throws: `CurveKeyError.invalidKey`.
    public static func validate(_ key: String, source: String) throws(CurveKeyError) {
        guard key.utf8.count == 40 else {
            throw .invalidKey(source: source, reason: "\(key.utf8.count) characters, expected 40 (Z85)")
        }
        var decoded = [UInt8](repeating: 0, count: 32)
        guard zmq_z85_decode(&decoded, key) != nil else {
            throw .invalidKey(source: source, reason: "characters outside the Z85 alphabet")
        }
    }

    /// The key as the null-terminated bytes that `zmq_setsockopt` takes for a Z85 key.
    static func optionBytes(_ key: String) -> [UInt8] {
        Array(key.utf8) + [0]
    }

    private static func string(_ text: [CChar]) -> String {
        String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The learner's CURVE settings: its key pair, and the public keys of the workers it admits.
public struct CurveServerSecurity: Sendable, Equatable {
    /// The learner's keys; workers need its public key.
    public var keyPair: CurveKeyPair
    /// Workers whose public key is not here are refused.
    public var allowedClientKeys: Set<String>

    /// Server settings.
    /// - Parameters:
    ///   - keyPair: the learner's keys.
    ///   - allowedClientKeys: the admitted workers' public keys.
    public init(keyPair: CurveKeyPair, allowedClientKeys: Set<String>) {
        self.keyPair = keyPair
        self.allowedClientKeys = allowedClientKeys
    }
}

/// A worker's CURVE settings: the learner's public key and the worker's own pair.
public struct CurveClientSecurity: Sendable, Equatable {
    /// The learner's public key; a server with another key fails the handshake.
    public var serverPublicKey: String
    /// The worker's keys; the learner must list its public key.
    public var keyPair: CurveKeyPair

    /// Client settings.
    /// - Parameters:
    ///   - serverPublicKey: the learner's public key.
    ///   - keyPair: the worker's keys.
    public init(serverPublicKey: String, keyPair: CurveKeyPair) {
        self.serverPublicKey = serverPublicKey
        self.keyPair = keyPair
    }
}
