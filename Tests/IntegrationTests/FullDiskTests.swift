import Foundation
import Testing

/// A learner whose run directory fills up: the checkpoint that does not fit fails with a clear error, and the
/// previous checkpoint stays whole.
///
/// The run directory is a small tmpfs mounted in a private mount namespace of the learner's own (`unshare`), so
/// nothing of the machine's file systems changes; this needs root or CAP_SYS_ADMIN.
@Suite("full disk", .serialized, .enabled(if: PrivateMount.isPossible, PrivateMount.impossibleReason))
struct FullDiskTests {
    @Test("the checkpoint that does not fit fails with 'No space left on device'; the previous one is intact")
    func checkpointOnFullDisk() async throws {
        let fixture = try ClusterFixture(name: "full-disk")
        let run = fixture.directory + "/run"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        // One checkpoint set of the fixture's models takes about 200 KB; a new one is written beside the old one
        // before they are swapped, so the second checkpoint cannot fit in 320 KB.
        let script = """
            set -u
            mount -t tmpfs -o size=320k tmpfs "$RUN" || exit 97
            "$VR" "$@"
            echo "learner exit status $?"
            echo "the run directory holds: $(ls -A "$RUN" | tr '\\n' ' ')"
            cat "$RUN/checkpoint/learner.json"
            "$VR" sample --checkpoint "$RUN/checkpoint/reasoning" --prompt 1+1 --max-new-tokens 2 --seed 1 \
                && echo "the previous checkpoint loads"
            """
        let learner = try VRProcess(
            executable: "/usr/bin/unshare",
            ["--mount", "--propagation", "private", "sh", "-c", script, "full-disk"]
                + fixture.learnerArguments(
                    run: "run", modelSteps: 50, workerTimeout: 5, extra: ["--checkpoint-every", "1"]),
            environment: ["RUN": run, "VR": VRProcess.binary], log: fixture.directory + "/learner.log")
        let worker = try await fixture.worker("w1")
        #expect(await learner.waitForExit(seconds: 180) == 0, "\(learner.output)")
        worker.process.terminate()
        let output = learner.output
        #expect(output.contains("checkpoint written"), "\(output)")
        #expect(output.contains("No space left on device"), "\(output)")
        #expect(output.contains("learner exit status 1"), "\(output)")
        // Written once, then refused: the version on disk is the first step's, and nothing partial is left.
        #expect(output.contains(#""parameterVersion" : 2"#), "\(output)")
        let holds = output.split(separator: "\n").first { $0.hasPrefix("the run directory holds:") } ?? ""
        #expect(holds.contains("checkpoint ") && !holds.contains("partial") && !holds.contains("previous"), "\(output)")
        #expect(output.contains("the previous checkpoint loads"), "\(output)")
    }
}

/// Whether this machine lets a test mount a tmpfs in a private mount namespace.
enum PrivateMount {
    /// Whether a private tmpfs can be mounted here.
    static let isPossible: Bool = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        probe.arguments = ["--mount", "--propagation", "private", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()

    static let impossibleReason: Comment =
        "skipped: mounting a tmpfs in a private mount namespace (unshare --mount) needs root or CAP_SYS_ADMIN"
}
