// Checks every kernel version this build has and this CPU runs against double-precision references, outside
// Swift: scripts/check-kernels-aarch64.sh builds it for aarch64 and runs it under emulation, so that the NEON
// version is checked on x86-64 machines too. Prints one line per version and a closing "N passed, M failed".

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cached_attention.h"
#include "kernel_set.h"
#include "packed_gemm.h"

static unsigned long long state = 42;

/// A uniform value in [-1, 1) from a 64-bit linear congruential generator.
static float next_value(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((state >> 40) & 0xFFFFFF) / 8388608.0f - 1.0f;
}

static float *random_floats(size_t count) {
    float *values = malloc((count ? count : 1) * sizeof(float));
    for (size_t index = 0; index < count; index++) values[index] = next_value();
    return values;
}

/// Whether `value` is within rounding of `reference`, whose terms had absolute values summing to `magnitude`.
static int close_enough(double value, double reference, double magnitude) {
    return fabs(value - reference) <= 1e-6 * magnitude + 1e-30;
}

static int check_gemm(const vr_kernel_set *kernels, size_t rows, size_t inputs, size_t outputs, int use_bias) {
    float *input = random_floats(rows * inputs), *weight = random_floats(outputs * inputs);
    float *bias = random_floats(outputs), *out = random_floats(rows * outputs);
    float *packed = malloc(vr_packed_count(inputs, outputs) * sizeof(float));
    vr_pack_weight(weight, outputs, inputs, packed);
    size_t panels = (outputs + VR_PANEL_WIDTH - 1) / VR_PANEL_WIDTH;
    vr_packed_gemm(kernels, rows, inputs, outputs, input, inputs, packed, use_bias ? bias : NULL, out, outputs, 0,
                   panels);
    int ok = 1;
    for (size_t row = 0; row < rows; row++) {
        for (size_t column = 0; column < outputs; column++) {
            double expected = use_bias ? bias[column] : 0, magnitude = use_bias ? fabs(bias[column]) : 0;
            for (size_t i = 0; i < inputs; i++) {
                double term = (double)input[row * inputs + i] * weight[column * inputs + i];
                expected += term;
                magnitude += fabs(term);
            }
            ok &= close_enough(out[row * outputs + column], expected, magnitude);
        }
    }
    free(input), free(weight), free(bias), free(out), free(packed);
    return ok;
}

static int check_scores(const vr_kernel_set *kernels, size_t tiles, size_t dimensions) {
    float *query = random_floats(dimensions), *key_tiles = random_floats(tiles * dimensions * VR_KEY_TILE);
    float *scores = random_floats(tiles * VR_KEY_TILE);
    vr_attention_scores(kernels, query, key_tiles, tiles, dimensions, scores);
    int ok = 1;
    for (size_t position = 0; position < tiles * VR_KEY_TILE; position++) {
        size_t tile = position / VR_KEY_TILE, lane = position % VR_KEY_TILE;
        double expected = 0, magnitude = 0;
        for (size_t d = 0; d < dimensions; d++) {
            double term = (double)query[d] * key_tiles[(tile * dimensions + d) * VR_KEY_TILE + lane];
            expected += term;
            magnitude += fabs(term);
        }
        ok &= close_enough(scores[position], expected, magnitude);
    }
    free(query), free(key_tiles), free(scores);
    return ok;
}

static int check_values(const vr_kernel_set *kernels, size_t count, size_t dimensions) {
    float *weights = random_floats(count), *values = random_floats(count * dimensions);
    float *out = random_floats(dimensions);
    vr_attention_values(kernels, weights, values, count, dimensions, out);
    int ok = 1;
    for (size_t d = 0; d < dimensions; d++) {
        double expected = 0, magnitude = 0;
        for (size_t row = 0; row < count; row++) {
            double term = (double)weights[row] * values[row * dimensions + d];
            expected += term;
            magnitude += fabs(term);
        }
        ok &= close_enough(out[d], expected, magnitude);
    }
    free(weights), free(values), free(out);
    return ok;
}

int main(void) {
    static const size_t row_counts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 17, 32};
    static const size_t input_counts[] = {1, 7, 64};
    static const size_t output_counts[] = {1, 20, 33, 70};
    static const size_t dimension_counts[] = {3, 8, 16, 24, 48, 64, 128};
    int passed = 0, failed = 0;
    for (int set = 0; set < VR_INSTRUCTION_SET_COUNT; set++) {
        const vr_kernel_set *kernels = vr_kernel_set_for((vr_instruction_set)set);
        if (kernels == NULL) continue;
        int set_passed = 0, set_failed = 0;
#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))
#define RECORD(ok, ...)                                                                                         \
    do {                                                                                                        \
        if (ok) {                                                                                               \
            set_passed++;                                                                                       \
        } else {                                                                                                \
            set_failed++;                                                                                       \
            printf("FAILED %s: ", vr_instruction_set_name((vr_instruction_set)set));                           \
            printf(__VA_ARGS__);                                                                                \
            printf("\n");                                                                                       \
        }                                                                                                       \
    } while (0)
        for (size_t r = 0; r < COUNT_OF(row_counts); r++) {
            for (size_t i = 0; i < COUNT_OF(input_counts); i++) {
                for (size_t o = 0; o < COUNT_OF(output_counts); o++) {
                    for (int use_bias = 0; use_bias < 2; use_bias++) {
                        RECORD(check_gemm(kernels, row_counts[r], input_counts[i], output_counts[o], use_bias),
                               "product rows %zu inputs %zu outputs %zu bias %d", row_counts[r], input_counts[i],
                               output_counts[o], use_bias);
                    }
                }
            }
        }
        for (size_t d = 0; d < COUNT_OF(dimension_counts); d++) {
            for (size_t tiles = 1; tiles <= 9; tiles++) {
                RECORD(check_scores(kernels, tiles, dimension_counts[d]), "scores tiles %zu dimensions %zu", tiles,
                       dimension_counts[d]);
            }
            for (size_t count = 1; count <= 40; count += 3) {
                RECORD(check_values(kernels, count, dimension_counts[d]), "values rows %zu dimensions %zu", count,
                       dimension_counts[d]);
            }
        }
        printf("%s kernels%s: %d checks passed, %d failed\n", vr_instruction_set_name((vr_instruction_set)set),
               set == (int)vr_active_instruction_set() ? " (selected at load)" : "", set_passed, set_failed);
        passed += set_passed;
        failed += set_failed;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
