// The GELU activation (tanh approximation, as in GPT-2), forward.

#ifndef VR_GELU_H
#define VR_GELU_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = 0.5 x (1 + tanh(u)), u = sqrt(2 / pi) (x + 0.044715 x^3), x = input[i], for i < count; `out` may be
/// `input`.
void vr_gelu(const float *input, float *out, size_t count);

#ifdef __cplusplus
}
#endif

#endif
