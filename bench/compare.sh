#!/usr/bin/env bash
# Runs the seed benchmark for two builds of the modules in one call, for an A/B comparison:
#   bench/compare.sh DIR_A DIR_B
set -euo pipefail
for d in "$@"; do
  echo "== $d"
  PARPYC_GPU_BUILD="$d" python3 bench/bench_seed.py | tail -13
done
