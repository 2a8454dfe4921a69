// GELU forward, 16 lanes at a time: tanh(u) = 1 - 2 / (e^{2u} + 1).

#include "gelu.h"

#include "vector_exp.h"

/// Replaces each lane of `*value` by its gelu.
static inline __attribute__((always_inline)) void vr_gelu_lanes(vr_vector *value) {
    vr_vector x = *value;
    vr_vector exponential = 2.0f * (0.7978845608f * x + (0.7978845608f * 0.044715f) * (x * x * x));
    vr_exp(&exponential);
    vr_vector tanh_inner = 1.0f - 2.0f / (exponential + 1.0f);
    vr_vector half = 0.5f * x;
    *value = half + half * tanh_inner;
}

VR_MULTIVERSIONED
void vr_gelu(const float *input, float *out, size_t count) {
    size_t index = 0;
    for (; index + 16 <= count; index += 16) {
        vr_vector x;
        VR_LOAD(x, input + index);
        vr_gelu_lanes(&x);
        VR_STORE(out + index, x);
    }
    if (index < count) {
        float staged[16] = {0};
        memcpy(staged, input + index, (count - index) * sizeof(float));
        vr_vector x;
        VR_LOAD(x, staged);
        vr_gelu_lanes(&x);
        VR_STORE(staged, x);
        memcpy(out + index, staged, (count - index) * sizeof(float));
    }
}
