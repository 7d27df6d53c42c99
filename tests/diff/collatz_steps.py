# Collatz stopping times: a while loop whose local changes type (`v / 2` makes it a float, as in
# Python), the same with floor division on int64, a grid-wide maximum (`reduce = true`) and a
# count of odd starting values, and a second loop with a label on a stepped range.
import numpy as np
import parpy


@parpy.jit
def collatz_steps(steps, fsteps, peak, longest, odd_count, N):
    parpy.label('i')
    for i in range(1, N + 1):
        v = i
        count = 0
        top = v
        while v != 1:
            if v % 2 == 0:
                v = v // 2
            else:
                v = 3 * v + 1
            top = max(top, v)
            count += 1
        steps[i] = count
        peak[i] = top
        # The same walk in floating point, as the ParPy tests write it.
        w = i
        c = 0
        while w > 1:
            if w % 2 == 0:
                w = w / 2
            else:
                w = 3 * w + 1
            c = c + 1
        fsteps[i] = c
    parpy.label('i')
    for i in range(1, N + 1):
        longest[0] = parpy.operators.max(longest[0], steps[i])
    parpy.label('odd')
    for i in range(1, N + 1, 2):
        odd_count[0] += 1 if steps[i] > 20 else 0


def inputs(rng):
    n = int(rng.integers(1500, 2500))
    return dict(
        steps=np.zeros(n + 1, np.int32),
        fsteps=np.zeros(n + 1, np.int64),
        peak=np.zeros(n + 1, np.int64),
        longest=np.zeros(1, np.int32),
        odd_count=np.zeros(1, np.int64),
        N=n,
    )
