// The output of a `vr learner --json` child: its lines go to the log file, and its step events are the progress
// of the run, without polling the metrics file.

import Foundation
import VRRecords

/// Reads a learner's JSON log lines from its output pipe on a thread of its own.
///
/// Thread-safe: the reading thread records what the lines say while the launching thread asks for it.
final class LearnerOutput: @unchecked Sendable {
    /// Connect the child's standard output and error here.
    let pipe = Pipe()
    private let lock = NSLock()
    private var steps: [StepMetrics] = []
    private var lastMessage: String?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts reading; every line is appended to `log`, which is created or emptied.
    /// - Parameter log: the log file.
    /// - Throws: when the log cannot be created.
    init(log: String) throws {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                file.write(chunk)
                pending.append(chunk)
                while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    record(pending[pending.startIndex..<end])
                    pending.removeSubrange(pending.startIndex...end)
                }
            }
            record(pending)
            try? file.close()
            finished.signal()
        }
    }

    /// Waits until the child closed its output (it exited).
    func waitUntilClosed() { finished.wait() }

    /// The steps reported so far, in order.
    var stepMetrics: [StepMetrics] { lock.withLock { steps } }

    /// The message of the last line, such as the learner's "finished: ..." summary.
    var lastLine: String? { lock.withLock { lastMessage } }

    private func record(_ line: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else { return }
        let fields = object.compactMapValues { $0 as? String }
        let metrics = fields["event"] == "step" ? try? StepMetrics(logFields: fields) : nil
        lock.withLock {
            lastMessage = fields["message"] ?? lastMessage
            if let metrics { steps.append(metrics) }
        }
    }
}
