#!/usr/bin/env bash
# nvcc from .venv with the CUDA runtime linked dynamically: libraries of about 150 KB instead of
# 800 KB, for copying a whole GPU build (tests/gpu/build_variants.py) to another machine, which
# then needs libcudart.so.13 on its library path (CUDA 13's lib64, or .venv's copy).
#
#   NVCC=tools/nvcc-cudart-shared.sh .venv/bin/python tests/gpu/build_variants.py .devbuild/gpu
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
real=$(ls "$root"/.venv/lib/python3*/site-packages/nvidia/cu13/bin/nvcc)
lib=$(cd "$(dirname "$real")/../lib" && pwd)
# The package ships libcudart.so.13 without the libcudart.so that the linker looks for.
links="$root/target/cudart-shared"
mkdir -p "$links"
ln -sf "$lib/libcudart.so.13" "$links/libcudart.so"
exec "$real" "$@" -cudart shared -L"$links" -L"$lib"
