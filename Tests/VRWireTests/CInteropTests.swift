// The schema is language neutral: protobuf-c (C) reads what swift-protobuf writes, and the reverse.

import CWireInterop
import Foundation
import Testing
import VRWire

/// A `cwire_batch_spec` whose sender string lives as long as the value.
final class PatternSpec {
    private let sender: UnsafeMutablePointer<CChar>
    var spec: cwire_batch_spec

    init(sender: String = "worker-c", questions: UInt32 = 3, traces: UInt32 = 2, vocabulary: UInt32 = 64) {
        self.sender = strdup(sender)!
        spec = cwire_batch_spec(
            protocol_version: 1, sender_id: self.sender, batch_sequence: 17, assignment_id: 5,
            sampling_parameter_version: 40, scoring_parameter_version: 41, question_count: questions,
            traces_per_question: traces, prompt_token_count: 6, trace_token_count: 9, answers_per_trace: 4,
            answer_token_count: 3, vocabulary_size: vocabulary)
    }

    deinit { free(sender) }

    var senderID: String { String(cString: sender) }

    /// The pattern batch built on the Swift side from the same C pattern functions.
    func batch() -> RolloutBatch {
        var spec = self.spec
        let questions = (0..<spec.question_count).map { q in
            QuestionRollout(
                questionID: "q-\(q)", phase: cwire_pattern_phase(q) == 2 ? .model : .posterior,
                traces: (0..<spec.traces_per_question).map { t in trace(&spec, q, t) })
        }
        return RolloutBatch(
            workerID: senderID, batchSequence: spec.batch_sequence, assignmentID: spec.assignment_id,
            samplingParameterVersion: spec.sampling_parameter_version,
            scoringParameterVersion: spec.scoring_parameter_version, questions: questions)
    }

    private func trace(_ spec: inout cwire_batch_spec, _ q: UInt32, _ t: UInt32) -> TraceRecord {
        func tokens(_ part: cwire_part, _ count: UInt32) -> [Int32] {
            (0..<count).map { cwire_pattern_token(&spec, q, t, part, $0) }
        }
        let answers = (0..<spec.answers_per_trace).map { a in
            SampledAnswer(
                tokenIDs: (0..<spec.answer_token_count).map {
                    cwire_pattern_token(&spec, q, t, CWIRE_PART_ANSWER, a * spec.answer_token_count + $0)
                },
                behaviourLogProbs: (0..<spec.answer_token_count).map { cwire_pattern_answer_log_prob(q, t, a, $0) },
                isCorrect: cwire_pattern_answer_correct(q, t, a) != 0)
        }
        return TraceRecord(
            promptTokenIDs: tokens(CWIRE_PART_PROMPT, spec.prompt_token_count),
            traceTokenIDs: tokens(CWIRE_PART_TRACE, spec.trace_token_count),
            behaviourLogProbs: (0..<spec.trace_token_count).map { cwire_pattern_behaviour_log_prob(q, t, $0) },
            isTruncated: cwire_pattern_truncated(q, t) != 0,
            sampledAnswers: SampledAnswers(
                correctCount: answers.count(where: \.isCorrect), answerCount: answers.count, answers: answers))
    }
}

@Suite("C interop (protobuf-c)")
struct CInteropTests {
    let codec = WireCodec(vocabularySize: 64)

    private func check(_ bytes: [UInt8], _ pattern: PatternSpec) -> Int32 {
        var spec = pattern.spec
        return bytes.withUnsafeBufferPointer { cwire_check_batch($0.baseAddress, $0.count, &spec) }
    }

    private func swiftBytes(_ pattern: PatternSpec) throws -> [UInt8] {
        try codec.encode(.rolloutBatch(pattern.batch()), senderID: pattern.senderID)[0]
    }

    @Test("C decodes a batch written by Swift and every field matches", arguments: [(1, 1), (3, 2), (4, 8)])
    func swiftToC(questions: UInt32, traces: UInt32) throws {
        let pattern = PatternSpec(questions: questions, traces: traces)
        #expect(check(try swiftBytes(pattern), pattern) == Int32(CWIRE_OK.rawValue))
    }

