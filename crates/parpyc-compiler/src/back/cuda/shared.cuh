
// ---- Rows in shared memory (rows kept on chip whose register blocks are large). ----
// The form of a rows kernel whose blocks keep their row in shared memory,
// copied there with `cp.async`.
#include <cuda_pipeline.h>

// The threads of a block of the shared-memory form. Its kernels are built for that many (their
// loops step by it, and three blocks fit on a multiprocessor): on the H200 this took f64
// softmax over rows of 8192 from 86% to 90% of copy bandwidth against a stride read from a
// parameter and no minimum of blocks.
#define PARPYC_SHARED_BLOCK 256

// What the launch learned about one kernel at one block size on one device: the threads of
// its shared-memory form's blocks, or 0 where that form is not used.
struct parpyc_rows_choice {
  int device = -1;
  int64_t threads = -1;
  int64_t stage = -1;
  int64_t shared_threads = 0;
  int64_t plain_sm = 0;
};

// The block size of the shared-memory form (`shared`, with `stage` bytes of shared memory per
// block), or 0 for the register form (`plain`, blocks of `threads`): the shared form where at
// most two register blocks fit on a multiprocessor (their passes, each ending at a barrier,
// then leave memory idle while they compute), more shared blocks fit than register ones, and
// there are more rows than the register blocks that fit at once. (On the H200, f64 softmax
// over rows of 8192 in a prototype: 80% of copy bandwidth with one block of 1024 threads per
// multiprocessor fetching its next row ahead, 95% with three blocks of 256 threads keeping
// their rows in shared memory; the generated form reached 90%.)
[[maybe_unused]] static inline int64_t parpyc_rows_shared(parpyc_rows_choice* c, const void* plain, const void* shared, int64_t threads, int64_t stage, int64_t rows) {
  const int64_t block = PARPYC_SHARED_BLOCK;
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  if (c->device != device || c->threads != threads || c->stage != stage) {
    c->device = device;
    c->threads = threads;
    c->stage = stage;
    c->shared_threads = 0;
    c->plain_sm = 0;
    int plain_sm = 0;
    int shared_sm = 0;
    int max_stage = 0;
    if (threads <= block || stage > INT32_MAX ||
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&plain_sm, plain, (int)threads, 0) != cudaSuccess) {
      (void)cudaGetLastError();
      return 0;
    }
    c->plain_sm = plain_sm;
    cudaFuncAttributes attr;
    if (plain_sm > 2 || cudaDeviceGetAttribute(&max_stage, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) != cudaSuccess ||
        cudaFuncGetAttributes(&attr, shared) != cudaSuccess) {
      (void)cudaGetLastError();
      return 0;
    }
    // The kernel's static shared memory (the block reduction's) counts against the same
    // per-block limit as the stage, which may have only what is left. The attribute is set to
    // all of that whatever the stage, at 48 KiB or less too: it is one value per kernel for the
    // whole process while this choice is cached per call site and thread, so a thread setting it
    // for a smaller stage must not lower it under another thread's launch of a larger one.
    const int64_t max_dynamic = (int64_t)max_stage - (int64_t)attr.sharedSizeBytes;
    if (stage > max_dynamic ||
        cudaFuncSetAttribute(shared, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)max_dynamic) != cudaSuccess ||
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&shared_sm, shared, (int)block, (size_t)stage) != cudaSuccess) {
      (void)cudaGetLastError();
      return 0;
    }
    if (shared_sm > plain_sm) {
      c->shared_threads = block;
    }
  }
  return c->shared_threads > 0 && rows > c->plain_sm * parpyc_sm_count() ? c->shared_threads : 0;
}
