/* cwire_pack_batch: protobuf-c packs the pattern batch so the Swift decoder can read it. */
#include <stdlib.h>

#include "cwire_interop.h"
#include "vr/v1/envelope.pb-c.h"

/* Every allocation of one packing, freed together. */
typedef struct storage {
    Vr__V1__QuestionRollout *questions;
    Vr__V1__QuestionRollout **question_pointers;
    Vr__V1__TraceRecord *traces;
    Vr__V1__TraceRecord **trace_pointers;
    Vr__V1__SampledAnswers *sampled;
    Vr__V1__SampledAnswer *answers;
    Vr__V1__SampledAnswer **answer_pointers;
    int32_t *tokens;
    float *log_probs;
    char (*ids)[32];
} storage;

static void *allocate(size_t count, size_t size) { return calloc(count == 0 ? 1 : count, size); }

static void release(storage *s) {
    free(s->questions);
    free(s->question_pointers);
    free(s->traces);
    free(s->trace_pointers);
    free(s->sampled);
    free(s->answers);
    free(s->answer_pointers);
    free(s->tokens);
    free(s->log_probs);
    free(s->ids);
}

/* Per trace: the prompt, trace and answer tokens; the trace and answer log-probs. */
static size_t token_stride(const cwire_batch_spec *spec) {
    return (size_t)spec->prompt_token_count + spec->trace_token_count +
           (size_t)spec->answers_per_trace * spec->answer_token_count;
}

static size_t float_stride(const cwire_batch_spec *spec) {
    return (size_t)spec->trace_token_count + (size_t)spec->answers_per_trace * spec->answer_token_count;
}

static int reserve(storage *s, const cwire_batch_spec *spec) {
    size_t questions = spec->question_count;
    size_t traces = questions * spec->traces_per_question;
    size_t answers = traces * spec->answers_per_trace;
    s->questions = allocate(questions, sizeof *s->questions);
    s->question_pointers = allocate(questions, sizeof *s->question_pointers);
    s->traces = allocate(traces, sizeof *s->traces);
    s->trace_pointers = allocate(traces, sizeof *s->trace_pointers);
    s->sampled = allocate(traces, sizeof *s->sampled);
    s->answers = allocate(answers, sizeof *s->answers);
    s->answer_pointers = allocate(answers, sizeof *s->answer_pointers);
    s->tokens = allocate(traces * token_stride(spec), sizeof *s->tokens);
    s->log_probs = allocate(traces * float_stride(spec), sizeof *s->log_probs);
    s->ids = allocate(questions, sizeof *s->ids);
    return s->questions && s->question_pointers && s->traces && s->trace_pointers && s->sampled && s->answers &&
           s->answer_pointers && s->tokens && s->log_probs && s->ids;
}

static int32_t *fill_tokens(const cwire_batch_spec *spec, uint32_t q, uint32_t t, cwire_part part, int32_t *out,
                            uint32_t count) {
    for (uint32_t i = 0; i < count; i++) out[i] = cwire_pattern_token(spec, q, t, part, i);
    return out + count;
}

/* The sampled answers of trace `k`, their tokens and log-probs written from `tokens` and `floats` on. */
static void fill_answers(const cwire_batch_spec *spec, storage *s, uint32_t q, uint32_t t, size_t k, int32_t *tokens,
                         float *floats) {
    Vr__V1__SampledAnswers *sampled = &s->sampled[k];
    vr__v1__sampled_answers__init(sampled);
    uint32_t count = spec->answer_token_count;
    for (uint32_t a = 0; a < spec->answers_per_trace; a++) {
        size_t j = k * spec->answers_per_trace + a;
        Vr__V1__SampledAnswer *answer = &s->answers[j];
        vr__v1__sampled_answer__init(answer);
        answer->n_token_ids = count;
        answer->token_ids = tokens + (size_t)a * count;
        answer->n_behaviour_log_probs = count;
        answer->behaviour_log_probs = floats + (size_t)a * count;
        for (uint32_t i = 0; i < count; i++) {
            answer->token_ids[i] = cwire_pattern_token(spec, q, t, CWIRE_PART_ANSWER, a * count + i);
            answer->behaviour_log_probs[i] = cwire_pattern_answer_log_prob(q, t, a, i);
        }
        answer->correct = cwire_pattern_answer_correct(q, t, a) != 0;
        sampled->correct_count += answer->correct;
        s->answer_pointers[j] = answer;
    }
    sampled->answer_count = spec->answers_per_trace;
    sampled->n_answers = spec->answers_per_trace;
    sampled->answers = s->answer_pointers + k * spec->answers_per_trace;
}

