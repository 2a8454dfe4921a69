// The decoding kernels, written once and compiled once per instruction set: a file that includes this one
// defines the parameters below (and usually a target pragma around the include), and gets a kernel set named
// `vr_kernels_<VR_ISA>`. Nothing here depends on the instruction set except through the parameters. Every
// version sums each product and each score in the same order; they differ in vector width, in how many
// registers the blocks hold, in whether a multiply and an add fuse, and in whether the weighted sum of values
// keeps one or two partial sums per column. Their results agree to rounding.
//
// Parameters:
//   VR_ISA             the suffix of every name (avx512, avx2, baseline, neon)
//   VR_LANES           floats per vector register
//   VR_GEMM_VECTORS    vector columns in a product's register block (VR_LANES * VR_GEMM_VECTORS divides
//                      VR_PANEL_WIDTH)
//   VR_GEMM_ROWS       rows in a product's register block (VR_GEMM_ROWS * VR_GEMM_VECTORS accumulators)
//   VR_SCORE_TILES     key tiles scored at once (VR_SCORE_TILES * 16 / VR_LANES accumulators)
//   VR_VALUE_VECTORS   vectors of a value row summed at once
//   VR_VALUE_ROWS      value rows summed at once, 1 or 2 (VR_VALUE_ROWS * VR_VALUE_VECTORS accumulators)
//
// The parameters are undefined at the end, so that the next inclusion can define them anew.

#include <stddef.h>
#include <string.h>

#define VR_JOIN2(a, b) a##_##b
#define VR_JOIN(a, b) VR_JOIN2(a, b)
#define VR_NAME(name) VR_JOIN(name, VR_ISA)

#define VR_GEMM_COLUMNS (VR_LANES * VR_GEMM_VECTORS)
#define VR_TILE_VECTORS (VR_KEY_TILE / VR_LANES)

typedef float VR_NAME(vr_vector) __attribute__((vector_size(VR_LANES * sizeof(float))));
#define VR_VECTOR VR_NAME(vr_vector)

/// Runs CALL(n) with n the constant equal to `count`, for 1 <= count < limit <= 8, so that the loops over n of
/// the inlined callee unroll into registers; does nothing for other counts.
#define VR_WITH_CONSTANT(count, limit, CALL)                                                                    \
    switch (count) {                                                                                            \
    case 1: if (1 < (limit)) CALL(1); break;                                                                    \
    case 2: if (2 < (limit)) CALL(2); break;                                                                    \
    case 3: if (3 < (limit)) CALL(3); break;                                                                    \
    case 4: if (4 < (limit)) CALL(4); break;                                                                    \
    case 5: if (5 < (limit)) CALL(5); break;                                                                    \
    case 6: if (6 < (limit)) CALL(6); break;                                                                    \
    case 7: if (7 < (limit)) CALL(7); break;                                                                    \
    default: break;                                                                                             \
    }

// Vector values never cross a function boundary that is not inlined: the baseline ABI passes wide vectors in
// memory. Loads and stores go through memcpy, which compiles to one unaligned vector move.
#define VR_LOAD(target, source) memcpy(&(target), (source), sizeof(VR_VECTOR))
#define VR_STORE(destination, source) memcpy((destination), &(source), sizeof(VR_VECTOR))

// MARK: - Products of a few rows by a packed weight

/// One block of `rows` rows against `VR_GEMM_COLUMNS` columns of one panel, starting at column `column` of the
/// panel; `rows` is a constant at every call, so the accumulators are registers. `columns` is how many of the
/// block's columns exist; `bias` (NULL for none) and `out` start at the panel's first column. `prefetch`, when
/// not NULL, is the next panel, brought into L2 along the way.
static inline __attribute__((always_inline)) void VR_NAME(vr_gemm_block)(
    size_t rows, size_t inputs, const float *input, size_t input_stride, const float *panel, size_t column,
    const float *bias, float *out, size_t out_stride, size_t columns, const float *prefetch) {
    VR_VECTOR totals[VR_GEMM_ROWS][VR_GEMM_VECTORS];
    for (size_t row = 0; row < rows; row++) {
        for (size_t v = 0; v < VR_GEMM_VECTORS; v++) totals[row][v] = (VR_VECTOR){0};
    }
    for (size_t i = 0; i < inputs; i++) {
        const float *weights = panel + i * VR_PANEL_WIDTH + column;
        VR_VECTOR weight[VR_GEMM_VECTORS];
        for (size_t v = 0; v < VR_GEMM_VECTORS; v++) VR_LOAD(weight[v], weights + v * VR_LANES);
        if (prefetch != NULL) {
            for (size_t line = 0; line < VR_PANEL_WIDTH; line += 16) {
                __builtin_prefetch(prefetch + i * VR_PANEL_WIDTH + line, 0, 1);
            }
        }
        for (size_t row = 0; row < rows; row++) {
            float scalar = input[row * input_stride + i];
            for (size_t v = 0; v < VR_GEMM_VECTORS; v++) totals[row][v] += scalar * weight[v];
        }
    }
    // The bias joins last, read from memory here, so that no register holds it during the loop.
    for (size_t row = 0; row < rows; row++) {
        float *destination = out + row * out_stride + column;
        if (columns >= VR_GEMM_COLUMNS) {
            for (size_t v = 0; v < VR_GEMM_VECTORS; v++) {
                if (bias != NULL) {
                    VR_VECTOR term;
                    VR_LOAD(term, bias + column + v * VR_LANES);
                    totals[row][v] += term;
                }
                VR_STORE(destination + v * VR_LANES, totals[row][v]);
            }
        } else {
            float staged[VR_GEMM_COLUMNS];
            for (size_t v = 0; v < VR_GEMM_VECTORS; v++) VR_STORE(staged + v * VR_LANES, totals[row][v]);
            for (size_t c = 0; c < columns; c++) {
                destination[c] = bias != NULL ? staged[c] + bias[column + c] : staged[c];
            }
        }
    }
}

