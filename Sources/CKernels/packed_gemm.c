// Packing of weights into the column panels that the decoding products read (the products themselves are in
// kernel_body.h).
//
// Decoding multiplies 1-32 rows by every weight matrix once per generated token. sgemm repacks the whole
// weight on each such call; here the weight is packed once per `sample` call, and each panel of 32 output
// columns is streamed through register blocks whose accumulators stay in registers. While the first block
// reads a panel, the next panel is prefetched into L2, so the weights stream in from L3 or memory behind the
// arithmetic instead of stalling it (decoding reads every weight once per token).

#include "packed_gemm.h"

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