static void fill_trace(const cwire_batch_spec *spec, storage *s, uint32_t q, uint32_t t) {
    size_t k = (size_t)q * spec->traces_per_question + t;
    Vr__V1__TraceRecord *trace = &s->traces[k];
    vr__v1__trace_record__init(trace);
    int32_t *tokens = s->tokens + k * token_stride(spec);
    float *floats = s->log_probs + k * float_stride(spec);
    trace->n_prompt_token_ids = spec->prompt_token_count;
    trace->prompt_token_ids = tokens;
    trace->n_trace_token_ids = spec->trace_token_count;
    trace->trace_token_ids = tokens + spec->prompt_token_count;
    tokens = fill_tokens(spec, q, t, CWIRE_PART_PROMPT, tokens, spec->prompt_token_count);
    tokens = fill_tokens(spec, q, t, CWIRE_PART_TRACE, tokens, spec->trace_token_count);
    trace->n_behaviour_log_probs = spec->trace_token_count;
    trace->behaviour_log_probs = floats;
    for (uint32_t i = 0; i < spec->trace_token_count; i++) floats[i] = cwire_pattern_behaviour_log_prob(q, t, i);
    trace->truncated = cwire_pattern_truncated(q, t) != 0;
    fill_answers(spec, s, q, t, k, tokens, floats + spec->trace_token_count);
    trace->sampled_answers = &s->sampled[k];
    s->trace_pointers[k] = trace;
}

static void fill_batch(const cwire_batch_spec *spec, storage *s, Vr__V1__RolloutBatch *batch) {
    vr__v1__rollout_batch__init(batch);
    batch->worker_id = (char *)spec->sender_id;
    batch->batch_sequence = spec->batch_sequence;
    batch->assignment_id = spec->assignment_id;
    batch->sampling_parameter_version = spec->sampling_parameter_version;
    batch->scoring_parameter_version = spec->scoring_parameter_version;
    batch->n_questions = spec->question_count;
    batch->questions = s->question_pointers;
    for (uint32_t q = 0; q < spec->question_count; q++) {
        Vr__V1__QuestionRollout *question = &s->questions[q];
        vr__v1__question_rollout__init(question);
        cwire_pattern_question_id(q, s->ids[q], sizeof s->ids[q]);
        question->question_id = s->ids[q];
        question->phase = (Vr__V1__Phase)cwire_pattern_phase(q);
        question->n_traces = spec->traces_per_question;
        question->traces = s->trace_pointers + (size_t)q * spec->traces_per_question;
        for (uint32_t t = 0; t < spec->traces_per_question; t++) fill_trace(spec, s, q, t);
        s->question_pointers[q] = question;
    }
}

size_t cwire_pack_batch(const cwire_batch_spec *spec, uint8_t *out, size_t capacity) {
    if (spec == NULL || spec->sender_id == NULL || spec->vocabulary_size == 0) return 0;
    storage s = {0};
    if (!reserve(&s, spec)) {
        release(&s);
        return 0;
    }
    Vr__V1__RolloutBatch batch;
    fill_batch(spec, &s, &batch);
    Vr__V1__Envelope envelope;
    vr__v1__envelope__init(&envelope);
    envelope.protocol_version = spec->protocol_version;
    envelope.sender_id = (char *)spec->sender_id;
    envelope.body_case = VR__V1__ENVELOPE__BODY_ROLLOUT_BATCH;
    envelope.rollout_batch = &batch;
    size_t size = vr__v1__envelope__get_packed_size(&envelope);
    if (out != NULL && capacity >= size) vr__v1__envelope__pack(&envelope, out);
    release(&s);
    return size;
}
