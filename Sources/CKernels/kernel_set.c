// Compiles kernel_body.h once per instruction set of this architecture, picks the widest version the CPU runs
// when the program loads, and dispatches the public entry points to it.

#include "kernel_set.h"

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#include "cached_attention.h"
#include "packed_gemm.h"

#if defined(__x86_64__)

// AVX-512: 32 registers of 16 floats. Blocks of 8 rows by 32 columns (16 accumulators).
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define VR_ISA avx512
#define VR_LANES 16
#define VR_GEMM_VECTORS 2
#define VR_GEMM_ROWS 8
#define VR_SCORE_TILES 4
#define VR_VALUE_VECTORS 4
#define VR_VALUE_ROWS 2
#include "kernel_body.h"
#pragma clang attribute pop

// AVX2 + FMA: 16 registers of 8 floats. Blocks of 6 rows by 16 columns: 12 accumulators, two weight vectors and
// the broadcast row value fit in the 16 registers.
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#define VR_ISA avx2
#define VR_LANES 8
#define VR_GEMM_VECTORS 2
#define VR_GEMM_ROWS 6
#define VR_SCORE_TILES 4
#define VR_VALUE_VECTORS 8
#define VR_VALUE_ROWS 1
#include "kernel_body.h"
#pragma clang attribute pop

#endif

#if defined(__aarch64__)

// NEON with fused multiply-add: 32 registers of 4 floats. Blocks of 6 rows by 16 columns (24 accumulators).
#define VR_ISA neon
#define VR_LANES 4
#define VR_GEMM_VECTORS 4
#define VR_GEMM_ROWS 6
#define VR_SCORE_TILES 4
#define VR_VALUE_VECTORS 8
#define VR_VALUE_ROWS 2
#include "kernel_body.h"

#else

// The baseline of the architecture (SSE2 on x86-64): 16 registers of 4 floats, no fused multiply-add.
#define VR_ISA baseline
#define VR_LANES 4
#define VR_GEMM_VECTORS 2
#define VR_GEMM_ROWS 6
#define VR_SCORE_TILES 2
#define VR_VALUE_VECTORS 4
#define VR_VALUE_ROWS 2
#include "kernel_body.h"

#endif


/// Whether this CPU runs the version for `set`, among those this build has.
static int vr_cpu_runs(vr_instruction_set set) {
    switch (set) {
#if defined(__x86_64__)
    case VR_INSTRUCTION_SET_BASELINE: return 1;
    case VR_INSTRUCTION_SET_AVX2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case VR_INSTRUCTION_SET_AVX512: return __builtin_cpu_supports("avx512f");
#elif defined(__aarch64__)
    case VR_INSTRUCTION_SET_NEON: return 1;
#else
    case VR_INSTRUCTION_SET_BASELINE: return 1;
#endif
    default: return 0;
    }
}

/// The version this build has for `set`, whether or not the CPU runs it.
static const vr_kernel_set *vr_compiled_set(vr_instruction_set set) {
    switch (set) {
#if defined(__x86_64__)
    case VR_INSTRUCTION_SET_AVX512: return &vr_kernels_avx512;
    case VR_INSTRUCTION_SET_AVX2: return &vr_kernels_avx2;
#endif
#if defined(__aarch64__)
    case VR_INSTRUCTION_SET_NEON: return &vr_kernels_neon;
#else
    case VR_INSTRUCTION_SET_BASELINE: return &vr_kernels_baseline;
#endif
    default: return NULL;
    }
}

const vr_kernel_set *vr_kernel_set_for(vr_instruction_set set) {
    if ((unsigned)set >= VR_INSTRUCTION_SET_COUNT || !vr_cpu_runs(set)) return NULL;
    return vr_compiled_set(set);
}

static _Atomic vr_instruction_set vr_active_set = VR_INSTRUCTION_SET_BASELINE;
static const vr_kernel_set *_Atomic vr_active_kernels = NULL;

/// Selects the widest version this CPU runs, before main.
__attribute__((constructor)) static void vr_select_widest_kernel_set(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
#endif
    static const vr_instruction_set widest_first[] = {
        VR_INSTRUCTION_SET_AVX512, VR_INSTRUCTION_SET_AVX2, VR_INSTRUCTION_SET_NEON, VR_INSTRUCTION_SET_BASELINE};
    for (size_t index = 0; index < sizeof widest_first / sizeof widest_first[0]; index++) {
        if (vr_select_kernel_set(widest_first[index]) == 0) return;
    }
}

vr_instruction_set vr_active_instruction_set(void) { return atomic_load_explicit(&vr_active_set, memory_order_relaxed); }

int vr_select_kernel_set(vr_instruction_set set) {
    const vr_kernel_set *kernels = vr_kernel_set_for(set);
    if (kernels == NULL) return -1;
    atomic_store_explicit(&vr_active_kernels, kernels, memory_order_release);
    atomic_store_explicit(&vr_active_set, set, memory_order_relaxed);
    return 0;
}

const char *vr_instruction_set_name(vr_instruction_set set) {
    switch (set) {
    case VR_INSTRUCTION_SET_BASELINE: return "baseline";
    case VR_INSTRUCTION_SET_AVX2: return "avx2";
    case VR_INSTRUCTION_SET_AVX512: return "avx512";
    case VR_INSTRUCTION_SET_NEON: return "neon";
    default: return "unknown";
    }
}

/// `kernels`, or the active version when it is NULL.
static inline const vr_kernel_set *vr_chosen(const vr_kernel_set *kernels) {
    return kernels != NULL ? kernels : atomic_load_explicit(&vr_active_kernels, memory_order_acquire);
}

void vr_packed_gemm(
    const vr_kernel_set *kernels, size_t rows, size_t inputs, size_t outputs, const float *input, size_t input_stride,
    const float *packed, const float *bias, float *out, size_t out_stride, size_t first_panel, size_t end_panel) {
    vr_chosen(kernels)->packed_gemm(
        rows, inputs, outputs, input, input_stride, packed, bias, out, out_stride, first_panel, end_panel);
}

void vr_attention_scores(
    const vr_kernel_set *kernels, const float *query, const float *key_tiles, size_t tile_count, size_t dimensions,
    float *scores) {
    vr_chosen(kernels)->attention_scores(query, key_tiles, tile_count, dimensions, scores);
}

void vr_attention_values(
    const vr_kernel_set *kernels, const float *weights, const float *values, size_t count, size_t dimensions,
    float *out) {
    vr_chosen(kernels)->attention_values(weights, values, count, dimensions, out);
}
