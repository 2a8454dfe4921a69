import Foundation
import Logging
import Synchronization
import Testing
import VRLearner
import VRObservability
import VRWorker

/// The pieces of the status server and the logs: addresses, log lines and the metrics events turn into.
@Suite("observability")
struct ObservabilityTests {
    @Test("listen addresses parse HOST:PORT and [IPv6]:PORT, and say what is wrong otherwise")
    func listenAddresses() throws {
        #expect(try ListenAddress(parsing: "0.0.0.0:9090") == ListenAddress(parsing: "0.0.0.0:9090"))
        let any = try ListenAddress(parsing: "127.0.0.1:0")
        #expect(any.host == "127.0.0.1" && any.port == 0)
        let six = try ListenAddress(parsing: "[::1]:9091")
        #expect(six.host == "::1" && six.port == 9091 && six.description == "[::1]:9091")
        for (text, reason) in [
            ("9090", "not HOST:PORT"), (":9090", "no host"), ("host:http", "0...65535"), ("host:70000", "0...65535"),
        ] {
            #expect {
                try ListenAddress(parsing: text)
            } throws: { error in
                "\(error)".contains(reason)
            }
        }
    }

    @Test("JSON log lines carry time, level, label, message and every metadata field; text lines read as sentences")
    func logLines() throws {
        let lines = Mutex<[String]>([])
        let json = Logger(label: "vr.test") {
            LineLogHandler(label: $0, format: .json) { line in lines.withLock { $0.append(line) } }
        }
        json.warning("step", metadata: ["event": "step", "loss": "0.5", "nested": ["a": "1"]])
        let text = Logger(label: "vr.test") {
            LineLogHandler(label: $0, format: .text) { line in lines.withLock { $0.append(line) } }
        }
        text.info("worker w1 joined")
        let written = lines.withLock { $0 }
        #expect(written.count == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning" && object["label"] as? String == "vr.test")
        #expect(object["message"] as? String == "step" && object["event"] as? String == "step")
        #expect(object["loss"] as? String == "0.5" && (object["nested"] as? [String: String]) == ["a": "1"])
        #expect(Double(object["time"] as? String ?? "") != nil)
        #expect(written[1] == "worker w1 joined")
    }

    @Test("learner events move the Prometheus metrics and the health report")
    func learnerMetrics() {
        let telemetry = LearnerTelemetry()
        #expect(telemetry.health.report.status == .starting)
        telemetry.serving(parameterVersion: 4)
        telemetry.record(.workerJoined(worker: "w1"))
        telemetry.record(.workerJoined(worker: "w2"))
        telemetry.record(.workerLost(worker: "w1", requeuedQuestionCount: 2))
        for _ in 0..<3 {
            telemetry.record(.refused(worker: "rogue", code: "malformed_frame", message: "unparsed", reason: "garbage"))
        }
        telemetry.record(.refused(worker: "rogue", code: "too_large", message: "RolloutBatch", reason: "big"))
        telemetry.record(.dropped(worker: "w2", sequence: 7, status: .stale, detail: "sampling_parameter_version 1"))
        telemetry.recordRefusedConnections(5)
        let text = telemetry.registry.emitToString()
        #expect(text.contains("vr_learner_parameter_version 4"), "\(text)")
        #expect(text.contains("vr_learner_workers 1"), "\(text)")
        #expect(text.contains("vr_learner_workers_lost_total 1"), "\(text)")
        #expect(
            text.contains(#"vr_learner_rejected_messages_total{reason="malformed_frame",message="unparsed"} 3"#),
            "\(text)")
        #expect(
            text.contains(#"vr_learner_rejected_messages_total{reason="too_large",message="RolloutBatch"} 1"#),
            "\(text)")
        #expect(text.contains(#"vr_learner_dropped_batches_total{status="stale"} 1"#), "\(text)")
        #expect(text.contains("vr_learner_refused_connections 5"), "\(text)")
        let report = telemetry.health.report
        #expect(report.status == .ok && report.parameterVersion == 4 && report.workers == 1)
    }

    @Test("worker events move the Prometheus metrics and the health report")
    func workerMetrics() {
        let telemetry = WorkerTelemetry()
        telemetry.serving()
        telemetry.record(.welcomed(learnerInstanceID: "l", parameterVersion: 3))
        telemetry.record(.applied(parameterVersion: 3, viaSnapshot: true))
        telemetry.record(.batchSent(sequence: 1, assignmentID: 1, questionCount: 1, traceCount: 4, seconds: 0.3))
        telemetry.record(.batchAcknowledged(sequence: 1, status: "accepted", detail: ""))
        telemetry.record(.dropped(assignmentID: 2))
        telemetry.record(.rejoining(reason: "silence"))
        let text = telemetry.registry.emitToString()
        #expect(text.contains("vr_worker_parameter_version 3"), "\(text)")
        #expect(text.contains("vr_worker_traces_total 4"), "\(text)")
        #expect(text.contains(#"vr_worker_acknowledged_batches_total{status="accepted"} 1"#), "\(text)")
        #expect(text.contains(#"vr_worker_batch_seconds_bucket{le="0.5"} 1"#), "\(text)")
        #expect(text.contains("vr_worker_rejoins_total 1"), "\(text)")
        #expect(text.contains("vr_worker_dropped_assignments_total 1"), "\(text)")
        let report = telemetry.health.report
        #expect(report.status == .ok && report.connected == false && report.parameterVersion == 3)
    }
}
