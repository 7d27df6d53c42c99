// Softmax over 1024 rows of 65536 f32, each row over a thread-block cluster (Hopper): the
// generated form's shape written by hand, with variants of the cluster reduction, of taking rows
// in turn, and of fetching the next row ahead, timed in one run against a device-to-device copy
// (three rounds) and checked against a float64 reference on 8 rows. The table in
// bench/README.md ("Cluster reductions") comes from it.
//
//   nvcc -O3 -arch=sm_90 -std=c++17 bench/long_rows.cu -o long_rows && ./long_rows
//   ./long_rows --only I     # variant I alone, once after its check (for ncu)
//
// With PARPYC_SOFTMAX_LIB=path/to/libsoftmax_f32_t1024.so (a GPU build's softmax, see
// tests/gpu/build_variants.py) it also times that library's C entry point (symbol
// PARPYC_SOFTMAX_SYM, default softmax_f32_t1024_softmax) on the same data, so that the generated
// code and the hand-written forms are compared in one process.
#include <cooperative_groups.h>
#include <cuda_pipeline.h>
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <algorithm>
#include <vector>

namespace cg = cooperative_groups;


#define CK(x)                                                                        \
  do {                                                                               \
    cudaError_t e = (x);                                                             \
    if (e != cudaSuccess) {                                                          \
      fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e)); \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

