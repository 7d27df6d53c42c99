# The matrix-vector product of ParPy's tutorial "JIT-compiling a Python function".
import parpy


@parpy.jit
def mv_parpy(A, b, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = sum(A[row, :] * b[:])