/// The rows left after the whole blocks, fewer than VR_GEMM_ROWS, as one block of a constant size.
static inline __attribute__((always_inline)) void VR_NAME(vr_gemm_rest)(
    size_t rows, size_t inputs, const float *input, size_t input_stride, const float *panel, size_t column,
    const float *bias, float *out, size_t out_stride, size_t columns, const float *prefetch) {
#define VR_GEMM_REST(count)                                                                                     \
    VR_NAME(vr_gemm_block)(count, inputs, input, input_stride, panel, column, bias, out, out_stride, columns, prefetch)
    VR_WITH_CONSTANT(rows, VR_GEMM_ROWS, VR_GEMM_REST)
#undef VR_GEMM_REST
}

static void VR_NAME(vr_packed_gemm)(
    size_t rows, size_t inputs, size_t outputs, const float *input, size_t input_stride, const float *packed,
    const float *bias, float *out, size_t out_stride, size_t first_panel, size_t end_panel) {
    _Static_assert(VR_PANEL_WIDTH % VR_GEMM_COLUMNS == 0, "blocks tile a panel");
    _Static_assert(VR_GEMM_ROWS <= 8, "vr_gemm_rest covers blocks of up to 8 rows");
    for (size_t panel = first_panel; panel < end_panel; panel++) {
        size_t first_column = panel * VR_PANEL_WIDTH;
        size_t columns = outputs - first_column < VR_PANEL_WIDTH ? outputs - first_column : VR_PANEL_WIDTH;
        const float *panel_bias = bias != NULL ? bias + first_column : NULL;
        const float *panel_weights = packed + panel * VR_PANEL_WIDTH * inputs;
        const float *next_panel = panel + 1 < end_panel ? panel_weights + VR_PANEL_WIDTH * inputs : NULL;
        float *panel_out = out + first_column;
        for (size_t column = 0; column < columns; column += VR_GEMM_COLUMNS) {
            // The first block of the panel brings the next panel into L2 while it computes.
            const float *prefetch = column == 0 ? next_panel : NULL;
            size_t row = 0;
            // The first block prefetches, the others do not: two copies of the block, so that neither tests
            // for the prefetch inside its loop.
            if (prefetch != NULL && rows >= VR_GEMM_ROWS) {
                VR_NAME(vr_gemm_block)(VR_GEMM_ROWS, inputs, input, input_stride, panel_weights, column, panel_bias,
                                       panel_out, out_stride, columns - column, prefetch);
                row = VR_GEMM_ROWS;
            }
            for (; row + VR_GEMM_ROWS <= rows; row += VR_GEMM_ROWS) {
                VR_NAME(vr_gemm_block)(VR_GEMM_ROWS, inputs, input + row * input_stride, input_stride, panel_weights,
                                       column, panel_bias, panel_out + row * out_stride, out_stride,
                                       columns - column, NULL);
            }
            VR_NAME(vr_gemm_rest)(rows - row, inputs, input + row * input_stride, input_stride, panel_weights, column,
                                  panel_bias, panel_out + row * out_stride, out_stride, columns - column,
                                  row == 0 ? prefetch : NULL);
        }
    }
}

// MARK: - Cached attention
//
// Both passes read cache lines that mostly come from L3 or memory, so they are written to keep many loads in
// flight: the scores take several key tiles at once, each with its own accumulators, and the weighted sum
// takes two value rows at once into two sets of accumulators, so no chain of dependent multiply-adds holds
// the loads back.

