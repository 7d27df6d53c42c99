"""Times the seed kernels against a device-to-device copy, torch and (for softmax) Triton's fused
softmax, in one run, after checking each kernel's result against torch's.

Run on the GPU machine after `tests/gpu/build_variants.py OUT`:

    PARPYC_GPU_BUILD=OUT python3 bench/bench_seed.py [--only mv,sum_rows,softmax]

Each time is the median of triton's do_bench (CUDA events). Bandwidth counts the bytes each
operation must move at least (inputs read once, outputs written once); "copy" is a
device-to-device copy of the input's size, counting bytes read plus written.
"""

import argparse
import importlib
import os
import sys

import torch
import triton
import triton.language as tl
from triton.testing import do_bench

BUILD = os.environ.get("PARPYC_GPU_BUILD", ".devbuild/gpu")
sys.path.insert(0, BUILD)

CASES = [
    ("mv", "f32", 8192, 8192), ("mv", "f32", 65536, 1024), ("mv", "f32", 1024, 65536), ("mv", "f64", 8192, 8192),
    ("sum_rows", "f32", 8192, 8192), ("sum_rows", "f32", 65536, 1024), ("sum_rows", "f32", 1024, 65536),
    ("softmax", "f32", 8192, 8192), ("softmax", "f32", 65536, 1024), ("softmax", "f32", 1024, 65536),
    ("softmax", "f64", 8192, 8192),
]
THREADS = (32, 256, 1024)
TORCH_DTYPE = {"f32": torch.float32, "f64": torch.float64}


@triton.jit
def triton_softmax(out_ptr, in_ptr, n_cols, BLOCK: tl.constexpr):
    # The fused softmax of Triton's tutorial: one program per row, the row in registers.
    row = tl.program_id(0).to(tl.int64)
    offs = tl.arange(0, BLOCK)
    x = tl.load(in_ptr + row * n_cols + offs, mask=offs < n_cols, other=-float("inf"))
    x = x - tl.max(x, 0)
    num = tl.exp(x)
    tl.store(out_ptr + row * n_cols + offs, num / tl.sum(num, 0), mask=offs < n_cols)


def triton_ref(x, out):
    """The Triton softmax, for rows short enough to keep in registers (else None)."""
    n, m = x.shape
    if m * x.element_size() > 64 * 1024:
        return None
    block = triton.next_power_of_2(m)
    warps = 4 if block < 2048 else (8 if block < 4096 else 16)
    return lambda: triton_softmax[(n,)](out, x, m, BLOCK=block, num_warps=warps)


def ms(fn):
    return do_bench(fn, warmup=25, rep=200, return_mode="median")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated programs to time (default: all)")
    only = [p for p in ap.parse_args().only.split(",") if p]
    print(f"device: {torch.cuda.get_device_name()}")
    rows = []
    for prog, dt, n, m in CASES:
        if only and prog not in only:
            continue
        t = TORCH_DTYPE[dt]
        x = torch.randn(n, m, device="cuda", dtype=t)
        b = torch.randn(m, device="cuda", dtype=t)
        esize = x.element_size()
        if prog == "mv":
            nbytes = (n * m + m + n) * esize
            out = torch.empty(n, device="cuda", dtype=t)
            ref = lambda: torch.mv(x, b)
        elif prog == "sum_rows":
            nbytes = (n * m + n) * esize
            out = torch.empty(n, device="cuda", dtype=t)
            ref = lambda: torch.sum(x, dim=1)
        else:
            nbytes = 2 * n * m * esize
            out = torch.empty(n, m, device="cuda", dtype=t)
            ref = lambda: torch.softmax(x, dim=1)
        dst = torch.empty_like(x)
        t_copy = ms(lambda: dst.copy_(x))
        copy_bw = 2 * n * m * esize / t_copy / 1e9
        t_torch = ms(ref)
        t_triton = None
        if prog == "softmax":
            tri = triton_ref(x, out)
            if tri is not None:
                tri()
                assert torch.allclose(out, ref(), atol=1e-6), "Triton softmax disagrees with torch"
                t_triton = ms(tri)
        ours = {}
        for th in THREADS:
            mod = importlib.import_module(f"{prog}_{dt}_t{th}")
            if prog == "mv":
                f = lambda: mod.mv(x, b, out, n)
            elif prog == "sum_rows":
                f = lambda: mod.sum_rows(x, out, n)
            else:
                f = lambda: mod.softmax(x, n, m, out)
            out.fill_(float("nan"))
            f()
            want = ref()
            err = ((out.double() - want.double()).norm() / want.double().norm()).item()
            assert err < 1e-5, f"{prog} {dt} {n}x{m} t={th}: relative error {err:.2e}"
            ours[th] = ms(f)
        frac = lambda tm: nbytes / tm / 1e9 / copy_bw
        best = min(ours, key=ours.get)
        rows.append((f"{prog} {dt} {n}x{m}", copy_bw, frac(t_torch), t_triton and frac(t_triton), {k: frac(v) for k, v in ours.items()}, ours[best] / min(t_torch, t_triton or t_torch), t_torch, ours))
    print()
    print("| case | copy TB/s | torch | Triton | parpyc t=32 | t=256 | t=1024 | best vs fastest other (time ratio) | torch ms | parpyc ms (32/256/1024) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, bw, ft, fx, fo, ratio, tt, to in rows:
        tri = f"{fx:.0%}" if fx else ""
        print(
            f"| {name} | {bw:.2f} | {ft:.0%} | {tri} | {fo[32]:.0%} | {fo[256]:.0%} | {fo[1024]:.0%} | {ratio:.2f} | {tt:.3f} | "
            + " / ".join(f"{to[k]:.3f}" for k in THREADS)
            + " |"
        )


if __name__ == "__main__":
    main()
