"""Builds the programs of the GPU tests: the seed examples in f32 and f64 with their reducing
label at 32, 256 and 1024 threads, the tutorial's own spec, every program of tests/diff (into
OUT/diff) and of tests/gpu/programs (into OUT/programs), and tests/diff/graphs.py without CUDA
graphs (graphs_direct, for bench_graphs.py).
Runs where parpyc and nvcc are (no GPU needed); the output directory then travels to the GPU
machine.

    python3 tests/gpu/build_variants.py OUT_DIR [--parpyc target/release/parpyc] [-j JOBS] [--no-compile]
"""

import argparse
import concurrent.futures
import os
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROGRAMS = {
    # name: (source, spec, reducing label)
    "mv": ("examples/mv_f32/mv_f32.py", "examples/mv_f32/mv_f32.toml", "M"),
    "sum_rows": ("examples/sum_rows/sum_rows.py", "examples/sum_rows/sum_rows.toml", "inner"),
    "softmax": ("examples/softmax/softmax.py", "examples/softmax/softmax.toml", "M"),
}
THREADS = (32, 256, 1024)
DTYPES = ("f32", "f64")


def variant_spec(text, dtype, label, threads):
    text = re.sub(r'"f32\[', f'"{dtype}[', text)
    return re.sub(rf"^{label} = \{{ threads = \d+", f"{label} = {{ threads = {threads}", text, flags=re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--parpyc", default=str(ROOT / "target/release/parpyc"))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-compile", action="store_true", help="write the sources only (compile them where nvcc is faster)")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    jobs = [("mv_tutorial", ROOT / "examples/mv/mv.py", (ROOT / "examples/mv/mv.toml").read_text())]
    for name, (src, spec, label) in PROGRAMS.items():
        text = (ROOT / spec).read_text()
        for dtype in DTYPES:
            for t in THREADS:
                new = variant_spec(text, dtype, label, t)
                assert new != text or (dtype == "f32" and f"threads = {t}" in text), f"variant of {spec} unchanged"
                jobs.append((f"{name}_{dtype}_t{t}", ROOT / src, new))
    builds = []  # (name, source, spec, output directory)
    d = out / "src"
    d.mkdir(exist_ok=True)
    for stem, src, spec_text in jobs:
        shutil.copy(src, d / f"{stem}.py")
        (d / f"{stem}.toml").write_text(spec_text)
        builds.append((stem, d / f"{stem}.py", d / f"{stem}.toml", out))
    # The differential programs, as they are.
    for py in sorted((ROOT / "tests/diff").glob("*.py")):
        spec = py.with_suffix(".toml") if py.with_suffix(".toml").exists() else py.with_suffix(".json")
        builds.append((f"diff/{py.stem}", py, spec, out / "diff"))
    # Programs of the GPU tests that the differential suite cannot hold (tests/gpu/programs).
    for py in sorted((ROOT / "tests/gpu/programs").glob("*.py")):
        builds.append((f"programs/{py.stem}", py, py.with_suffix(".toml"), out / "programs"))
    # For bench/bench_graphs.py: the CUDA-graphs program without the option.
    spec = re.sub(r"(?m)^\[options\]\n|^use_cuda_graphs = true\n", "", (ROOT / "tests/diff/graphs.toml").read_text())
    shutil.copy(ROOT / "tests/diff/graphs.py", d / "graphs_direct.py")
    (d / "graphs_direct.toml").write_text(spec)
    builds.append(("graphs_direct", d / "graphs_direct.py", d / "graphs_direct.toml", out))

    def build(job):
        name, src, spec, dest = job
        r = subprocess.run(
            [args.parpyc, "build", str(src), "--spec", str(spec), "-o", str(dest)] + ([] if args.no_compile else ["--compile"]),
            capture_output=True,
            text=True,
        )
        return name, r

    failed = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, r in pool.map(build, builds):
            if r.returncode != 0:
                failed.append(f"building {name} failed:\n{r.stderr}")
            else:
                print(f"built {name}", flush=True)
    if failed:
        sys.exit("\n".join(failed))


if __name__ == "__main__":
    main()
