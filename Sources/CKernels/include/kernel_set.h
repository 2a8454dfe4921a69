// The versions of the decoding kernels, one per instruction set, and which one runs.

#ifndef VR_KERNEL_SET_H
#define VR_KERNEL_SET_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets the kernels are compiled for. Which of them a build has depends on its architecture:
/// x86-64 builds have baseline (SSE2), AVX2 + FMA and AVX-512; aarch64 builds have NEON (with fused
/// multiply-add); other architectures have the baseline alone.
typedef enum vr_instruction_set {
    VR_INSTRUCTION_SET_BASELINE = 0,
    VR_INSTRUCTION_SET_AVX2 = 1,
    VR_INSTRUCTION_SET_AVX512 = 2,
    VR_INSTRUCTION_SET_NEON = 3,
} vr_instruction_set;

/// The number of vr_instruction_set values.
#define VR_INSTRUCTION_SET_COUNT 4

/// One version of every decoding kernel (see packed_gemm.h and cached_attention.h for what each computes).
/// The versions differ in vector width, register blocking and whether multiplies and adds fuse; their results
/// agree to rounding.
typedef struct vr_kernel_set {
    void (*packed_gemm)(
        size_t rows, size_t inputs, size_t outputs, const float *input, size_t input_stride, const float *packed,
        const float *bias, float *out, size_t out_stride, size_t first_panel, size_t end_panel);
    void (*attention_scores)(
        const float *query, const float *key_tiles, size_t tile_count, size_t dimensions, float *scores);
    void (*attention_values)(
        const float *weights, const float *values, size_t count, size_t dimensions, float *out);
} vr_kernel_set;

/// The version for `set`, or NULL when this build has none or this CPU cannot run it.
const vr_kernel_set *vr_kernel_set_for(vr_instruction_set set);

/// The instruction set of the version the dispatching entry points call: at load time the widest one this
/// CPU runs, until vr_select_kernel_set changes it.
vr_instruction_set vr_active_instruction_set(void);

/// Makes the dispatching entry points call the version for `set`. Returns 0, or -1 (and changes nothing) when
/// vr_kernel_set_for(set) is NULL. Meant for start-up: kernels running on other threads meanwhile finish on
/// the version they started with.
int vr_select_kernel_set(vr_instruction_set set);

/// The name of `set`: "baseline", "avx2", "avx512" or "neon".
const char *vr_instruction_set_name(vr_instruction_set set);

#ifdef __cplusplus
}
#endif

#endif
