
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

// Cluster-wide reductions without cluster barriers. Each warp reduces its threads' values and
// pushes the result into every block's shared memory (`st.async`, lane r to block r), which
// counts the bytes on that block's mbarrier; each block waits for all of the cluster's parts on
// its own barrier and combines them in one order, the same in every block. Two sets of parts
// are used in turn: a block pushes into set b again only after every block has pushed the
// reduction in between, which each does after reading set b. So one wait per reduction
// replaces the two cluster barriers of a reduction through one shared value.
struct parpyc_cluster_parts {
  unsigned long long bar[2];
  unsigned long long part[2][32 * 16];  // [set][block * warps + warp]: at most 32 warps, 16 blocks
};

__device__ inline parpyc_cluster_parts& parpyc_cluster_state() {
  __shared__ parpyc_cluster_parts s;
  return s;
}

#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
// Arms `bar` for its next use, which completes when every warp of the cluster has pushed its
// 8-byte part into this block.
__device__ inline void parpyc_cluster_arm(unsigned long long* bar) {
  const unsigned bytes = cooperative_groups::this_cluster().num_blocks() * (blockDim.x / 32) * 8;
  asm volatile("mbarrier.arrive.expect_tx.release.cta.shared::cta.b64 _, [%0], %1;" ::"r"(
                   (unsigned)__cvta_generic_to_shared(bar)),
               "r"(bytes)
               : "memory");
}
#endif

// Readies the reductions of a kernel whose blocks form clusters: every block arms its barriers
// before any block pushes. Called once, by every thread, at the start of the kernel; the value
// is the count of reductions so far that `parpyc_cluster_reduce` keeps.
__device__ inline unsigned parpyc_cluster_begin() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  parpyc_cluster_parts& s = parpyc_cluster_state();
  if (threadIdx.x == 0) {
    for (int b = 0; b < 2; b++) {
      asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"((unsigned)__cvta_generic_to_shared(&s.bar[b]))
                   : "memory");
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    for (int b = 0; b < 2; b++) {
      parpyc_cluster_arm(&s.bar[b]);
    }
  }
  cooperative_groups::this_cluster().sync();
#else
  __trap();
#endif
  return 0;
}

// Every thread of the cluster passes its partial value and receives the combination of all of
// them, combined in the same order in every block. `n` counts the kernel's reductions so far.
template <typename Op, typename T>
__device__ inline T parpyc_cluster_reduce(T v, T neutral, unsigned& n) {
  static_assert(sizeof(T) <= 8, "cluster reductions take values of at most 8 bytes");
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  parpyc_cluster_parts& s = parpyc_cluster_state();
  const unsigned set = n & 1, parity = (n >> 1) & 1;
  n++;
  const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  const unsigned blocks = cooperative_groups::this_cluster().num_blocks();
  v = parpyc_warp_reduce<Op>(v);
  if (lane < blocks) {
    unsigned long long bits = 0;
    memcpy(&bits, &v, sizeof(T));
    const unsigned rank = cooperative_groups::this_cluster().block_rank();
    unsigned part, bar;
    asm("mapa.shared::cluster.u32 %0, %1, %2;"
        : "=r"(part)
        : "r"((unsigned)__cvta_generic_to_shared(&s.part[set][rank * warps + warp])), "r"(lane));
    asm("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(bar) : "r"((unsigned)__cvta_generic_to_shared(&s.bar[set])), "r"(lane));
    asm volatile("st.async.shared::cluster.mbarrier::complete_tx::bytes.b64 [%0], %1, [%2];" ::"r"(part), "l"(bits),
                 "r"(bar)
                 : "memory");
  }
  const unsigned bar = (unsigned)__cvta_generic_to_shared(&s.bar[set]);
  unsigned done = 0;
  while (!done) {
    asm volatile(
        "{ .reg .pred p; mbarrier.try_wait.parity.acquire.cluster.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
        : "=r"(done)
        : "r"(bar), "r"(parity)
        : "memory");
  }
  T r = neutral;
  for (unsigned q = lane; q < blocks * warps; q += 32) {
    T p;
    memcpy(&p, &s.part[set][q], sizeof(T));
    r = Op::apply(r, p);
  }
  r = parpyc_warp_reduce<Op>(r);
  // The set's next use: its parts arrive only after every block has read this one's.
  if (threadIdx.x == 0) {
    parpyc_cluster_arm(&s.bar[set]);
  }
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
