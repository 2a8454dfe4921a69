// `vr keys`: a CURVE key pair for a learner or a worker.

import ArgumentParser
import VRZMQ

/// Creates NAME.key (secret, mode 0600) and NAME.pub in a directory.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create a CURVE key pair: NAME.key (secret, mode 0600) and NAME.pub (public).",
        discussion: """
            The learner takes its own NAME.key (--curve-secret-key) and a file listing the workers' public keys, \
            one per line (--curve-allowed-workers); each worker takes its own NAME.key (--curve-secret-key) and \
            the learner's NAME.pub (--curve-learner-key). Existing files are never overwritten.
            """)

    @Option(help: "The directory to write into (it must exist).")
    var directory = "."

    @Option(help: "The file stem, such as learner or worker-1.")
    var name: String

    func run() throws {
        let pair: CurveKeyPair
        let paths: (secret: String, public: String)
        do {
            pair = try CurveKeyPair.generate()
            paths = try CurveKeyFiles.write(pair, directory: directory, name: name)
        } catch {
            throw ValidationError(error.description)
        }
        printProgress("wrote \(paths.secret) (secret) and \(paths.public) (public key \(pair.publicKey))")
    }
}
