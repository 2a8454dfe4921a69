import Foundation
import Testing
import VRWorker

/// `vr worker --config`: one strict configuration, its defaults defined once.
@Suite("worker configuration")
struct WorkerConfigurationTests {
    func decode(_ json: String) throws -> WorkerConfiguration {
        try JSONDecoder().decode(WorkerConfiguration.self, from: Data(json.utf8))
    }

    @Test("missing keys take their defaults; the logged configuration reads back equal")
    func defaultsAndRoundTrip() throws {
        #expect(try decode("{}") == WorkerConfiguration())
        let partial = try decode(#"{"seed": 7, "rollout": {"maxTraceTokens": 12}}"#)
        var expected = WorkerConfiguration()
        expected.seed = 7
        expected.rollout.maxTraceTokens = 12
        #expect(partial == expected)
        let written = try JSONEncoder().encode(expected)
        #expect(try JSONDecoder().decode(WorkerConfiguration.self, from: written) == expected)
    }

    @Test("an unknown key is refused with its name, at the top level and in the rollout options")
    func unknownKeys() {
        for (json, key) in [(#"{"sed": 7}"#, "sed"), (#"{"rollout": {"maxTraceToken": 12}}"#, "maxTraceToken")] {
            do {
                _ = try decode(json)
                Issue.record("\(json) was accepted")
            } catch {
                #expect("\(error)".contains("unknown key \"\(key)\""), "\(error)")
            }
        }
    }
}
