
// ---- Rows fetched ahead (rows kept in registers whose blocks are large). ----
// The form of a rows kernel whose blocks each take rows in turn and copy the read-only rows of
// their next row into shared memory (`cp.async`) while they work on the current one.
#include <cuda_pipeline.h>

// What the launch learned about one kernel at one block size on one device: how many blocks of
// its form that fetches ahead fit on a multiprocessor, or 0 where it is not used.
struct parpyc_rows_choice {
  int device = -1;
  int64_t threads = -1;
  int64_t stage = -1;
  int64_t per_sm = 0;
};

// The grid for the form that fetches ahead (`ahead`, with `stage` bytes of shared memory per
// block), or 0 for the plain form (`plain`): used where at most two plain blocks of `threads`
// threads fit on a multiprocessor (their passes, each ending at a barrier, then leave memory
// idle while they compute) and there are more rows than blocks that fit at once.
[[maybe_unused]] static inline int64_t parpyc_rows_prefetch(parpyc_rows_choice* c, const void* plain, const void* ahead, int64_t threads, int64_t stage, int64_t rows) {
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  if (c->device != device || c->threads != threads || c->stage != stage) {
    c->device = device;
    c->threads = threads;
    c->stage = stage;
    c->per_sm = 0;
    int plain_sm = 0;
    int ahead_sm = 0;
    if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&plain_sm, plain, (int)threads, 0) != cudaSuccess ||
        (plain_sm <= 2 &&
         ((stage > 48 * 1024 &&
           cudaFuncSetAttribute(ahead, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)stage) != cudaSuccess) ||
          cudaOccupancyMaxActiveBlocksPerMultiprocessor(&ahead_sm, ahead, (int)threads, (size_t)stage) != cudaSuccess))) {
      (void)cudaGetLastError();
      return 0;
    }
    if (plain_sm <= 2) {
      c->per_sm = ahead_sm;
    }
  }
  const int64_t grid = c->per_sm * parpyc_sm_count();
  return c->per_sm > 0 && rows > grid ? grid : 0;
}
