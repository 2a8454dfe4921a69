/* cwire_check_batch: protobuf-c unpacks an Envelope written by swift-protobuf and checks every field. */
#include <string.h>

#include "cwire_interop.h"
#include "vr/v1/envelope.pb-c.h"

static int check_tokens(const cwire_batch_spec *spec, uint32_t q, uint32_t t, cwire_part part,
                        const int32_t *ids, size_t count, uint32_t expected_count) {
    if (count != expected_count) return CWIRE_TOKEN_COUNT_MISMATCH;
    for (uint32_t i = 0; i < expected_count; i++) {
        if (ids[i] != cwire_pattern_token(spec, q, t, part, i)) return CWIRE_TOKEN_ID_MISMATCH;
    }
    return CWIRE_OK;
}

static int check_answers(const cwire_batch_spec *spec, uint32_t q, uint32_t t, const Vr__V1__TraceRecord *trace) {
    const Vr__V1__SampledAnswers *sampled = trace->sampled_answers;
    if (sampled == NULL) return CWIRE_ANSWER_COUNT_MISMATCH;
    uint32_t correct = 0;
    for (uint32_t a = 0; a < spec->answers_per_trace; a++) correct += cwire_pattern_answer_correct(q, t, a) != 0;
    if (sampled->answer_count != spec->answers_per_trace || sampled->correct_count != correct ||
        sampled->n_answers != spec->answers_per_trace)
        return CWIRE_ANSWER_COUNT_MISMATCH;
    for (uint32_t a = 0; a < spec->answers_per_trace; a++) {
        const Vr__V1__SampledAnswer *answer = sampled->answers[a];
        uint32_t count = spec->answer_token_count;
        if (answer->n_token_ids != count || answer->n_behaviour_log_probs != count) return CWIRE_TOKEN_COUNT_MISMATCH;
        for (uint32_t i = 0; i < count; i++) {
            if (answer->token_ids[i] != cwire_pattern_token(spec, q, t, CWIRE_PART_ANSWER, a * count + i))
                return CWIRE_TOKEN_ID_MISMATCH;
            if (answer->behaviour_log_probs[i] != cwire_pattern_answer_log_prob(q, t, a, i))
                return CWIRE_LOG_PROB_MISMATCH;
        }
        if ((answer->correct != 0) != (cwire_pattern_answer_correct(q, t, a) != 0)) return CWIRE_VERDICT_MISMATCH;
    }
    return CWIRE_OK;
}

static int check_trace(const cwire_batch_spec *spec, uint32_t q, uint32_t t, const Vr__V1__TraceRecord *trace) {
    int status = check_tokens(spec, q, t, CWIRE_PART_PROMPT, trace->prompt_token_ids, trace->n_prompt_token_ids,
                              spec->prompt_token_count);
    if (status == CWIRE_OK)
        status = check_tokens(spec, q, t, CWIRE_PART_TRACE, trace->trace_token_ids, trace->n_trace_token_ids,
                              spec->trace_token_count);
    if (status != CWIRE_OK) return status;
    if (trace->n_behaviour_log_probs != spec->trace_token_count) return CWIRE_TOKEN_COUNT_MISMATCH;
    for (uint32_t i = 0; i < spec->trace_token_count; i++) {
        if (trace->behaviour_log_probs[i] != cwire_pattern_behaviour_log_prob(q, t, i)) return CWIRE_LOG_PROB_MISMATCH;
    }
    if ((trace->truncated != 0) != (cwire_pattern_truncated(q, t) != 0)) return CWIRE_TRUNCATED_MISMATCH;
    return check_answers(spec, q, t, trace);
}

static int check_rollout(const cwire_batch_spec *spec, const Vr__V1__RolloutBatch *batch) {
    if (strcmp(batch->worker_id, spec->sender_id) != 0) return CWIRE_WORKER_ID_MISMATCH;
    if (batch->batch_sequence != spec->batch_sequence) return CWIRE_BATCH_SEQUENCE_MISMATCH;
    if (batch->assignment_id != spec->assignment_id) return CWIRE_ASSIGNMENT_MISMATCH;
    if (batch->sampling_parameter_version != spec->sampling_parameter_version ||
        batch->scoring_parameter_version != spec->scoring_parameter_version)
        return CWIRE_PARAMETER_VERSION_MISMATCH;
    if (batch->n_questions != spec->question_count) return CWIRE_QUESTION_COUNT_MISMATCH;
    for (uint32_t q = 0; q < spec->question_count; q++) {
        const Vr__V1__QuestionRollout *question = batch->questions[q];
        char id[32];
        cwire_pattern_question_id(q, id, sizeof id);
        if (strcmp(question->question_id, id) != 0) return CWIRE_QUESTION_ID_MISMATCH;
        if ((int)question->phase != cwire_pattern_phase(q)) return CWIRE_PHASE_MISMATCH;
        if (question->n_traces != spec->traces_per_question) return CWIRE_TRACE_COUNT_MISMATCH;
        for (uint32_t t = 0; t < spec->traces_per_question; t++) {
            int status = check_trace(spec, q, t, question->traces[t]);
            if (status != CWIRE_OK) return status;
        }
    }
    return CWIRE_OK;
}

int cwire_check_batch(const uint8_t *bytes, size_t length, const cwire_batch_spec *spec) {
    if (spec == NULL || spec->sender_id == NULL || spec->vocabulary_size == 0) return CWIRE_BAD_SPEC;
    Vr__V1__Envelope *envelope = vr__v1__envelope__unpack(NULL, length, bytes);
    if (envelope == NULL) return CWIRE_UNPACK_FAILED;
    int status = CWIRE_OK;
    if (envelope->protocol_version != spec->protocol_version) {
        status = CWIRE_PROTOCOL_VERSION_MISMATCH;
    } else if (strcmp(envelope->sender_id, spec->sender_id) != 0) {
        status = CWIRE_SENDER_MISMATCH;
    } else if (envelope->body_case != VR__V1__ENVELOPE__BODY_ROLLOUT_BATCH) {
        status = CWIRE_BODY_NOT_BATCH;
    } else {
        status = check_rollout(spec, envelope->rollout_batch);
    }
    vr__v1__envelope__free_unpacked(envelope, NULL);
    return status;
}
