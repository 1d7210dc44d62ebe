/* simd.h: HS_SIMD before an element-wise loop asks GCC to vectorize it
 * even at -O2, where its cost model leaves such loops scalar (a ReLU over
 * a batch then runs as compares and mispredicted jumps).  Element-wise
 * loops only: the results do not change, as no sum is reordered.  clang
 * vectorizes these loops by itself, and warns where it cannot. */
#ifndef HS_SIMD_H
#define HS_SIMD_H

#if defined(_OPENMP) && !defined(__clang__)
#define HS_SIMD _Pragma("omp simd")
#else
#define HS_SIMD
#endif

#endif
