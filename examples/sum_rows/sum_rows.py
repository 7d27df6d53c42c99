# Row sums, from ParPy's tutorial on basic parallelization.
import parpy


@parpy.jit
def sum_rows(x, out, N):
    parpy.label('outer')
    for i in range(N):
        parpy.label('inner')
        out[i] = parpy.operators.sum(x[i, :])
