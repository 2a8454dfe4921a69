// e^x on 16 lanes, for the C kernels that need it.
//
// The Cephes expf scheme, as in VRTensor's `VectorMath.exp`: x = n ln2 + r with |r| <= ln2 / 2, e^r by a
// degree-6 polynomial, 2^n assembled in the exponent bits. Inputs are clamped to [-87.3, 88.3], so the result is
// finite and positive; the relative error is below 2e-7.

#ifndef VR_VECTOR_EXP_H
#define VR_VECTOR_EXP_H

#include "multiversion.h"

/// Sixteen 32-bit integers, for the exponent bits.
typedef int vr_int_vector __attribute__((vector_size(64)));

/// Replaces each lane of `*value` by its exponential. (A pointer, since the baseline ABI cannot pass 64-byte
/// vectors by value.)
static inline __attribute__((always_inline)) void vr_exp(vr_vector *value) {
    const vr_vector high = {0}, low = {0};
    vr_vector x = *value;
    x = __builtin_elementwise_min(x, high + 88.3f);
    x = __builtin_elementwise_max(x, low - 87.3f);
    // n = round(x / ln 2) by the 1.5 * 2^23 trick: the low mantissa bits of `shifted` hold n.
    vr_vector shifted = x * 1.44269504f + 12582912.0f;
    vr_vector n = shifted - 12582912.0f;
    vr_vector r = x - n * 0.693359375f + n * 2.12194440e-4f;
    vr_vector p = r * 1.9875691500e-4f + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    vr_int_vector exponent = ((vr_int_vector)shifted - 0x4B400000 + 127) << 23;
    *value = p * (vr_vector)exponent;
}

#endif
