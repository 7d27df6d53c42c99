# Row-wise softmax, as in ParPy's tests: max, exp, sum and a division over the same label.
import parpy


@parpy.jit
def softmax(x, N, M, out):
    parpy.label('N')
    for i in range(N):
        parpy.label('M')
        m = parpy.operators.max(x[i, :])

        parpy.label('M')
        out[i, :] = parpy.operators.exp(x[i, :] - m)

        parpy.label('M')
        s = parpy.operators.sum(out[i, :])

        parpy.label('M')
        out[i, :] = out[i, :] / s
