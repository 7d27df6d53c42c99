#!/usr/bin/env bash
# Sets up a fresh machine for building and testing parpyc: a project-local Python environment
# (.venv) with nvcc from the Python package index (pinned to CUDA 13.0, no GPU needed), NumPy,
# pytest and the `just` task runner. Rust comes from the machine's toolchain (cargo).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "error: cargo not found; install Rust from https://rustup.rs" >&2; exit 2; }
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.parpyc-bootstrap-3
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check \
    nvidia-cuda-nvcc==13.0.88 nvidia-cuda-runtime==13.0.96 nvidia-cuda-crt==13.0.88 \
    nvidia-nvvm==13.0.88 nvidia-cuda-cccl==13.0.85 \
    numpy pytest rust-just
  touch "$stamp"
fi
echo "bootstrap: .venv ready (nvcc: $(ls .venv/lib/python3*/site-packages/nvidia/cu13/bin/nvcc))"
