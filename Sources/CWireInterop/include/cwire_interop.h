/* CWireInterop: proof that the vr.v1 schema is language neutral, using protobuf-c.
 *
 * The Swift tests build a "pattern batch" described by a cwire_batch_spec, with token ids,
 * log-probs and sampled answers taken from the cwire_pattern_* functions below, encode it with
 * swift-protobuf, and ask cwire_check_batch to unpack it with protobuf-c and check every field.
 * In the other direction cwire_pack_batch packs the same pattern batch with protobuf-c for the
 * Swift decoder. Generated protobuf-c code: the vr/v1 pb-c headers, by scripts/generate-protos.sh.
 */
#ifndef CWIRE_INTEROP_H
#define CWIRE_INTEROP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The shape and scalar fields of a pattern batch (an Envelope whose body is a RolloutBatch). */
typedef struct cwire_batch_spec {
    uint32_t protocol_version;
    const char *sender_id; /* also RolloutBatch.worker_id */
    uint64_t batch_sequence;
    uint64_t assignment_id;
    uint64_t sampling_parameter_version;
    uint64_t scoring_parameter_version;
    uint32_t question_count;
    uint32_t traces_per_question;
    uint32_t prompt_token_count;
    uint32_t trace_token_count;
    uint32_t answers_per_trace; /* sampled answers after every trace */
    uint32_t answer_token_count; /* tokens of every sampled answer */
    uint32_t vocabulary_size; /* token ids are taken modulo this; > 0 */
} cwire_batch_spec;

/* Results of cwire_check_batch: 0 on success, a distinct code per mismatch. */
typedef enum cwire_status {
    CWIRE_OK = 0,
    CWIRE_UNPACK_FAILED = 1,
    CWIRE_PROTOCOL_VERSION_MISMATCH = 2,
    CWIRE_SENDER_MISMATCH = 3,
    CWIRE_BODY_NOT_BATCH = 4,
    CWIRE_WORKER_ID_MISMATCH = 5,
    CWIRE_BATCH_SEQUENCE_MISMATCH = 6,
    CWIRE_ASSIGNMENT_MISMATCH = 7,
    CWIRE_PARAMETER_VERSION_MISMATCH = 8,
    CWIRE_QUESTION_COUNT_MISMATCH = 9,
    CWIRE_QUESTION_ID_MISMATCH = 10,
    CWIRE_PHASE_MISMATCH = 11,
    CWIRE_TRACE_COUNT_MISMATCH = 12,
    CWIRE_TOKEN_COUNT_MISMATCH = 13,
    CWIRE_TOKEN_ID_MISMATCH = 14,
    CWIRE_LOG_PROB_MISMATCH = 15,
    CWIRE_TRUNCATED_MISMATCH = 16,
    CWIRE_VERDICT_MISMATCH = 17,
    CWIRE_ANSWER_COUNT_MISMATCH = 18,
    CWIRE_BAD_SPEC = 19
} cwire_status;

/* Part of a trace record, for cwire_pattern_token. */
typedef enum cwire_part { CWIRE_PART_PROMPT = 0, CWIRE_PART_TRACE = 1, CWIRE_PART_ANSWER = 2 } cwire_part;

/* Token id at `position` of `part` of trace `trace` of question `question`, in 0..<vocabulary_size. The tokens
 * of sampled answer `a` are positions a * answer_token_count ..< (a + 1) * answer_token_count of CWIRE_PART_ANSWER. */
int32_t cwire_pattern_token(const cwire_batch_spec *spec, uint32_t question, uint32_t trace, cwire_part part,
                            uint32_t position);
/* Behaviour log-prob of trace token `position` (an exact multiple of 1/16 in [-4, -1/16]). */
float cwire_pattern_behaviour_log_prob(uint32_t question, uint32_t trace, uint32_t position);
/* Behaviour log-prob of token `position` of sampled answer `answer` (an exact multiple of 1/16 in [-3, -1/16]). */
float cwire_pattern_answer_log_prob(uint32_t question, uint32_t trace, uint32_t answer, uint32_t position);
/* Phase of question `question`: 2 (PHASE_MODEL) if even, 1 (PHASE_POSTERIOR) if odd. */
int cwire_pattern_phase(uint32_t question);
/* Whether the trace stopped at the length limit: trace 1 of every question. */
int cwire_pattern_truncated(uint32_t question, uint32_t trace);
/* The verifier's verdict on sampled answer `answer`: correct for every third one, shifted per trace. */
int cwire_pattern_answer_correct(uint32_t question, uint32_t trace, uint32_t answer);
/* Writes the id of question `question` ("q-<question>") into `out`; returns its length. */
size_t cwire_pattern_question_id(uint32_t question, char *out, size_t capacity);

/* Unpacks an Envelope with protobuf-c and checks that it is the pattern batch `spec` describes.
 * Returns CWIRE_OK or the cwire_status of the first mismatch. */
int cwire_check_batch(const uint8_t *bytes, size_t length, const cwire_batch_spec *spec);

/* Packs the pattern batch `spec` describes as an Envelope with protobuf-c. Returns the packed size;
 * writes the bytes only if `capacity` is at least that size (call with capacity 0 to ask).
 * Returns 0 if the spec is invalid or memory runs out. */
size_t cwire_pack_batch(const cwire_batch_spec *spec, uint8_t *out, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* CWIRE_INTEROP_H */
