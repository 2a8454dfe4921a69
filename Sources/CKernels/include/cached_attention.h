// The two passes of one decoding step's attention for one sequence and head over its cached keys and values.

#ifndef VR_CACHED_ATTENTION_H
#define VR_CACHED_ATTENTION_H

#include <stddef.h>

#include "kernel_set.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Positions per key tile.
#define VR_KEY_TILE 16

/// scores[16 t + j] = sum_d query[d] * key_tiles[(t * dimensions + d) * 16 + j] for the tiles t < tile_count:
/// the raw scores of positions 0 ..< 16 * tile_count against keys stored in tiles of 16 positions, each tile
/// dimension-major. Each score is accumulated over d in order. `kernels` is the version to run, or NULL for the
/// active one.
void vr_attention_scores(
    const vr_kernel_set *kernels, const float *query, const float *key_tiles, size_t tile_count, size_t dimensions, float *scores);

/// out[d] = sum_j weights[j] * values[j * dimensions + d] over j < count: the weighted sum of `count` value
/// rows of `dimensions` floats, overwriting out. `kernels` is the version to run, or NULL for the active one.
void vr_attention_values(
    const vr_kernel_set *kernels, const float *weights, const float *values, size_t count, size_t dimensions, float *out);

#ifdef __cplusplus
}
#endif

#endif
