/* The pattern batch shared by the Swift tests and the protobuf-c checks (see cwire_interop.h). */
#include <stdio.h>

#include "cwire_interop.h"

int32_t cwire_pattern_token(const cwire_batch_spec *spec, uint32_t question, uint32_t trace, cwire_part part,
                            uint32_t position) {
    uint64_t mixed = (uint64_t)question * 1000003u + (uint64_t)trace * 7919u + (uint64_t)part * 104729u +
                     (uint64_t)position * 31u + 17u;
    return (int32_t)(mixed % (spec->vocabulary_size == 0 ? 1u : spec->vocabulary_size));
}

float cwire_pattern_behaviour_log_prob(uint32_t question, uint32_t trace, uint32_t position) {
    return -(float)((question * 7u + trace * 3u + position) % 64u + 1u) / 16.0f;
}

float cwire_pattern_answer_log_prob(uint32_t question, uint32_t trace, uint32_t answer, uint32_t position) {
    return -(float)((question * 5u + trace * 11u + answer * 13u + position * 3u) % 48u + 1u) / 16.0f;
}

int cwire_pattern_phase(uint32_t question) { return question % 2u == 0u ? 2 : 1; }

int cwire_pattern_truncated(uint32_t question, uint32_t trace) {
    (void)question;
    return trace == 1u;
}

int cwire_pattern_answer_correct(uint32_t question, uint32_t trace, uint32_t answer) {
    return (question * 3u + trace + answer) % 3u == 0u;
}

size_t cwire_pattern_question_id(uint32_t question, char *out, size_t capacity) {
    int length = snprintf(out, capacity, "q-%u", question);
    return length < 0 ? 0 : (size_t)length;
}
