// CURVE security: key pairs and key files, and a learner that admits only the workers it lists.

import Foundation
import Testing
import VRTestSupport
import VRTransport
import VRZMQ

@Suite("CURVE security", .timeLimit(.minutes(1)))
struct CurveSecurityTests {
    @Test("a generated pair's public key is the one derived from its secret key; malformed keys are refused")
    func keyPairs() throws {
        let pair = try CurveKeyPair.generate()
        #expect(pair.publicKey.utf8.count == 40 && pair.secretKey.utf8.count == 40)
        #expect(try CurveKeyPair(secretKey: pair.secretKey) == pair)
        #expect(try CurveKeyPair.generate() != pair)
        #expect(throws: CurveKeyError.invalidKey(source: "k", reason: "39 characters, expected 40 (Z85)")) {
            try CurveKeyPair.validate(String(pair.publicKey.dropLast()), source: "k")
        }
        #expect(throws: CurveKeyError.invalidKey(source: "k", reason: "characters outside the Z85 alphabet")) {
            try CurveKeyPair.validate(String(repeating: "~", count: 39) + "\"", source: "k")
        }
    }

    @Test("key files are written 0600 and 0644 and read back; unsafe, existing or malformed files are refused")
    func keyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-keys-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pair = try CurveKeyPair.generate()
        let (secretPath, publicPath) = try CurveKeyFiles.write(pair, directory: directory, name: "worker")
        #expect(try mode(secretPath) == 0o600)
        #expect(try mode(publicPath) == 0o644)
        #expect(try CurveKeyFiles.readSecret(secretPath) == pair)
        #expect(try CurveKeyFiles.readPublic(publicPath) == pair.publicKey)
        #expect(throws: CurveKeyError.unwritable(path: secretPath, reason: "it exists; keys are never overwritten")) {
            _ = try CurveKeyFiles.write(pair, directory: directory, name: "worker")
        }

        chmod(secretPath, 0o640)
        #expect(throws: CurveKeyError.unsafePermissions(path: secretPath, mode: 0o640)) {
            _ = try CurveKeyFiles.readSecret(secretPath)
        }

        let allowlist = directory + "/allowed"
        try "# workers\n\(pair.publicKey)\n\n\(try CurveKeyPair.generate().publicKey)\n".write(
            toFile: allowlist, atomically: true, encoding: .utf8)
        #expect(try CurveKeyFiles.readAllowlist(allowlist).count == 2)
        try "\(pair.publicKey)\nnot-a-key\n".write(toFile: allowlist, atomically: true, encoding: .utf8)
        #expect(
            throws: CurveKeyError.invalidKey(source: allowlist + ":2", reason: "9 characters, expected 40 (Z85)")
        ) {
            _ = try CurveKeyFiles.readAllowlist(allowlist)
        }
        try "# nobody\n".write(toFile: allowlist, atomically: true, encoding: .utf8)
        #expect(throws: CurveKeyError.unreadable(path: allowlist, reason: "it lists no public keys")) {
            _ = try CurveKeyFiles.readAllowlist(allowlist)
        }
    }

    @Test("the learner admits a listed worker on both channels and refuses and reports an unknown one")
    func admission() async throws {
        let configuration = Self.loopback
        let server = try CurveKeyPair.generate()
        let admitted = try CurveKeyPair.generate()
        let stranger = try CurveKeyPair.generate()
        let learner = try ZMQLearnerTransport(
            configuration: configuration,
            security: CurveServerSecurity(keyPair: server, allowedClientKeys: [admitted.publicKey]))
        let workerConfiguration = learner.workerConfiguration
        let good = try ZMQWorkerTransport(
            identity: try PeerID("good"), configuration: workerConfiguration,
            security: CurveClientSecurity(serverPublicKey: server.publicKey, keyPair: admitted))

        try await withTimeout(seconds: 30) {
            var learnerEvents = learner.events.makeAsyncIterator()
            try await good.send([Frame("hello")])
            #expect(try await learner.receive().frames == [Frame("hello")])
            // The subscription reaches the publisher a moment after the handshake: publish until one arrives.
            let publishing = Task {
                while !Task.isCancelled {
                    try? await learner.publish([Frame("parameters")])
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(try await good.receivePublication() == [Frame("parameters")])
            publishing.cancel()

            let unknown = try ZMQWorkerTransport(
                identity: try PeerID("unknown"), configuration: workerConfiguration,
                security: CurveClientSecurity(serverPublicKey: server.publicKey, keyPair: stranger))
            #expect(await transportErrorCode { try await unknown.send([Frame("let me in")]) } == .timedOut)
            let refusal = await learnerEvents.next()
            guard case .refused(_, let reason) = refusal else {
                Issue.record("expected a refusal, got \(String(describing: refusal))")
                return
            }
            #expect(reason == "public key \(stranger.publicKey) is not in the allowlist")
            await unknown.close()

            // Nothing from the refused workers reached the learner.
            try await good.send([Frame("still here")])
            #expect(try await learner.receive().frames == [Frame("still here")])
        }
        await good.close()
        await learner.close()
    }

    @Test("a worker without CURVE keys fails the handshake with a secured learner and is counted")
    func plainWorker() async throws {
        let configuration = Self.loopback
        let server = try CurveKeyPair.generate()
        let learner = try ZMQLearnerTransport(
            configuration: configuration,
            security: CurveServerSecurity(keyPair: server, allowedClientKeys: [try CurveKeyPair.generate().publicKey]))
        #expect(learner.refusedConnections == 0)
        let plain = try ZMQWorkerTransport(identity: try PeerID("plain"), configuration: learner.workerConfiguration)
        try await withTimeout(seconds: 30) {
            #expect(await transportErrorCode { try await plain.send([Frame("no keys")]) } == .timedOut)
            try await eventually { learner.refusedConnections > 0 }
        }
        await plain.close()
        await learner.close()
    }

    /// Free loopback ports; a refused worker's sends time out quickly and it retries often.
    private static var loopback: TransportConfiguration {
        var configuration = TransportConfiguration()
        configuration.requestEndpoint = "tcp://127.0.0.1:*"
        configuration.publishEndpoint = "tcp://127.0.0.1:*"
        configuration.lingerMilliseconds = 0
        configuration.sendTimeoutMilliseconds = 300
        configuration.reconnectMinimumMilliseconds = 50
        configuration.reconnectMaximumMilliseconds = 200
        return configuration
    }

    private func mode(_ path: String) throws -> UInt16 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require((attributes[.posixPermissions] as? NSNumber)?.uint16Value)
    }
}
