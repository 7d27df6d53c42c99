# Tasks for parpyc. Run `tools/bootstrap.sh` once on a fresh machine, then `.venv/bin/just <task>`.

set shell := ["bash", "-euo", "pipefail", "-c"]

export NVCC := `ls "$PWD"/.venv/lib/python3*/site-packages/nvidia/cu13/bin/nvcc 2>/dev/null || echo nvcc`
python := ".venv/bin/python"

# Compile the seed example (the tutorial's matrix-vector product) into build/, with libmv.so.
seed:
    cargo run --release --quiet -- build examples/mv/mv.py --spec examples/mv/mv.toml --compile

# Everything CI runs: formatting, lints, unit and snapshot tests, the nvcc check, Python tests.
test: fmt-check clippy cargo-test nvcc-check py-test rust-examples

fmt-check:
    cargo fmt --all --check

clippy:
    cargo clippy --workspace --all-targets --quiet -- -D warnings

cargo-test:
    cargo test --workspace

# Generate and compile every example, accepted fixture, differential and GPU test program with nvcc
# (no GPU needed).
nvcc-check:
    cargo build --quiet
    rm -rf target/nvcc-check
    ls examples/*/*.py tests/fixtures/ok/*.py tests/diff/*.py tests/gpu/programs/*.py \
      | xargs -P "$(nproc)" -I{} sh -c 'py={}; spec="${py%.py}.toml"; [ -f "$spec" ] || spec="${py%.py}.json"; \
          target/debug/parpyc build "$py" --spec "$spec" -o target/nvcc-check --compile'
    echo "nvcc-check: $(ls target/nvcc-check/*.so | wc -l) programs generated and compiled"

# Tests of the generated Python modules that need no GPU (argument checking, errors).
py-test: nvcc-check
    PARPYC_TEST_BUILD=target/nvcc-check {{python}} -m pytest tests/python -q

# Build (not run) the Rust examples and the two-module link test, each a cargo project of its own
# whose build.rs compiles ParPy programs with parpyc-build and nvcc. Run them on a GPU machine.
rust-examples:
    for p in examples/rust-mv examples/rust-load tests/rust-two-modules; do \
      cargo build --quiet --manifest-path "$p/Cargo.toml" --target-dir target/rust-examples; \
    done; echo "rust-examples: built in target/rust-examples/debug"

# Rewrite the snapshots after an intended change to generated code or diagnostics.
bless:
    PARPYC_BLESS=1 cargo test --test fixtures

# Build the GPU test modules into .devbuild/gpu (then run tests/gpu and bench/ on a GPU).
gpu-build:
    cargo build --release --quiet
    {{python}} tests/gpu/build_variants.py .devbuild/gpu
