# Sizes past 32-bit limits, for tests/gpu/test_large.py (too large for the CPython reference of
# the differential suite): an array of more than 2^31 elements, and a loop nest needing more
# than 2^31 - 1 thread blocks.
import parpy


@parpy.jit
def fill(x, N):
    parpy.label('N')
    for i in range(N):
        x[i] = i % 251


@parpy.jit
def add_one(x, y, A, B, C):
    parpy.label('A')
    for a in range(A):
        parpy.label('B')
        for b in range(B):
            parpy.label('C')
            for c in range(C):
                y[a, b, c] = x[a, b, c] + 1
