#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <math.h>
#include <mutex>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <type_traits>

// Python's meaning of //, % and ** on integers, and of % on floats.
// Integer + - * and negation wrap at the type's width, as NumPy's do: computed in the unsigned
// type of that width (signed overflow is undefined in C++). Other types compute as written.
template <typename T> struct parpyc_wrap_type { typedef T type; };
template <> struct parpyc_wrap_type<int8_t> { typedef uint8_t type; };
template <> struct parpyc_wrap_type<int16_t> { typedef uint16_t type; };
template <> struct parpyc_wrap_type<int32_t> { typedef uint32_t type; };
template <> struct parpyc_wrap_type<int64_t> { typedef uint64_t type; };
template <typename T>
__host__ __device__ inline T parpyc_wadd(T a, T b) {
  typedef typename parpyc_wrap_type<T>::type U;
  return (T)((U)a + (U)b);
}
template <typename T>
__host__ __device__ inline T parpyc_wmul(T a, T b) {
  typedef typename parpyc_wrap_type<T>::type U;
  if constexpr (sizeof(T) == 2 && std::is_integral<T>::value) {
    return (T)((uint32_t)(U)a * (uint32_t)(U)b);  // not int: 65535 * 65535 overflows it
  } else {
    return (T)((U)a * (U)b);
  }
}
template <typename T>
__host__ __device__ inline T parpyc_wneg(T a) {
  typedef typename parpyc_wrap_type<T>::type U;
  return (T)(-(U)a);
}
// Shifts as NumPy computes them: a count of at least the width, or negative, shifts every bit
// out (left: 0; right: 0, or -1 for a negative signed value). C leaves both undefined.
template <typename T, typename S>
__host__ __device__ inline T parpyc_shl(T a, S b) {
  typedef typename std::make_unsigned<T>::type U;
  return (uint64_t)b < sizeof(T) * 8 ? (T)((U)a << (int)b) : (T)0;
}
template <typename T, typename S>
__host__ __device__ inline T parpyc_shr(T a, S b) {
  if ((uint64_t)b < sizeof(T) * 8) return (T)(a >> (int)b);
  if constexpr (std::is_signed<T>::value) {
    return a < 0 ? (T)-1 : (T)0;
  } else {
    return (T)0;
  }
}
// Float to integer conversion without C's undefined behaviour out of range, as NumPy computes
// it on x86-64: the value truncated toward zero through int32_t (types of 32 bits or fewer but
// uint32_t) or int64_t (int64_t, uint32_t), wrapped to the type's width; NaN, infinities and
// values beyond the intermediate type give its minimum (so 0 for 8- and 16-bit types).
// uint64_t takes [2^63, 2^64) exactly as well.
template <typename F>
__host__ __device__ inline int32_t parpyc_f2i32(F x) {
  return (x >= (F)-2147483648.0 && x < (F)2147483648.0) ? (int32_t)x : (int32_t)INT32_MIN;
}
template <typename F>
__host__ __device__ inline int64_t parpyc_f2i64(F x) {
  return (x >= (F)-9223372036854775808.0 && x < (F)9223372036854775808.0) ? (int64_t)x : (int64_t)INT64_MIN;
}
template <typename T, typename F>
__host__ __device__ inline T parpyc_ftoi(F x) {
  if constexpr (sizeof(T) == 8 && std::is_unsigned<T>::value) {
    return x >= (F)9223372036854775808.0
               ? (uint64_t)parpyc_f2i64<F>(x - (F)9223372036854775808.0) ^ 0x8000000000000000ull
               : (uint64_t)parpyc_f2i64<F>(x);
  } else if constexpr (sizeof(T) == 8 || (sizeof(T) == 4 && std::is_unsigned<T>::value)) {
    return (T)parpyc_f2i64<F>(x);
  } else {
    return (T)parpyc_f2i32<F>(x);
  }
}
// As NumPy's: by zero both give 0, and the minimum // -1 wraps to the minimum (C's a / b is
// undefined for both).
template <typename T>
__host__ __device__ inline T parpyc_floordiv(T a, T b) {
  if (b == 0) return (T)0;
  if constexpr (std::is_signed<T>::value) {
    if (b == (T)-1) return parpyc_wneg<T>(a);
  }
  T q = a / b;
  if constexpr (std::is_signed<T>::value) {
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
  } else {
    return q;
  }
}
template <typename T>
__host__ __device__ inline T parpyc_mod(T a, T b) {
  if (b == 0) return (T)0;
  if constexpr (std::is_signed<T>::value) {
    if (b == (T)-1) return (T)0;
  }
  T r = a % b;
  if constexpr (std::is_signed<T>::value) {
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
  } else {
    return r;
  }
}
// Floats as NumPy (and Python) compute them: the quotient from fmod, not floor(a / b), so
// that 1.0 // 0.1 is 9.0; a zero remainder takes the divisor's sign; by zero, a / b and nan.
template <typename T>
__host__ __device__ inline T parpyc_ffloordiv(T a, T b) {
  if (b == 0) return a / b;
  T mod = fmod(a, b);
  T div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1;
  if (div == 0) return copysign((T)0, a / b);
  T fl = floor(div);
  return div - fl > (T)0.5 ? fl + 1 : fl;
}
template <typename T>
__host__ __device__ inline T parpyc_fmod(T a, T b) {
  T r = fmod(a, b);
  if (b == 0) return r;
  if (r == 0) return copysign((T)0, b);
  return ((r < 0) != (b < 0)) ? r + b : r;
}
// Computed in uint64_t, so that the product wraps (signed overflow would be undefined) and is
// then taken at T's width.
template <typename T>
__host__ __device__ inline T parpyc_ipow(T base, T exp) {
  uint64_t result = 1;
  uint64_t b = (uint64_t)base;
  while (exp > 0) {
    if (exp & 1) result *= b;
    b *= b;
    exp >>= 1;
  }
  return (T)result;
}
template <typename T>
__host__ __device__ inline T parpyc_max(T a, T b) { return a < b ? b : a; }
template <typename T>
__host__ __device__ inline T parpyc_min(T a, T b) { return b < a ? b : a; }
template <typename T>
__host__ __device__ inline T parpyc_abs(T a) {
  if constexpr (std::is_unsigned<T>::value) {
    return a;
  } else {
    return a < 0 ? parpyc_wneg<T>(a) : a;
  }
}
// Floats follow NumPy's maximum/minimum: a NaN operand makes the result NaN.
// On compute capability 8.0 and newer one instruction does it (`max.NaN`, `min.NaN`).
template <> __host__ __device__ inline float parpyc_max<float>(float a, float b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  float r;
  asm("max.NaN.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b));
  return r;
#else
  return a != a ? a : (b != b ? b : fmaxf(a, b));
#endif
}
template <> __host__ __device__ inline float parpyc_min<float>(float a, float b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
  float r;
  asm("min.NaN.f32 %0, %1, %2;" : "=f"(r) : "f"(a), "f"(b));
  return r;
#else
  return a != a ? a : (b != b ? b : fminf(a, b));
#endif
}
// Without branches: a NaN operand makes `a + b` NaN (measured on the H200: f64 softmax 47% to
// 65% of copy bandwidth against the version with branches).
template <> __host__ __device__ inline double parpyc_max<double>(double a, double b) {
  const double m = fmax(a, b);
  return (a != a || b != b) ? a + b : m;
}
template <> __host__ __device__ inline double parpyc_min<double>(double a, double b) {
  const double m = fmin(a, b);
  return (a != a || b != b) ? a + b : m;
}
// Half precision likewise (compared in float, which holds every half exactly).
template <> __host__ __device__ inline __half parpyc_max<__half>(__half a, __half b) {
  const float x = __half2float(a), y = __half2float(b);
  return (x != x || y != y) ? __float2half(x + y) : (x < y ? b : a);
}
template <> __host__ __device__ inline __half parpyc_min<__half>(__half a, __half b) {
  const float x = __half2float(a), y = __half2float(b);
  return (x != x || y != y) ? __float2half(x + y) : (y < x ? b : a);
}
template <> __host__ __device__ inline float parpyc_abs<float>(float a) { return fabsf(a); }
template <> __host__ __device__ inline double parpyc_abs<double>(double a) { return fabs(a); }

// An f16 value from its bits (how f16 scalars cross the C ABI).
[[maybe_unused]] static inline __half parpyc_half_from_bits(uint16_t bits) {
  __half_raw raw;
  raw.x = bits;
  return __half(raw);
}

// Whether 16-byte vector accesses may start at `p`.
__host__ __device__ inline bool parpyc_aligned16(const void* p) { return ((uintptr_t)p & 15) == 0; }

// Whether the `abytes` bytes at `a` and the `bbytes` bytes at `b` do not overlap.
[[maybe_unused]] static inline bool parpyc_disjoint(const void* a, int64_t abytes, const void* b, int64_t bbytes) {
  const uintptr_t x = (uintptr_t)a;
  const uintptr_t y = (uintptr_t)b;
  return x + (uintptr_t)abytes <= y || y + (uintptr_t)bbytes <= x;
}

// The threads a row of `extent` iterations wants for a block-wide reduction, at most `tpb`: about
// 32 iterations per thread (a multiple of 32, at least 32), but up to 128 threads at about 8
// iterations each for shorter rows (a block of 128 keeps more of a short row's loads in
// flight). Short rows then keep threads busy instead of idle at the block's barriers, and long
// rows get enough threads to keep memory busy. Which thread runs which iteration does not
// change a parallel loop's result. Rows within one block take this with `tpb` at most 512 (on
// the H200, 1024 rows of 65536 `f32` took 5-9% less time to sum with 512 threads than with
// 256 or 1024), whatever the spec's count.
[[maybe_unused]] static inline int64_t parpyc_row_threads(int64_t extent, int64_t tpb) {
  int64_t want = ((extent + 31) / 32 + 31) / 32 * 32;
  const int64_t eighths = ((extent + 7) / 8 + 31) / 32 * 32;
  if (want < 128) {
    want = eighths < 128 ? eighths : 128;
  }
  if (want < 32) {
    want = 32;
  }
  return want > tpb ? tpb : want;
}

// The threads of a row that may span blocks, given the spec's `count`: what the row wants
// (`parpyc_row_threads`, unbounded), but no more than `count` or, when `count` is smaller,
// 256. The row spans blocks only where the spec asks for more than a block holds.
[[maybe_unused]] static inline int64_t parpyc_fit_threads(int64_t count, int64_t extent) {
  const int64_t want = parpyc_row_threads(extent, (int64_t)1 << 40);
  if (want <= count) {
    return want;
  }
  const int64_t up = want < 256 ? want : 256;
  return up > count ? up : count;
}

// The number of multiprocessors of the current device.
[[maybe_unused]] static inline int64_t parpyc_sm_count() {
  int device = 0;
  int count = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device) != cudaSuccess || count < 1) {
    (void)cudaGetLastError();
    return 1;
  }
  return count;
}

