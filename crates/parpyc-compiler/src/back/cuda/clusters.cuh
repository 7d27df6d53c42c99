
// ---- Thread-block clusters (`use_cuda_thread_block_clusters`). ----
// A row spread over several blocks runs in one cluster (its blocks are consecutive); its
// barriers and reductions span the cluster. Clusters need compute capability 9.0.
#include <cooperative_groups.h>

__device__ inline void parpyc_cluster_sync() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  cooperative_groups::this_cluster().sync();
#else
  __trap();
#endif
}

// Every thread of the cluster passes its partial value and receives the combination of all of
// them, combined in the same order in every block.
template <typename Op, typename T>
__device__ inline T parpyc_cluster_reduce(T v, T neutral) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  __shared__ T part;
  v = parpyc_block_reduce<Op, T>(v, neutral);
  cooperative_groups::cluster_group cluster = cooperative_groups::this_cluster();
  if (threadIdx.x == 0) {
    part = v;
  }
  cluster.sync();
  T r = neutral;
  for (unsigned b = 0; b < cluster.num_blocks(); b++) {
    r = Op::apply(r, *cluster.map_shared_rank(&part, b));
  }
  // No block reuses its part, or leaves, while another may still read it.
  cluster.sync();
  return r;
#else
  __trap();
  return v;
#endif
}

// Whether the current device runs thread-block clusters (compute capability 9.0 or newer).
[[maybe_unused]] static inline bool parpyc_clusters_supported() {
  int device = 0;
  int major = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess) {
    (void)cudaGetLastError();
    return false;
  }
  return major >= 9;
}

// Allows clusters of more than 8 blocks (non-portable) for `kernel`, once.
[[maybe_unused]] static inline bool parpyc_allow_large_clusters(const void* kernel) {
  if (cudaFuncSetAttribute(kernel, cudaFuncAttributeNonPortableClusterSizeAllowed, 1) != cudaSuccess) {
    (void)cudaGetLastError();
    return false;
  }
  return true;
}
