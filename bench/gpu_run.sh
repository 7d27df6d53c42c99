#!/usr/bin/env bash
# Everything asked of a GPU machine, in one run on one card, each part's output saved to OUT:
# the card (smi.txt), the seed benchmark (bench.txt), the long-rows prototype with the generated
# softmax's entry point next to its hand-written forms (long_rows.txt), the cost of a call from
# Python (call.txt), CUDA graphs (graphs.txt), the benchmark again for the run-to-run spread
# (bench2.txt), then the GPU tests (tests.txt), last because they take longest.
#
#   bench/gpu_run.sh BUILD OUT     # BUILD from tests/gpu/build_variants.py, run from the repository root
#
# A build linked against the shared CUDA runtime (tools/nvcc-cudart-shared.sh) needs
# libcudart.so.13 on LD_LIBRARY_PATH; the CUDA toolkit's lib64 next to nvcc is added here.
set -uo pipefail
build=${1:?usage: bench/gpu_run.sh BUILD OUT}
out=${2:?usage: bench/gpu_run.sh BUILD OUT}
mkdir -p "$out"
build=$(cd "$build" && pwd) || exit 2
if nvcc_path=$(command -v nvcc); then
  export LD_LIBRARY_PATH="$(dirname "$nvcc_path")/../lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
export PARPYC_GPU_BUILD=$build
step() {
  local name=$1
  shift
  echo "== $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$out/$name.txt"
  echo "== $name: status ${PIPESTATUS[0]}, $((SECONDS - t0)) s"
}
{ date -u; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv; } 2>&1 | tee "$out/smi.txt"
step bench python3 bench/bench_seed.py
long_rows=$(mktemp -d)/long_rows
if nvcc -O3 -arch=sm_90 -std=c++17 bench/long_rows.cu -o "$long_rows" -ldl; then
  step long_rows env PARPYC_SOFTMAX_LIB="$build/libsoftmax_f32_t1024.so" "$long_rows"
fi
step call python3 bench/bench_call.py
step graphs python3 bench/bench_graphs.py
step bench2 python3 bench/bench_seed.py
step tests python3 -m pytest tests/gpu -q -rf -p no:cacheprovider
