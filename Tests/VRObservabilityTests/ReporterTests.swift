import Foundation
import Logging
import Synchronization
import Testing
import VRLearner
import VRObservability
import VRRecords
import VRWorker

/// The daemons' log records: a learner's JSON step line is what a local cluster reads its progress from.
@Suite("reporters")
struct ReporterTests {
    static let metrics = StepMetrics(
        step: 7, phase: .model, parameterVersion: 8, loss: 0.25, gradientNorm: 1.5, learningRate: 5e-4, bound: -3.5,
        effectiveSampleSize: 2.5, zeroWeightQuestions: 1, questions: 8, traces: 32, meanAccuracy: 0.625, meanLag: 1,
        maxLag: 2, tokens: 900, stepSeconds: 0.5, tokensPerSecond: 1800, rolloutsPerSecond: 64,
        sampledTraceTokens: 1200, sampledAnswerTokens: 640, elapsedSeconds: 12, staleBatches: 0, duplicateBatches: 0,
        rejectedBatches: 0,
        lostWorkers: 0, applied: true, skippedSteps: 0)

    /// Lines written by loggers.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])

        /// A logger whose lines are collected here.
        func logger(_ format: LogFormat) -> Logger {
            Logger(label: "vr.test") {
                LineLogHandler(label: $0, format: format) { line in self.lines.withLock { $0.append(line) } }
            }
        }

        /// The lines so far.
        var written: [String] { lines.withLock { $0 } }
    }

    @Test("a learner's JSON step record carries the whole StepMetrics; its text record reads as a sentence")
    func learnerStep() throws {
        let lines = Lines()
        LearnerReporter(logger: lines.logger(.json), json: true, telemetry: LearnerTelemetry())
            .report(.step(Self.metrics))
        LearnerReporter(logger: lines.logger(.text), json: false, telemetry: LearnerTelemetry())
            .report(.step(Self.metrics))
        let written = lines.written
        #expect(written.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["event"] as? String == "step")
        #expect(try StepMetrics(logFields: object.compactMapValues { $0 as? String }) == Self.metrics)
        #expect(written[1].hasPrefix("step 7 model v8 loss 0.2500 acc 0.625 bound -3.500 ess 2.50 lag 1.0"))
    }

    @Test("a worker's records name the event in JSON, and its fields in both formats")
    func workerBatch() throws {
        let lines = Lines()
        for (format, json) in [(LogFormat.json, true), (.text, false)] {
            WorkerReporter(logger: lines.logger(format), json: json, telemetry: WorkerTelemetry())
                .report(.batchSent(sequence: 3, assignmentID: 9, questionCount: 2, traceCount: 8, seconds: 0.25))
        }
        let written = lines.written
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["event"] as? String == "batch" && object["seconds"] as? String == "0.250")
        #expect(written[1].hasPrefix("batch") && written[1].contains("traces=8"))
    }
}
