# The tutorial's matrix-vector product in float32, spelled with ParPy's operators module.
import parpy


@parpy.jit
def mv(A, b, out, N):
    parpy.label('N')
    for row in range(N):
        parpy.label('M')
        out[row] = parpy.operators.sum(A[row, :] * b[:])