// A device temporary of one call, freed on its stream when the call's host code leaves its
// scope (also on an error).
struct parpyc_temp {
  void* ptr = nullptr;
  cudaStream_t stream;
  explicit parpyc_temp(cudaStream_t s) : stream(s) {}
  parpyc_temp(const parpyc_temp&) = delete;
  parpyc_temp& operator=(const parpyc_temp&) = delete;
  ~parpyc_temp() {
    if (ptr != nullptr) {
      (void)cudaFreeAsync(ptr, stream);
    }
  }
};

// The most threads a block of `kernel` may have (its registers per thread can allow fewer
// than 1024), as a multiple of 32.
[[maybe_unused]] static inline int64_t parpyc_max_block(const void* kernel) {
  cudaFuncAttributes attr;
  if (cudaFuncGetAttributes(&attr, kernel) != cudaSuccess || attr.maxThreadsPerBlock < 32) {
    (void)cudaGetLastError();
    return 1024;
  }
  return attr.maxThreadsPerBlock / 32 * 32;
}

// Reductions across the threads of a block. The block has a multiple of 32 threads; every
// thread passes its partial value and receives the combination of all of them.
template <typename T> struct parpyc_op_sum { __device__ static T apply(T a, T b) { return parpyc_wadd<T>(a, b); } };
template <typename T> struct parpyc_op_prod { __device__ static T apply(T a, T b) { return parpyc_wmul<T>(a, b); } };
template <typename T> struct parpyc_op_max { __device__ static T apply(T a, T b) { return parpyc_max<T>(a, b); } };
template <typename T> struct parpyc_op_min { __device__ static T apply(T a, T b) { return parpyc_min<T>(a, b); } };

