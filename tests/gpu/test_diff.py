"""The differential suite: every program of tests/diff, run sequentially by CPython with the
`parpy` package of runtime/python, and compiled by parpyc on the GPU, on the same inputs.

    PARPYC_GPU_BUILD=.devbuild/gpu python3 -m pytest tests/gpu/test_diff.py
"""

import copy
import importlib.util
import inspect
import os
import pathlib
import sys
import tomllib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("PARPYC_GPU_BUILD", ROOT / ".devbuild/gpu")).resolve()
DIFF = ROOT / "tests/diff"
sys.path.insert(0, str(ROOT / "runtime/python"))
sys.path.insert(0, str(BUILD / "diff"))

PROGRAMS = sorted(p.stem for p in DIFF.glob("*.py"))


def load_source(name):
    spec = importlib.util.spec_from_file_location(f"diff_src_{name}", DIFF / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def exported(name):
    path = DIFF / f"{name}.toml"
    if path.exists():
        return list(tomllib.loads(path.read_text())["functions"])
    import json

    return list(json.loads((DIFF / f"{name}.json").read_text())["functions"])


def compare(name, fn, arg, want, got):
    want, got = np.asarray(want), np.asarray(got)
    assert got.dtype == want.dtype, f"{name}.{fn}: '{arg}' dtype {got.dtype}, reference {want.dtype}"
    if want.dtype.kind in "biu":
        bad = np.flatnonzero((want != got).ravel())
        assert bad.size == 0, f"{name}.{fn}: '{arg}' differs at {bad.size} elements, first at flat index {bad[0]}: {got.ravel()[bad[0]]} vs {want.ravel()[bad[0]]}"
        return
    tol = 1e-2 if want.dtype == np.float16 else 1e-5
    w, g = want.astype(np.float64), got.astype(np.float64)
    same = (w == g) | (np.isnan(w) & np.isnan(g))
    # NaNs and infinities must agree exactly; finite values within the tolerance.
    special = ~np.isfinite(w) | ~np.isfinite(g)
    assert not (special & ~same).any(), f"{name}.{fn}: '{arg}' non-finite values differ"
    diff = np.where(same, 0.0, w - g)
    finite = np.where(np.isfinite(w), w, 0.0)
    err = np.linalg.norm(diff) / (np.linalg.norm(finite) or 1.0)
    assert err < tol, f"{name}.{fn}: '{arg}' relative error {err:.3e}"


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_matches_cpython(name):
    source = load_source(name)
    compiled = importlib.import_module(name)
    for seed in (1, 2):
        all_inputs = source.inputs(np.random.default_rng(seed))
        functions = exported(name)
        per_function = all(isinstance(all_inputs.get(fn), (dict, list)) for fn in functions)
        for fn in functions:
            cases = all_inputs[fn] if per_function else all_inputs
            # A function may take several sets of inputs (a list of dicts).
            for base in cases if isinstance(cases, list) else [cases]:
                check_call(name, source, compiled, fn, base)


def check_call(name, source, compiled, fn, base):
    """Runs `fn` on copies of `base` in CPython and compiled, and compares what it wrote."""
    params = list(inspect.signature(getattr(source, fn)).parameters)
    # One deep copy per side keeps arguments that alias each other aliased.
    ref_args = copy.deepcopy({p: base[p] for p in params})
    gpu_args = copy.deepcopy({p: base[p] for p in params})
    getattr(source, fn)(*[ref_args[p] for p in params])
    getattr(compiled, fn)(*[gpu_args[p] for p in params])
    for p in params:
        if isinstance(base[p], np.ndarray):
            compare(name, fn, p, ref_args[p], gpu_args[p])
