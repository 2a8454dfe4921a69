// Products of a few rows by a weight packed once into column panels: the decoding step's matrix products.

#ifndef VR_PACKED_GEMM_H
#define VR_PACKED_GEMM_H

#include <stddef.h>

#include "kernel_set.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Columns per panel of a packed weight.
#define VR_PANEL_WIDTH 32

/// The number of floats a packed `[inputs, outputs]` weight occupies: `inputs` times `outputs` rounded up
/// to whole panels.
size_t vr_packed_count(size_t inputs, size_t outputs);

/// Packs a weight stored `[outputs, inputs]` (torch.nn.Linear layout), which the product uses transposed,
/// into panels of VR_PANEL_WIDTH output columns: panel p holds, for each input i, the weights of outputs
/// p*VR_PANEL_WIDTH ... p*VR_PANEL_WIDTH + VR_PANEL_WIDTH - 1 contiguously, zero past the last output.
/// `packed` holds vr_packed_count(inputs, outputs) floats.
void vr_pack_weight(const float *weight, size_t outputs, size_t inputs, float *packed);

/// out[r, o] = bias[o] + sum_i input[r, i] * weight[o, i], for rows r < rows and the outputs of panels
/// first_panel ..< end_panel, where `packed` is the weight packed by vr_pack_weight. `bias` may be NULL
/// (zero). Rows are `input_stride` and `out_stride` floats apart. Each output element is written once,
/// by a fixed sequence of operations, so splitting the panels across threads changes no result. `kernels` is
/// the version to run, or NULL for the active one.
void vr_packed_gemm(
    const vr_kernel_set *kernels, size_t rows, size_t inputs, size_t outputs, const float *input, size_t input_stride, const float *packed,
    const float *bias, float *out, size_t out_stride, size_t first_panel, size_t end_panel);

#ifdef __cplusplus
}
#endif

#endif