template <typename Op, typename T>
__device__ inline T parpyc_warp_reduce(T v) {
  for (int offset = 16; offset > 0; offset /= 2) {
    v = Op::apply(v, __shfl_xor_sync(0xffffffffu, v, offset));
  }
  return v;
}

template <typename Op, typename T>
__device__ inline T parpyc_block_reduce(T v, T neutral) {
  __shared__ T partial[32];
  const unsigned lane = threadIdx.x % 32;
  const unsigned warp = threadIdx.x / 32;
  const unsigned warps = blockDim.x / 32;
  v = parpyc_warp_reduce<Op>(v);
  if (warps == 1) {
    return v;
  }
  if (lane == 0) {
    partial[warp] = v;
  }
  __syncthreads();
  v = lane < warps ? partial[lane] : neutral;
  v = parpyc_warp_reduce<Op>(v);
  __syncthreads();
  return v;
}

// Op over the `n` parts a reduction's blocks left in `parts` (a row spread over several
// blocks, whose kernel was split after the reduction); every thread receives the result.
template <typename Op, typename T>
__device__ inline T parpyc_gather(const T* parts, int64_t n, T neutral) {
  T v = neutral;
  for (int64_t q = threadIdx.x; q < n; q += blockDim.x) {
    v = Op::apply(v, parts[q]);
  }
  return parpyc_block_reduce<Op, T>(v, neutral);
}