__device__ inline float fmaxnan(float a, float b) {
  float r;
  asm("max.NaN.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b));
  return r;
}
struct OpMax { __device__ static float apply(float a, float b) { return fmaxnan(a, b); } };
struct OpSum { __device__ static float apply(float a, float b) { return a + b; } };

template <typename Op>
__device__ inline float warp_reduce(float v) {
  for (int o = 16; o > 0; o /= 2) v = Op::apply(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
template <typename Op>
__device__ inline float block_reduce(float v, float neutral) {
  __shared__ float partial[32];
  const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  v = warp_reduce<Op>(v);
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = lane < warps ? partial[lane] : neutral;
  v = warp_reduce<Op>(v);
  __syncthreads();
  return v;
}
// The reduction parpyc generated before: two cluster barriers per reduction.
template <typename Op>
__device__ inline float cluster_reduce_sync(float v, float neutral) {
  __shared__ float part;
  v = block_reduce<Op>(v, neutral);
  cg::cluster_group cluster = cg::this_cluster();
  if (threadIdx.x == 0) part = v;
  cluster.sync();
  float r = neutral;
  for (unsigned b = 0; b < cluster.num_blocks(); b++) r = Op::apply(r, *cluster.map_shared_rank(&part, b));
  cluster.sync();
  return r;
}

// ---- Reductions that push parts into every block's shared memory (st.async) and wait on a
// local mbarrier; two buffers used in turn, so no cluster barrier per reduction.
__device__ inline uint32_t smem_addr(const void* p) { return (uint32_t)__cvta_generic_to_shared(p); }
__device__ inline uint32_t map_rank(uint32_t a, uint32_t rank) {
  uint32_t r;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(r) : "r"(a), "r"(rank));
  return r;
}
__device__ inline void push_f32(uint32_t remote, float v, uint32_t remote_bar) {
  asm volatile("st.async.shared::cluster.mbarrier::complete_tx::bytes.b32 [%0], %1, [%2];" ::"r"(remote),
               "r"(__float_as_uint(v)), "r"(remote_bar)
               : "memory");
}
__device__ inline void bar_arm(uint32_t bar, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.release.cta.shared::cta.b64 _, [%0], %1;" ::"r"(bar), "r"(bytes) : "memory");
}
__device__ inline void bar_wait(uint32_t bar, uint32_t parity) {
  uint32_t done = 0;
  while (!done) {
    asm volatile(
        "{ .reg .pred p; mbarrier.try_wait.parity.acquire.cluster.shared::cta.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
        : "=r"(done)
        : "r"(bar), "r"(parity)
        : "memory");
  }
}

struct PushRed {
  uint64_t bar[2];
  float buf[2][32 * 16];
  float partial[2][32];
};

// Thread 0 arms both barriers; the cluster barrier makes every block's barriers ready before
// any block pushes.
__device__ inline void push_init(PushRed& s, uint32_t bytes) {
  if (threadIdx.x == 0) {
    for (int b = 0; b < 2; b++) {
      asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(smem_addr(&s.bar[b])) : "memory");
    }
    asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
    for (int b = 0; b < 2; b++) bar_arm(smem_addr(&s.bar[b]), bytes);
  }
  cg::this_cluster().sync();
}

// Every warp pushes its part to every block (lane r to block r): no block barrier.
template <typename Op, int CL>
__device__ inline float cluster_reduce_warps(PushRed& s, unsigned& n, float v, float neutral) {
  const unsigned b = n & 1, parity = (n >> 1) & 1;
  n++;
  const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  const unsigned rank = cg::this_cluster().block_rank();
  v = warp_reduce<Op>(v);
  if (lane < CL) {
    push_f32(map_rank(smem_addr(&s.buf[b][rank * warps + warp]), lane), v, map_rank(smem_addr(&s.bar[b]), lane));
  }
  bar_wait(smem_addr(&s.bar[b]), parity);
  float r = neutral;
  for (unsigned q = lane; q < CL * warps; q += 32) r = Op::apply(r, s.buf[b][q]);
  r = warp_reduce<Op>(r);
  if (threadIdx.x == 0) bar_arm(smem_addr(&s.bar[b]), CL * warps * 4);
  return r;
}

// The block reduces first; warp 0's lane r pushes the block's part to block r.
template <typename Op, int CL>
__device__ inline float cluster_reduce_block(PushRed& s, unsigned& n, float v, float neutral) {
  const unsigned b = n & 1, parity = (n >> 1) & 1;
  n++;
  const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
  v = warp_reduce<Op>(v);
  if (lane == 0) s.partial[b][warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < warps ? s.partial[b][lane] : neutral;
    v = warp_reduce<Op>(v);
    const unsigned rank = cg::this_cluster().block_rank();
    if (lane < CL) push_f32(map_rank(smem_addr(&s.buf[b][rank]), lane), v, map_rank(smem_addr(&s.bar[b]), lane));
  }
  bar_wait(smem_addr(&s.bar[b]), parity);
  float r = neutral;
  for (unsigned q = 0; q < CL; q++) r = Op::apply(r, s.buf[b][q]);
  if (threadIdx.x == 0) bar_arm(smem_addr(&s.bar[b]), CL * 4);
  return r;
}

// ---- Variant A: the generated kernel as it was (cluster of 4 x 512 threads, 8 vectors).
template <int K>
__launch_bounds__(512, 2) __global__ void kA(const float* x, float* out, int64_t N, int64_t M, int64_t threads_N, int64_t threads_M) {
  int64_t block = blockIdx.x;
  const int64_t blocks_per_row = (unsigned)((threads_M + blockDim.x - 1) / blockDim.x);
  const int64_t tid = (int64_t)((unsigned)block % (unsigned)blocks_per_row) * blockDim.x + threadIdx.x;
  block = (unsigned)block / (unsigned)blocks_per_row;
  float4 r[K];
  for (int64_t i = block; i < N; i += threads_N) {
    float m = -INFINITY, mp = -INFINITY;
    const int64_t nv = M / 4;
    const float4* p = (const float4*)&x[i * M];
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        r[k] = p[q];
        mp = fmaxnan(mp, r[k].x); mp = fmaxnan(mp, r[k].y); mp = fmaxnan(mp, r[k].z); mp = fmaxnan(mp, r[k].w);
      }
    }
    mp = cluster_reduce_sync<OpMax>(mp, -INFINITY);
    m = fmaxnan(m, mp);
    float s = 0.0f, sp = 0.0f;
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        r[k].x = expf(r[k].x - m); sp = sp + r[k].x;
        r[k].y = expf(r[k].y - m); sp = sp + r[k].y;
        r[k].z = expf(r[k].z - m); sp = sp + r[k].z;
        r[k].w = expf(r[k].w - m); sp = sp + r[k].w;
      }
    }
    sp = cluster_reduce_sync<OpSum>(sp, 0.0f);
    s = s + sp;
    float4* o = (float4*)&out[i * M];
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        r[k].x = r[k].x / s; r[k].y = r[k].y / s; r[k].z = r[k].z / s; r[k].w = r[k].w / s;
        __stwb(&o[q], r[k]);
      }
    }
  }
}