    @Test("each kind of mismatch gets its own code")
    func mismatchesAreDistinct() throws {
        let pattern = PatternSpec()
        let bytes = try swiftBytes(pattern)
        func expectCode(_ status: cwire_status, _ change: (inout cwire_batch_spec) -> Void) {
            let other = PatternSpec()
            change(&other.spec)
            #expect(check(bytes, other) == Int32(status.rawValue))
        }
        expectCode(CWIRE_PROTOCOL_VERSION_MISMATCH) { $0.protocol_version = 2 }
        expectCode(CWIRE_BATCH_SEQUENCE_MISMATCH) { $0.batch_sequence += 1 }
        expectCode(CWIRE_ASSIGNMENT_MISMATCH) { $0.assignment_id += 1 }
        expectCode(CWIRE_PARAMETER_VERSION_MISMATCH) { $0.scoring_parameter_version += 1 }
        expectCode(CWIRE_QUESTION_COUNT_MISMATCH) { $0.question_count += 1 }
        expectCode(CWIRE_TRACE_COUNT_MISMATCH) { $0.traces_per_question += 1 }
        expectCode(CWIRE_TOKEN_COUNT_MISMATCH) { $0.prompt_token_count += 1 }
        expectCode(CWIRE_TOKEN_ID_MISMATCH) { $0.vocabulary_size = 63 }
        expectCode(CWIRE_BAD_SPEC) { $0.vocabulary_size = 0 }
        let stranger = PatternSpec(sender: "worker-x")
        #expect(check(bytes, stranger) == Int32(CWIRE_SENDER_MISMATCH.rawValue))
        #expect(check([0xFF, 0xFF, 0xFF], pattern) == Int32(CWIRE_UNPACK_FAILED.rawValue))
        let heartbeat = try codec.encode(
            .heartbeat(Heartbeat(parameterVersion: 1)), senderID: pattern.senderID)
        #expect(check(heartbeat[0], pattern) == Int32(CWIRE_BODY_NOT_BATCH.rawValue))
    }

    @Test("C detects changed log-probs, answer counts, answer tokens and verdicts")
    func contentMismatches() throws {
        let pattern = PatternSpec()
        func status(_ change: (inout RolloutBatch) -> Void) throws -> Int32 {
            var batch = pattern.batch()
            change(&batch)
            return check(try codec.encode(.rolloutBatch(batch), senderID: pattern.senderID)[0], pattern)
        }
        #expect(
            try status { $0.questions[1].traces[0].behaviourLogProbs[2] -= 0.5 }
                == Int32(CWIRE_LOG_PROB_MISMATCH.rawValue))
        #expect(
            try status { $0.questions[0].traces[1].sampledAnswers.answerCount += 1 }
                == Int32(CWIRE_ANSWER_COUNT_MISMATCH.rawValue))
        #expect(
            try status { $0.questions[0].traces[1].sampledAnswers.answers.removeLast() }
                == Int32(CWIRE_ANSWER_COUNT_MISMATCH.rawValue))
        #expect(
            try status { $0.questions[1].traces[1].sampledAnswers.answers[2].tokenIDs[1] += 1 }
                == Int32(CWIRE_TOKEN_ID_MISMATCH.rawValue))
        #expect(
            try status { $0.questions[2].traces[0].sampledAnswers.answers[0].behaviourLogProbs[0] -= 1 }
                == Int32(CWIRE_LOG_PROB_MISMATCH.rawValue))
        #expect(
            try status { $0.questions[0].traces[0].sampledAnswers.answers[3].isCorrect.toggle() }
                == Int32(CWIRE_VERDICT_MISMATCH.rawValue))
    }

    @Test("Swift decodes a batch packed by C, and both libraries write the same bytes")
    func cToSwift() throws {
        let pattern = PatternSpec(questions: 4, traces: 3)
        var spec = pattern.spec
        let size = cwire_pack_batch(&spec, nil, 0)
        #expect(size > 0)
        var bytes = [UInt8](repeating: 0, count: size)
        let written = bytes.withUnsafeMutableBufferPointer { cwire_pack_batch(&spec, $0.baseAddress, $0.count) }
        #expect(written == size)
        let decoded = try codec.decode([bytes])
        #expect(decoded == WireEnvelope(senderID: pattern.senderID, message: .rolloutBatch(pattern.batch())))
        #expect(bytes == (try swiftBytes(pattern)))
    }
}