/// The scores of `count` consecutive tiles, each with its own accumulators; `count` is a constant at every call.
static inline __attribute__((always_inline)) void VR_NAME(vr_tile_scores)(
    size_t count, const float *query, const float *first_tile, size_t dimensions, float *scores) {
    size_t tile_floats = dimensions * VR_KEY_TILE;
    VR_VECTOR totals[VR_SCORE_TILES][VR_TILE_VECTORS];
    for (size_t t = 0; t < count; t++) {
        for (size_t v = 0; v < VR_TILE_VECTORS; v++) totals[t][v] = (VR_VECTOR){0};
    }
    for (size_t d = 0; d < dimensions; d++) {
        float component = query[d];
        for (size_t t = 0; t < count; t++) {
            for (size_t v = 0; v < VR_TILE_VECTORS; v++) {
                VR_VECTOR key;
                VR_LOAD(key, first_tile + t * tile_floats + d * VR_KEY_TILE + v * VR_LANES);
                totals[t][v] += component * key;
            }
        }
    }
    for (size_t t = 0; t < count; t++) {
        for (size_t v = 0; v < VR_TILE_VECTORS; v++) VR_STORE(scores + t * VR_KEY_TILE + v * VR_LANES, totals[t][v]);
    }
}

static void VR_NAME(vr_attention_scores)(
    const float *query, const float *key_tiles, size_t tile_count, size_t dimensions, float *scores) {
    size_t tile_floats = dimensions * VR_KEY_TILE;
    size_t tile = 0;
    for (; tile + VR_SCORE_TILES <= tile_count; tile += VR_SCORE_TILES) {
        VR_NAME(vr_tile_scores)(VR_SCORE_TILES, query, key_tiles + tile * tile_floats, dimensions,
                                scores + tile * VR_KEY_TILE);
    }
    for (; tile < tile_count; tile++) {
        VR_NAME(vr_tile_scores)(1, query, key_tiles + tile * tile_floats, dimensions, scores + tile * VR_KEY_TILE);
    }
}

/// The weighted sum over `count` rows of the `vectors` vectors of each value row that start at float
/// `column`; `vectors` is a constant at every call, so the accumulators are registers. Two rows at a time,
/// into two sets of accumulators, keep twice as many loads in flight.
static inline __attribute__((always_inline)) void VR_NAME(vr_weighted_columns)(
    size_t vectors, const float *weights, const float *values, size_t count, size_t dimensions, size_t column,
    float *out) {
    VR_VECTOR even[VR_VALUE_VECTORS], odd[VR_VALUE_VECTORS];
    for (size_t v = 0; v < vectors; v++) even[v] = odd[v] = (VR_VECTOR){0};
    const float *start = values + column;
    size_t row = 0;
    for (; VR_VALUE_ROWS == 2 && row + 2 <= count; row += 2) {
        const float *first = start + row * dimensions;
        for (size_t v = 0; v < vectors; v++) {
            VR_VECTOR value;
            VR_LOAD(value, first + v * VR_LANES);
            even[v] += weights[row] * value;
            VR_LOAD(value, first + dimensions + v * VR_LANES);
            odd[v] += weights[row + 1] * value;
        }
    }
    for (; row < count; row++) {
        for (size_t v = 0; v < vectors; v++) {
            VR_VECTOR value;
            VR_LOAD(value, start + row * dimensions + v * VR_LANES);
            even[v] += weights[row] * value;
        }
    }
    for (size_t v = 0; v < vectors; v++) {
        VR_VECTOR total = even[v] + odd[v];
        VR_STORE(out + column + v * VR_LANES, total);
    }
}

static void VR_NAME(vr_attention_values)(
    const float *weights, const float *values, size_t count, size_t dimensions, float *out) {
    _Static_assert(VR_VALUE_VECTORS <= 8, "the remainder switch covers up to 8 vectors");
    if (dimensions % VR_LANES != 0) {
        for (size_t d = 0; d < dimensions; d++) {
            float total = 0;
            for (size_t row = 0; row < count; row++) total += weights[row] * values[row * dimensions + d];
            out[d] = total;
        }
        return;
    }
    size_t column = 0;
    for (; column + VR_VALUE_VECTORS * VR_LANES <= dimensions; column += VR_VALUE_VECTORS * VR_LANES) {
        VR_NAME(vr_weighted_columns)(VR_VALUE_VECTORS, weights, values, count, dimensions, column, out);
    }
#define VR_VALUES_REST(vectors)                                                                                 \
    VR_NAME(vr_weighted_columns)(vectors, weights, values, count, dimensions, column, out)
    VR_WITH_CONSTANT((dimensions - column) / VR_LANES, VR_VALUE_VECTORS, VR_VALUES_REST)
#undef VR_VALUES_REST
}

// MARK: - The set

static const vr_kernel_set VR_NAME(vr_kernels) = {
    .packed_gemm = VR_NAME(vr_packed_gemm),
    .attention_scores = VR_NAME(vr_attention_scores),
    .attention_values = VR_NAME(vr_attention_values),
};

// The parameters, for the next inclusion.
#undef VR_ISA
#undef VR_LANES
#undef VR_GEMM_VECTORS
#undef VR_GEMM_ROWS
#undef VR_SCORE_TILES
#undef VR_VALUE_VECTORS
#undef VR_VALUE_ROWS
#undef VR_VECTOR
#undef VR_LOAD
#undef VR_STORE
#undef VR_GEMM_COLUMNS
#undef VR_TILE_VECTORS
#undef VR_NAME