// ---- Variant family P: pushed reductions. MODE 0: warps push; 1: blocks push; 2: no reduction
// (constants; the time of loads, arithmetic and stores alone). PREFETCH: the next row's vectors
// are copied into shared memory (cp.async) while the current one is computed. LDCS: loads with
// the streaming hint. Rows are taken in turn by the clusters of the grid (gridDim.x / CL).
template <int K, int CL, int T, int MIN_BLOCKS, int MODE, bool PREFETCH, bool LDCS>
__launch_bounds__(T, MIN_BLOCKS) __global__ void kP(const float* x, float* out, int64_t N, int64_t M) {
  __shared__ PushRed red;
  extern __shared__ float4 stage[];
  const unsigned warps = T / 32;
  if (MODE == 0) push_init(red, CL * warps * 4);
  if (MODE == 1) push_init(red, CL * 4);
  unsigned n = 0;
  const int64_t nclusters = gridDim.x / CL;
  const int64_t cluster = blockIdx.x / CL;
  const unsigned rank = blockIdx.x % CL;
  const int64_t nv = M / 4;
  const int64_t threads_M = (int64_t)CL * T;
  const int64_t tid = (int64_t)rank * T + threadIdx.x;
  float4 r[K];
  auto issue = [&](int64_t row) {
    const float4* p = (const float4*)&x[row * M];
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) __pipeline_memcpy_async(&stage[k * T + threadIdx.x], &p[q], 16);
    }
    __pipeline_commit();
  };
  if (PREFETCH && cluster < N) issue(cluster);
  for (int64_t i = cluster; i < N; i += nclusters) {
    float mp = -INFINITY;
    const float4* p = (const float4*)&x[i * M];
    if (PREFETCH) __pipeline_wait_prior(0);
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        if (PREFETCH) {
          r[k] = stage[k * T + threadIdx.x];
        } else if (LDCS) {
          r[k] = __ldcs(&p[q]);
        } else {
          r[k] = p[q];
        }
        mp = fmaxnan(mp, r[k].x); mp = fmaxnan(mp, r[k].y); mp = fmaxnan(mp, r[k].z); mp = fmaxnan(mp, r[k].w);
      }
    }
    if (PREFETCH && i + nclusters < N) issue(i + nclusters);
    float m;
    if (MODE == 0) m = cluster_reduce_warps<OpMax, CL>(red, n, mp, -INFINITY);
    else if (MODE == 1) m = cluster_reduce_block<OpMax, CL>(red, n, mp, -INFINITY);
    else m = fmaxnan(mp, 0.0f);
    float sp = 0.0f;
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        r[k].x = expf(r[k].x - m); sp = sp + r[k].x;
        r[k].y = expf(r[k].y - m); sp = sp + r[k].y;
        r[k].z = expf(r[k].z - m); sp = sp + r[k].z;
        r[k].w = expf(r[k].w - m); sp = sp + r[k].w;
      }
    }
    float s;
    if (MODE == 0) s = cluster_reduce_warps<OpSum, CL>(red, n, sp, 0.0f);
    else if (MODE == 1) s = cluster_reduce_block<OpSum, CL>(red, n, sp, 0.0f);
    else s = sp + 1.0f;
    float4* o = (float4*)&out[i * M];
#pragma unroll
    for (int k = 0; k < K; k++) {
      const int64_t q = tid + k * threads_M;
      if (q < nv) {
        r[k].x = r[k].x / s; r[k].y = r[k].y / s; r[k].z = r[k].z / s; r[k].w = r[k].w / s;
        __stwb(&o[q], r[k]);
      }
    }
  }
  // No block leaves while another may still push into its shared memory.
  if (MODE != 2) cg::this_cluster().sync();
}

__global__ void init_input(float* x, int64_t n, uint32_t seed) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
    uint32_t h = (uint32_t)i * 2654435761u ^ seed;
    h ^= h >> 15; h *= 2246822519u; h ^= h >> 13; h *= 3266489917u; h ^= h >> 16;
    uint32_t g = h * 747796405u + 2891336453u;
    g ^= g >> 17; g *= 2654435769u; g ^= g >> 11;
    // Roughly normal: the sum of two uniforms, scaled to a spread of about 4.
    x[i] = ((h >> 8) * (1.0f / 16777216.0f) + (g >> 8) * (1.0f / 16777216.0f) - 1.0f) * 6.0f;
  }
}

struct Variant {
  const char* name;
  const void* fn;
  int cl, threads, smem;
  bool persistent, generated;
  bool entry = false;  // fn is a generated library's C entry point
};
typedef int32_t (*EntryFn)(const float*, int64_t, int64_t, float*, void*);

