"""Sizes past 32-bit limits on the GPU: indices above 2^31 and grids of more than 2^31 - 1
blocks (the outermost level then takes several iterations per thread). Built by
build_variants.py from tests/gpu/programs/large.py.

    PARPYC_GPU_BUILD=OUT python3 -m pytest tests/gpu/test_large.py
"""

import importlib
import os
import sys

import pytest

BUILD = os.environ.get("PARPYC_GPU_BUILD", ".devbuild/gpu")
sys.path.insert(0, os.path.join(BUILD, "programs"))

torch = pytest.importorskip("torch")
if not torch.cuda.is_available():
    pytest.skip("no CUDA device", allow_module_level=True)

large = importlib.import_module("large")


def test_index_past_2_31():
    n = 2**31 + 5000
    x = torch.full((n,), 255, dtype=torch.uint8, device="cuda")
    large.fill(x, n)
    for lo in (0, 2**31 - 2000, n - 3000):
        want = (torch.arange(lo, lo + 3000, device="cuda", dtype=torch.int64) % 251).to(torch.uint8)
        assert torch.equal(x[lo : lo + 3000], want), f"elements from {lo}"
    assert int((x == 255).sum()) == 0, "every element written"


def test_grid_past_2_31_blocks():
    a, b, c = 65536, 40000, 1  # 2.6e9 blocks of one row each
    x = torch.randint(0, 200, (a, b, c), dtype=torch.uint8, device="cuda")
    y = torch.zeros_like(x)
    large.add_one(x, y, a, b, c)
    assert torch.equal(y, x + 1)