// `*addr = Op(*addr, v)` atomically, for 4- and 8-byte types: blocks combine their parts of a
// reduction that spans the grid.
template <typename Op, typename T>
__device__ inline void parpyc_atomic(T* addr, T v) {
  static_assert(sizeof(T) == 4 || sizeof(T) == 8, "atomic reductions need 4- or 8-byte elements");
  if constexpr (sizeof(T) == 4) {
    unsigned int* word = (unsigned int*)addr;
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      T cur;
      memcpy(&cur, &assumed, 4);
      T next = Op::apply(cur, v);
      unsigned int bits;
      memcpy(&bits, &next, 4);
      old = atomicCAS(word, assumed, bits);
    } while (assumed != old);
  } else {
    unsigned long long* word = (unsigned long long*)addr;
    unsigned long long old = *word, assumed;
    do {
      assumed = old;
      T cur;
      memcpy(&cur, &assumed, 8);
      T next = Op::apply(cur, v);
      unsigned long long bits;
      memcpy(&bits, &next, 8);
      old = atomicCAS(word, assumed, bits);
    } while (assumed != old);
  }
}
template <>
__device__ inline void parpyc_atomic<parpyc_op_sum<float>, float>(float* addr, float v) { atomicAdd(addr, v); }
template <>
__device__ inline void parpyc_atomic<parpyc_op_sum<double>, double>(double* addr, double v) { atomicAdd(addr, v); }

// Errors: a message per host thread, returned by PREFIX_last_error().
static thread_local char PREFIX_error[1024];

static int32_t PREFIX_fail(const char* format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(PREFIX_error, sizeof PREFIX_error, format, args);
  va_end(args);
  return 1;
}

static int32_t PREFIX_check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) {
    return PREFIX_fail("%s failed: %s", what, cudaGetErrorString(err));
  }
  return 0;
}

extern "C" const char* PREFIX_last_error(void) { return PREFIX_error; }

extern "C" int32_t PREFIX_alloc(void** ptr, int64_t bytes) {
  *ptr = NULL;
  if (bytes <= 0) {
    return 0;
  }
  return PREFIX_check(cudaMalloc(ptr, (size_t)bytes), "cudaMalloc");
}

extern "C" int32_t PREFIX_free(void* ptr) {
  return ptr == NULL ? 0 : PREFIX_check(cudaFree(ptr), "cudaFree");
}

extern "C" int32_t PREFIX_copy_to_device(void* dst, const void* src, int64_t bytes, void* stream) {
  if (bytes <= 0) {
    return 0;
  }
  cudaStream_t s = (cudaStream_t)stream;
  if (PREFIX_check(cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyHostToDevice, s), "copy to the device")) {
    return 1;
  }
  return PREFIX_check(cudaStreamSynchronize(s), "copy to the device");
}

