"""Times `use_cuda_graphs`: tests/diff/graphs.py's `relax` (a host loop launching two kernels per
step) built with the option (OUT/diff/graphs) and without it (OUT/graphs_direct), on torch CUDA
tensors, in one run.

    PARPYC_GPU_BUILD=OUT python3 bench/bench_graphs.py
"""

import importlib.util
import os
import pathlib
import time

import torch

BUILD = pathlib.Path(os.environ.get("PARPYC_GPU_BUILD", ".devbuild/gpu"))


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def best_ms(fn, reps=5):
    fn()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def main():
    graphs = load(BUILD / "diff/graphs.py", "graphs_on")
    direct = load(BUILD / "graphs_direct.py", "graphs_off")
    print(f"device: {torch.cuda.get_device_name()}")
    for n, steps in [(5000, 200), (1 << 20, 50)]:
        a = torch.randn(n, device="cuda", dtype=torch.float64)
        b = torch.zeros_like(a)
        t_graph = best_ms(lambda: graphs.relax(a, b, n, steps))
        t_direct = best_ms(lambda: direct.relax(a, b, n, steps))
        a1 = torch.randn(n, device="cuda", dtype=torch.float64)
        a2, b1, b2 = a1.clone(), torch.zeros_like(a1), torch.zeros_like(a1)
        graphs.relax(a1, b1, n, steps)
        direct.relax(a2, b2, n, steps)
        torch.cuda.synchronize()
        same = torch.equal(a1, a2)
        print(f"relax N={n} T={steps} ({2 * steps} launches): graphs {t_graph:.3f} ms, direct {t_direct:.3f} ms, same result: {same}")


if __name__ == "__main__":
    main()
