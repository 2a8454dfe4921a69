// CURVE keys for the workers a command starts on its own machine, when its learner admits only listed keys.

import Foundation
import VRZMQ

/// A fresh worker key pair that the learner admits, written with the learner's public key into a private
/// temporary directory, for the worker processes a command starts itself.
struct LocalWorkerKeys {
    /// The directory (mode 0700) holding `local-worker.key` and `learner.pub`.
    let directory: String
    /// The `vr worker` arguments that use the keys.
    let workerArguments: [String]

    /// Makes the keys and adds the workers' public key to the learner's allowlist.
    /// - Parameter server: the learner's CURVE settings; its allowlist gains the new key.
    /// - Throws: `CurveKeyError` when the keys cannot be made or written.
    init(admittedBy server: inout CurveServerSecurity) throws {
        let pair = try CurveKeyPair.generate()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vr-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let secret = try CurveKeyFiles.write(pair, directory: directory, name: "local-worker").secret
        let learnerKey = directory + "/learner.pub"
        try Data("# vr CURVE public key\n\(server.keyPair.publicKey)\n".utf8).write(
            to: URL(fileURLWithPath: learnerKey), options: .atomic)
        server.allowedClientKeys.insert(pair.publicKey)
        workerArguments = ["--curve-secret-key", secret, "--curve-learner-key", learnerKey]
    }

    /// Deletes the keys.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
