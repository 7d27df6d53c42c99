"""Times the cost of one call of a compiled function from Python, on tiny torch CUDA tensors.

Run on the GPU machine after `tests/gpu/build_variants.py OUT`:

    PARPYC_GPU_BUILD=OUT python3 bench/bench_call.py

2000 calls of `mv` (examples/mv_f32, 256 threads) on a 2x2 matrix, after a warm-up, timed with
the host clock from the first call to the end of the last kernel (the kernels are tiny, so this
is the per-call cost of the Python module, the C entry point and the launch). `torch.mv` on the
same tensors is timed the same way for comparison.
"""

import importlib
import os
import sys
import time

import torch

BUILD = os.environ.get("PARPYC_GPU_BUILD", ".devbuild/gpu")
sys.path.insert(0, BUILD)
CALLS = 2000


def per_call_us(fn):
    for _ in range(100):
        fn()
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(CALLS):
            fn()
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - t0) / CALLS * 1e6)
    return best


def main():
    mod = importlib.import_module("mv_f32_t256")
    a = torch.tensor([[2.0, 2.5], [1.0, 1.5]], device="cuda")
    b = torch.tensor([2.0, 1.0], device="cuda")
    out = torch.empty(2, device="cuda")
    mod.mv(a, b, out, 2)
    torch.cuda.synchronize()
    assert out.tolist() == [6.5, 3.5], out.tolist()
    ours = per_call_us(lambda: mod.mv(a, b, out, 2))
    theirs = per_call_us(lambda: torch.mv(a, b, out=out))
    print(f"device: {torch.cuda.get_device_name()}")
    print(f"parpyc mv call (torch CUDA tensors): {ours:.1f} us/call over {CALLS} calls")
    print(f"torch.mv(out=):                      {theirs:.1f} us/call over {CALLS} calls")


if __name__ == "__main__":
    main()