static float median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int main(int argc, char** argv) {
  // --only I: run variant I alone, once after its check (for a profiler).
  const int only = argc > 2 && !strcmp(argv[1], "--only") ? atoi(argv[2]) : -1;
  const bool profile = only >= 0;
  const int64_t N = 1024, M = 65536, E = N * M;
  float *x, *out, *copy;
  CK(cudaMalloc(&x, E * 4));
  CK(cudaMalloc(&out, E * 4));
  CK(cudaMalloc(&copy, E * 4));
  init_input<<<1024, 256>>>(x, E, 12345u);
  CK(cudaDeviceSynchronize());
  cudaDeviceProp prop;
  CK(cudaGetDeviceProperties(&prop, 0));
  printf("device %s, %d SMs\n", prop.name, prop.multiProcessorCount);

  // Reference for a sample of rows, in double on the host.
  std::vector<float> hx(E);
  CK(cudaMemcpy(hx.data(), x, E * 4, cudaMemcpyDeviceToHost));
  const int sample[] = {0, 1, 7, 100, 511, 512, 777, 1023};
  std::vector<double> ref(8 * M);
  for (int si = 0; si < 8; si++) {
    const float* row = &hx[sample[si] * M];
    double m = -INFINITY, s = 0;
    for (int64_t j = 0; j < M; j++) m = std::max(m, (double)row[j]);
    for (int64_t j = 0; j < M; j++) s += exp((double)row[j] - m);
    for (int64_t j = 0; j < M; j++) ref[si * M + j] = exp((double)row[j] - m) / s;
  }

  const int SMEM8x512 = 8 * 512 * 16, SMEM8x256 = 8 * 256 * 16;
  std::vector<Variant> vs = {
      {"A  two cluster barriers per reduction", (const void*)kA<8>, 4, 512, 0, false, true},
      {"P0 warps push, a cluster per row, 4x512", (const void*)kP<8, 4, 512, 2, 0, false, false>, 4, 512, 0, false, false},
      {"P1 blocks push, a cluster per row", (const void*)kP<8, 4, 512, 2, 1, false, false>, 4, 512, 0, false, false},
      {"P0 8x256, a cluster per row", (const void*)kP<8, 8, 256, 4, 0, false, false>, 8, 256, 0, false, false},
      {"P0 rows in turn", (const void*)kP<8, 4, 512, 2, 0, false, false>, 4, 512, 0, true, false},
      {"P1 rows in turn", (const void*)kP<8, 4, 512, 2, 1, false, false>, 4, 512, 0, true, false},
      {"P0 rows in turn, ldcs", (const void*)kP<8, 4, 512, 2, 0, false, true>, 4, 512, 0, true, false},
      {"P0 rows in turn, fetch ahead", (const void*)kP<8, 4, 512, 2, 0, true, false>, 4, 512, SMEM8x512, true, false},
      {"P1 rows in turn, fetch ahead", (const void*)kP<8, 4, 512, 2, 1, true, false>, 4, 512, SMEM8x512, true, false},
      {"P0 8x256 rows in turn", (const void*)kP<8, 8, 256, 4, 0, false, false>, 8, 256, 0, true, false},
      {"P0 8x256 rows in turn, fetch ahead", (const void*)kP<8, 8, 256, 4, 0, true, false>, 8, 256, SMEM8x256, true, false},
      {"P1 8x256 rows in turn, fetch ahead", (const void*)kP<8, 8, 256, 4, 1, true, false>, 8, 256, SMEM8x256, true, false},
      {"no reductions, rows in turn (not softmax)", (const void*)kP<8, 4, 512, 2, 2, false, false>, 4, 512, 0, true, false},
  };
  if (const char* lib = getenv("PARPYC_SOFTMAX_LIB")) {
    const char* sym = getenv("PARPYC_SOFTMAX_SYM");
    void* h = dlopen(lib, RTLD_NOW);
    void* f = h ? dlsym(h, sym ? sym : "softmax_f32_t1024_softmax") : nullptr;
    if (!f) {
      fprintf(stderr, "cannot load the entry point from %s: %s\n", lib, dlerror());
      return 1;
    }
    Variant g = {"G  the generated library's entry point", f, 0, 0, 0, false, false};
    g.entry = true;
    vs.insert(vs.begin() + 1, g);
  }
  cudaEvent_t e0, e1;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  const int reps = profile ? 1 : 40;
  for (int round = 0; round < (profile ? 1 : 3); round++) {
  printf("-- round %d\n", round + 1);
  // Copy bandwidth.
  std::vector<float> ct;
  for (int r = 0; r < 5 + reps; r++) {
    CK(cudaEventRecord(e0));
    CK(cudaMemcpyAsync(copy, x, E * 4, cudaMemcpyDeviceToDevice));
    CK(cudaEventRecord(e1));
    CK(cudaEventSynchronize(e1));
    float t;
    CK(cudaEventElapsedTime(&t, e0, e1));
    if (r >= 5) ct.push_back(t);
  }
  const float copy_ms = median(ct);
  const double bytes = 2.0 * E * 4;
  printf("copy: %.4f ms, %.2f TB/s\n", copy_ms, bytes / copy_ms / 1e9);
  printf("%-48s %5s %8s %9s %7s %10s\n", "variant", "grid", "ms", "of copy", "regs", "max rel err");
  for (size_t vi = 0; vi < vs.size(); vi++) {
    if (only >= 0 && (int)vi != only) continue;
    Variant& v = vs[vi];
    if (v.smem > 48 * 1024) CK(cudaFuncSetAttribute(v.fn, cudaFuncAttributeMaxDynamicSharedMemorySize, v.smem));
    cudaFuncAttributes attr = {};
    if (!v.entry) CK(cudaFuncGetAttributes(&attr, v.fn));
    cudaLaunchConfig_t cfg = {};
    cudaLaunchAttribute at;
    at.id = cudaLaunchAttributeClusterDimension;
    at.val.clusterDim.x = v.cl;
    at.val.clusterDim.y = 1;
    at.val.clusterDim.z = 1;
    cfg.attrs = &at;
    cfg.numAttrs = 1;
    cfg.blockDim = dim3(v.threads);
    cfg.dynamicSmemBytes = v.smem;
    int64_t clusters = N;
    if (v.persistent) {
      cfg.gridDim = dim3(v.cl * 1024);
      int active = 0;
      CK(cudaOccupancyMaxActiveClusters(&active, v.fn, &cfg));
      clusters = std::min<int64_t>(N, active);
    }
    cfg.gridDim = dim3((unsigned)(clusters * v.cl));
    if (v.entry) clusters = 0;
    auto launch = [&]() {
      if (v.entry) {
        if (((EntryFn)v.fn)(x, N, M, out, nullptr) != 0) {
          fprintf(stderr, "the generated entry point failed\n");
          exit(1);
        }
      } else if (v.generated) {
        const int64_t tN = N, tM = 4 * 512;
        CK(cudaLaunchKernelEx(&cfg, (void (*)(const float*, float*, int64_t, int64_t, int64_t, int64_t))v.fn, (const float*)x, out, N, M, tN, tM));
      } else {
        CK(cudaLaunchKernelEx(&cfg, (void (*)(const float*, float*, int64_t, int64_t))v.fn, (const float*)x, out, N, M));
      }
    };
    // Poison, run once, check.
    CK(cudaMemset(out, 0xff, E * 4));
    launch();
    CK(cudaGetLastError());
    CK(cudaDeviceSynchronize());
    double maxerr = 0;
    std::vector<float> hrow(M);
    for (int si = 0; si < 8; si++) {
      CK(cudaMemcpy(hrow.data(), out + sample[si] * M, M * 4, cudaMemcpyDeviceToHost));
      for (int64_t j = 0; j < M; j++) {
        double r = ref[si * M + j];
        double e = fabs(hrow[j] - r) / r;
        if (!(e <= maxerr)) maxerr = e;  // NaN propagates
      }
    }
    std::vector<float> ts;
    for (int r = 0; r < (profile ? 1 : 3 + reps); r++) {
      CK(cudaEventRecord(e0));
      launch();
      CK(cudaEventRecord(e1));
      CK(cudaEventSynchronize(e1));
      float t;
      CK(cudaEventElapsedTime(&t, e0, e1));
      if (r >= 3 || profile) ts.push_back(t);
    }
    const float ms = median(ts);
    printf("%-48s %5lld %8.4f %8.1f%% %7d %10.2e\n", v.name, (long long)(clusters * v.cl), ms, 100.0 * copy_ms / ms,
           attr.numRegs, maxerr);
  }
  }
  return 0;
}