extern "C" int32_t PREFIX_copy_to_host(void* dst, const void* src, int64_t bytes, void* stream) {
  if (bytes <= 0) {
    return 0;
  }
  cudaStream_t s = (cudaStream_t)stream;
  if (PREFIX_check(cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyDeviceToHost, s), "copy to the host")) {
    return 1;
  }
  return PREFIX_check(cudaStreamSynchronize(s), "copy to the host");
}

extern "C" int32_t PREFIX_copy_on_device(void* dst, const void* src, int64_t bytes, void* stream) {
  if (bytes <= 0) {
    return 0;
  }
  return PREFIX_check(cudaMemcpyAsync(dst, src, (size_t)bytes, cudaMemcpyDeviceToDevice, (cudaStream_t)stream), "copy on the device");
}

// CUDA graphs (`use_cuda_graphs`): a call captures the launches of its host program into a
// graph and launches it; the executable graph of the previous call is updated in place when the
// launches have the same shape, and made anew when not. The legacy default stream cannot be
// captured: calls on it capture on a stream of the entry point's, ordered after the work before
// the call and before the work after it with events.
struct parpyc_graph_cache {
  std::mutex lock;
  cudaGraphExec_t exec = nullptr;
  cudaStream_t stream = nullptr;
  cudaEvent_t before = nullptr;
  cudaEvent_t after = nullptr;
};

template <typename Body>
static int32_t PREFIX_graph_run(parpyc_graph_cache* cache, cudaStream_t user, Body body) {
  std::lock_guard<std::mutex> guard(cache->lock);
  cudaStream_t s = user;
  if (user == nullptr) {
    if (cache->stream == nullptr) {
      if (int32_t e = PREFIX_check(cudaStreamCreateWithFlags(&cache->stream, cudaStreamNonBlocking), "creating a stream for CUDA graphs")) {
        cache->stream = nullptr;
        return e;
      }
      if (int32_t e = PREFIX_check(cudaEventCreateWithFlags(&cache->before, cudaEventDisableTiming), "creating an event")) {
        return e;
      }
      if (int32_t e = PREFIX_check(cudaEventCreateWithFlags(&cache->after, cudaEventDisableTiming), "creating an event")) {
        return e;
      }
    }
    s = cache->stream;
    if (int32_t e = PREFIX_check(cudaEventRecord(cache->before, nullptr), "ordering the graph after earlier work")) {
      return e;
    }
    if (int32_t e = PREFIX_check(cudaStreamWaitEvent(s, cache->before, 0), "ordering the graph after earlier work")) {
      return e;
    }
  }
  if (int32_t e = PREFIX_check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "starting a CUDA graph capture")) {
    return e;
  }
  const int32_t status = body(s);
  cudaGraph_t graph = nullptr;
  const cudaError_t ended = cudaStreamEndCapture(s, &graph);
  if (status != 0 || ended != cudaSuccess) {
    if (graph != nullptr) {
      cudaGraphDestroy(graph);
    }
    return status != 0 ? status : PREFIX_check(ended, "capturing the launches into a CUDA graph");
  }
  if (cache->exec != nullptr) {
    cudaGraphExecUpdateResultInfo info;
    if (cudaGraphExecUpdate(cache->exec, graph, &info) != cudaSuccess) {
      (void)cudaGetLastError();
      cudaGraphExecDestroy(cache->exec);
      cache->exec = nullptr;
    }
  }
  if (cache->exec == nullptr) {
    const cudaError_t made = cudaGraphInstantiate(&cache->exec, graph, 0);
    if (made != cudaSuccess) {
      cache->exec = nullptr;
      cudaGraphDestroy(graph);
      return PREFIX_check(made, "instantiating a CUDA graph");
    }
  }
  cudaGraphDestroy(graph);
  if (int32_t e = PREFIX_check(cudaGraphLaunch(cache->exec, s), "launching a CUDA graph")) {
    return e;
  }
  if (user == nullptr) {
    if (int32_t e = PREFIX_check(cudaEventRecord(cache->after, s), "ordering later work after the graph")) {
      return e;
    }
    return PREFIX_check(cudaStreamWaitEvent(nullptr, cache->after, 0), "ordering later work after the graph");
  }
  return 0;
}

extern "C" int32_t PREFIX_sync(void* stream) {
  return PREFIX_check(cudaStreamSynchronize((cudaStream_t)stream), "synchronizing the stream");
}
