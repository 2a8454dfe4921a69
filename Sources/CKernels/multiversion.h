// How the C kernels are compiled: with 16-lane vector extensions, twice on x86-64 (AVX-512 and the
// baseline), the version chosen when the program loads.

#ifndef VR_MULTIVERSION_H
#define VR_MULTIVERSION_H

#include <string.h>

/// Sixteen floats, one AVX-512 register.
typedef float vr_vector __attribute__((vector_size(64)));

#if defined(__x86_64__) && defined(__clang__)
#define VR_MULTIVERSIONED __attribute__((target_clones("avx512f", "default")))
#else
#define VR_MULTIVERSIONED
#endif

// Vector values stay inside one function: the baseline ABI cannot pass 64-byte vectors.
#define VR_LOAD(target, source) memcpy(&(target), (source), sizeof(vr_vector))
#define VR_STORE(destination, source) memcpy((destination), &(source), sizeof(vr_vector))

#endif
