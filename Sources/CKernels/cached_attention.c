// Decoding attention's two passes over one sequence's cached keys and values, for one head.
//
// Both read cache lines that mostly come from L3 or memory, so they are written to keep many loads in flight:
// the scores take four key tiles at once, each with its own accumulator, and the weighted sum takes two value
// rows at once into two sets of accumulators, so no chain of dependent multiply-adds holds the loads back.

#include "cached_attention.h"

#include "multiversion.h"

/// The scores of one tile; `tile` is dimension-major, 16 positions per dimension.
static inline __attribute__((always_inline)) void vr_tile_scores(
    const float *query, const float *tile, size_t dimensions, float *scores) {
    vr_vector total = {0};
    for (size_t d = 0; d < dimensions; d++) {
        vr_vector key;
        VR_LOAD(key, tile + d * VR_KEY_TILE);
        total += query[d] * key;
    }
    VR_STORE(scores, total);
}

VR_MULTIVERSIONED
void vr_attention_scores(
    const float *query, const float *key_tiles, size_t tile_count, size_t dimensions, float *scores) {
    size_t tile_floats = dimensions * VR_KEY_TILE;
    size_t tile = 0;
    for (; tile + 4 <= tile_count; tile += 4) {
        const float *first = key_tiles + tile * tile_floats;
        vr_vector totals[4] = {{0}, {0}, {0}, {0}};
        for (size_t d = 0; d < dimensions; d++) {
            float component = query[d];
            for (size_t k = 0; k < 4; k++) {
                vr_vector key;
                VR_LOAD(key, first + k * tile_floats + d * VR_KEY_TILE);
                totals[k] += component * key;
            }
        }
        for (size_t k = 0; k < 4; k++) VR_STORE(scores + (tile + k) * VR_KEY_TILE, totals[k]);
    }
    for (; tile < tile_count; tile++) {
        vr_tile_scores(query, key_tiles + tile * tile_floats, dimensions, scores + tile * VR_KEY_TILE);
    }
}

/// The weighted sum of `count` value rows of `lanes` vectors; `lanes` is a constant at every call, so the
/// accumulators are registers.
static inline __attribute__((always_inline)) void vr_weighted_rows(
    size_t lanes, const float *weights, const float *values, size_t count, float *out) {
    vr_vector even[4] = {{0}, {0}, {0}, {0}}, odd[4] = {{0}, {0}, {0}, {0}};
    size_t width = lanes * 16;
    size_t row = 0;
    for (; row + 2 <= count; row += 2) {
        const float *first = values + row * width;
        for (size_t lane = 0; lane < lanes; lane++) {
            vr_vector value;
            VR_LOAD(value, first + lane * 16);
            even[lane] += weights[row] * value;
            VR_LOAD(value, first + width + lane * 16);
            odd[lane] += weights[row + 1] * value;
        }
    }
    if (row < count) {
        for (size_t lane = 0; lane < lanes; lane++) {
            vr_vector value;
            VR_LOAD(value, values + row * width + lane * 16);
            even[lane] += weights[row] * value;
        }
    }
    for (size_t lane = 0; lane < lanes; lane++) {
        vr_vector total = even[lane] + odd[lane];
        VR_STORE(out + lane * 16, total);
    }
}

VR_MULTIVERSIONED
void vr_attention_values(
    const float *weights, const float *values, size_t count, size_t dimensions, float *out) {
    switch (dimensions) {
    case 16: vr_weighted_rows(1, weights, values, count, out); return;
    case 32: vr_weighted_rows(2, weights, values, count, out); return;
    case 48: vr_weighted_rows(3, weights, values, count, out); return;
    case 64: vr_weighted_rows(4, weights, values, count, out); return;
    default: break;
    }
    for (size_t d = 0; d < dimensions; d++) {
        float total = 0;
        for (size_t row = 0; row < count; row++) total += weights[row] * values[row * dimensions + d];
        out[d] = total;
    }
}
