import Foundation
import Testing

/// The daemons as operators see them: Prometheus metrics and health over HTTP, and graceful stops.
@Suite("daemon operations", .serialized)
struct DaemonOperationsTests {
    @Test("learner and worker serve Prometheus /metrics and JSON /health; health turns 503 while stopping")
    func metricsAndHealth() async throws {
        let fixture = try ClusterFixture(name: "status")
        let learner = try fixture.learner(
            run: "run", modelSteps: 1_000, extra: ["--metrics-address", "127.0.0.1:0"])
        let worker = try await fixture.worker("w1", extra: ["--metrics-address", "127.0.0.1:0"])
        let learnerURL = try await learner.statusAddress()
        let workerURL = try await worker.statusAddress()
        #expect(await learner.waitForLine(containing: "step 3 ", seconds: 120), "\(learner.output)")

        let learnerMetrics = try await httpGet(learnerURL + "/metrics")
        #expect(learnerMetrics.status == 200)
        #expect(learnerMetrics.body.contains("# TYPE vr_learner_parameter_version gauge"), "\(learnerMetrics.body)")
        #expect(learnerMetrics.body.contains(#"vr_learner_steps_total{phase="model"}"#), "\(learnerMetrics.body)")
        #expect(learnerMetrics.body.contains("vr_learner_workers 1"), "\(learnerMetrics.body)")
        let learnerHealth = try await httpGet(learnerURL + "/health")
        #expect(learnerHealth.status == 200)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(learnerHealth.body.utf8)) as? [String: Any])
        #expect(report["role"] as? String == "learner" && report["status"] as? String == "ok", "\(report)")
        #expect((report["parameterVersion"] as? Int ?? 0) >= 3, "\(report)")

        let workerMetrics = try await httpGet(workerURL + "/metrics")
        #expect(workerMetrics.body.contains("vr_worker_batches_total"), "\(workerMetrics.body)")
        #expect(workerMetrics.body.contains(#"vr_worker_acknowledged_batches_total{status="accepted"}"#))
        let workerHealth = try await httpGet(workerURL + "/health")
        #expect(workerHealth.status == 200 && workerHealth.body.contains(#""connected":true"#), "\(workerHealth)")

        learner.process.terminate()
        #expect(await learner.waitForExit(seconds: 60) == 0, "\(learner.output)")
        worker.process.terminate()
        #expect(await worker.waitForExit(seconds: 60) == 0, "\(worker.output)")
    }

    @Test("a worker stopped by SIGTERM says goodbye: its work is handed out again at once, not after the timeout")
    func gracefulWorkerStop() async throws {
        let fixture = try ClusterFixture(name: "goodbye", closesThoughtsAtOnce: true)
        // A worker timeout far longer than the test waits: only a goodbye can hand the work back in time.
        let learner = try fixture.learner(run: "run", modelSteps: 3, workerTimeout: 600)
        // Answers follow finished traces, and pi and q close their thoughts at once: many answers per trace make this
        // worker's batches slow, so the stop lands while it samples.
        let leaving = try await fixture.worker("leaving", extra: ["--answers-per-trace", "1024"])
        #expect(await leaving.waitForLine(containing: #""event":"assigned""#, seconds: 60), "\(leaving.output)")
        leaving.process.terminate()
        #expect(await leaving.waitForExit(seconds: 60) == 0, "\(leaving.output)")
        #expect(await learner.waitForLine(containing: "worker leaving lost", seconds: 10), "\(learner.output)")
        let lost = learner.lines(containing: "worker leaving lost").first ?? ""
        #expect(!lost.contains("; 0 questions"), "\(lost)")
        let survivor = try await fixture.worker("survivor")
        #expect(await learner.waitForExit(seconds: 180) == 0, "\(learner.output)")
        _ = await survivor.waitForExit(seconds: 30)
        #expect(learner.lines(containing: "finished: version").first?.contains("3 model") == true, "\(learner.output)")
    }
}
