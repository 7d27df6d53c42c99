# Parallel loops that read and write one array at different elements without any iteration
# touching another's: a step of 2 that writes the odd elements from the even ones, the same
# under a condition, neighbours read from another array, updates in place, and a row updated
# in place by a sequential inner loop, and divisions and remainders of the index that still give
# each iteration its own element, swapping the halves of a row in place, and writes that agree
# (the same value in every iteration). None of them is E0415.
import numpy as np
import parpy


@parpy.jit
def odd_from_even(x, N):
    parpy.label('N')
    for i in range(0, N - 1, 2):
        x[i + 1] = x[i] * 2.0 + 1.0


@parpy.jit
def even_only(x, N):
    parpy.label('N')
    for i in range(N - 1):
        if i % 2 == 0:
            x[i + 1] = x[i] + 1.0


@parpy.jit
def neighbours_elsewhere(x, y, N):
    parpy.label('N')
    for i in range(1, N - 1):
        y[i] = x[i - 1] + x[i + 1]


@parpy.jit
def in_place(x, N):
    parpy.label('N')
    for i in range(N):
        x[i] = x[i] * 3.0 + 1.0


@parpy.jit
def rows_in_place(A, N, M):
    parpy.label('N')
    for i in range(N):
        for j in range(M):
            A[i, j] = A[i, j] + A[i, 0]


@parpy.jit
def pairs(x, out, half, N):
    parpy.label('N')
    for i in range(0, N, 2):
        half[i // 2] = x[i]
    parpy.label('N')
    for i in range(N):
        out[i // 2, i % 2] = x[i]


@parpy.jit
def swap_halves(x, N):
    parpy.label('N')
    for i in range(N // 2):
        t = x[i]
        x[i] = x[N - 1 - i]
        x[N - 1 - i] = t


@parpy.jit
def same_values(x, out, half, N):
    parpy.label('N')
    for i in range(N):
        half[i // 2] = 0.5
    parpy.label('N')
    for i in range(N):
        out[i] = 1.0
        out[i + 1] = 1.0
    parpy.label('N')
    for i in range(1, 6, 3):
        x[i // 4] = x[i] * 2.0


def inputs(rng):
    n = 1001
    return {
        "odd_from_even": dict(x=rng.standard_normal(n), N=n),
        "even_only": dict(x=rng.standard_normal(n), N=n),
        "neighbours_elsewhere": dict(x=rng.standard_normal(n), y=np.zeros(n), N=n),
        "in_place": dict(x=rng.standard_normal(n), N=n),
        "rows_in_place": dict(A=rng.standard_normal((300, 17)), N=300, M=17),
        "swap_halves": dict(x=rng.standard_normal(n), N=n),
        "same_values": dict(x=rng.standard_normal(n), out=np.zeros(n + 1), half=np.zeros(n), N=n),
        "pairs": dict(x=rng.standard_normal(1000), out=np.zeros((500, 2)), half=np.zeros(500), N=1000),
    }
