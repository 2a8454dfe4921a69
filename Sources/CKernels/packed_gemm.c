// Register-blocked products of up to a few dozen rows by a panel-packed weight.
//
// Decoding multiplies 1-32 rows by every weight matrix once per generated token. sgemm repacks the whole
// weight on each such call; here the weight is packed once per `sample` call, and each panel of 32 output
// columns is streamed through 8-row blocks whose 16 accumulators stay in registers. While the first block
// reads a panel, the next panel is prefetched into L2, so the weights stream in from L3 or memory behind the
// arithmetic instead of stalling it (decoding reads every weight once per token). The kernel is written
// with vector extensions and compiled twice, for AVX-512 and for the baseline, chosen at load time.

#include "packed_gemm.h"

#include "multiversion.h"

#define VR_HALF_PANEL (VR_PANEL_WIDTH / 2)

size_t vr_packed_count(size_t inputs, size_t outputs) {
    size_t panels = (outputs + VR_PANEL_WIDTH - 1) / VR_PANEL_WIDTH;
    return panels * VR_PANEL_WIDTH * inputs;
}

void vr_pack_weight(const float *weight, size_t outputs, size_t inputs, float *packed) {
    size_t panels = (outputs + VR_PANEL_WIDTH - 1) / VR_PANEL_WIDTH;
    for (size_t panel = 0; panel < panels; panel++) {
        float *destination = packed + panel * VR_PANEL_WIDTH * inputs;
        for (size_t input = 0; input < inputs; input++) {
            for (size_t column = 0; column < VR_PANEL_WIDTH; column++) {
                size_t output = panel * VR_PANEL_WIDTH + column;
                destination[input * VR_PANEL_WIDTH + column] =
                    output < outputs ? weight[output * inputs + input] : 0.0f;
            }
        }
    }
}

/// One block of `block_rows` rows against one panel; `block_rows` is a constant at every call, so the
/// accumulators are registers. `prefetch`, when not NULL, is a panel to bring into L2 along the way.
static inline __attribute__((always_inline)) void vr_block(
    size_t block_rows, size_t inputs, const float *input, size_t input_stride, const float *panel,
    const float *panel_bias, float *out, size_t out_stride, size_t columns, const float *prefetch) {
    vr_vector low[8], high[8];
    for (size_t row = 0; row < block_rows; row++) {
        VR_LOAD(low[row], panel_bias);
        VR_LOAD(high[row], panel_bias + VR_HALF_PANEL);
    }
    for (size_t i = 0; i < inputs; i++) {
        vr_vector weight_low, weight_high;
        VR_LOAD(weight_low, panel + i * VR_PANEL_WIDTH);
        VR_LOAD(weight_high, panel + i * VR_PANEL_WIDTH + VR_HALF_PANEL);
        if (prefetch != NULL) {
            __builtin_prefetch(prefetch + i * VR_PANEL_WIDTH, 0, 1);
            __builtin_prefetch(prefetch + i * VR_PANEL_WIDTH + VR_HALF_PANEL, 0, 1);
        }
        for (size_t row = 0; row < block_rows; row++) {
            float scalar = input[row * input_stride + i];
            low[row] += scalar * weight_low;
            high[row] += scalar * weight_high;
        }
    }
    for (size_t row = 0; row < block_rows; row++) {
        float *destination = out + row * out_stride;
        if (columns == VR_PANEL_WIDTH) {
            VR_STORE(destination, low[row]);
            VR_STORE(destination + VR_HALF_PANEL, high[row]);
        } else {
            float staged[VR_PANEL_WIDTH];
            VR_STORE(staged, low[row]);
            VR_STORE(staged + VR_HALF_PANEL, high[row]);
            memcpy(destination, staged, columns * sizeof(float));
        }
    }
}

VR_MULTIVERSIONED
void vr_packed_gemm(
    size_t rows, size_t inputs, size_t outputs, const float *input, size_t input_stride, const float *packed,
    const float *bias, float *out, size_t out_stride, size_t first_panel, size_t end_panel) {
    for (size_t panel = first_panel; panel < end_panel; panel++) {
        size_t first_column = panel * VR_PANEL_WIDTH;
        size_t columns = outputs - first_column < VR_PANEL_WIDTH ? outputs - first_column : VR_PANEL_WIDTH;
        float staged_bias[VR_PANEL_WIDTH] = {0};
        if (bias != NULL) memcpy(staged_bias, bias + first_column, columns * sizeof(float));
        const float *panel_weights = packed + panel * VR_PANEL_WIDTH * inputs;
        const float *next_panel = panel + 1 < end_panel ? panel_weights + VR_PANEL_WIDTH * inputs : NULL;
        size_t row = 0;
        for (; row + 8 <= rows; row += 8) {
            vr_block(8, inputs, input + row * input_stride, input_stride, panel_weights, staged_bias,
                     out + row * out_stride + first_column, out_stride, columns, row == 0 ? next_panel : NULL);
        }
        if (row + 4 <= rows) {
            vr_block(4, inputs, input + row * input_stride, input_stride, panel_weights, staged_bias,
                     out + row * out_stride + first_column, out_stride, columns, row == 0 ? next_panel : NULL);
            row += 4;
        }
        for (; row < rows; row++) {
            vr_block(1, inputs, input + row * input_stride, input_stride, panel_weights, staged_bias,
                     out + row * out_stride + first_column, out_stride, columns, row == 0 ? next_panel : NULL);
        }
    }
}
