/* simd_clones.h: HS_CLONES before a hot loop's function has GCC build it
 * twice, for AVX2 and for the baseline x86-64 the package is compiled
 * for (SSE2), and pick one when the program loads (an ifunc), so that
 * the loops that vectorise run four doubles at a time where the CPU
 * allows.  The two give the same bits: the same operations on each
 * element in the same order (ISO C mode keeps GCC from fusing a multiply
 * and an add), only more elements at once.  Elsewhere (other compilers
 * and CPUs, the sanitizers, whose run-time starts after the ifunc
 * resolvers) it is empty. */
#ifndef HS_SIMD_CLONES_H
#define HS_SIMD_CLONES_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) &&   \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) && !defined(HS_NO_CLONES)
#define HS_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HS_CLONES
#endif

#endif
