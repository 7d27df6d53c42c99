# Bit manipulation on unsigned and signed integers: a CRC-16/CCITT per message (a uint16 local
# from `convert`, a uint8 byte widened before shifting, xor with a Python int literal), popcounts
# with `x & (x - 1)` in a while loop, bit reversal of uint64 words, arithmetic right shifts of
# negative int64 values, and a parallel xor-free checksum reduction with `reduce = true`.
import numpy as np
import parpy
from parpy.types import U16, U64


@parpy.jit
def crc16(data, lens, crcs, N):
    parpy.label('msg')
    for m in range(N):
        crc = parpy.builtin.convert(0xFFFF, U16)
        for k in range(lens[m]):
            crc = crc ^ (parpy.builtin.convert(data[m, k], U16) << 8)
            for b in range(8):
                if crc & 0x8000:
                    crc = (crc << 1) ^ 0x1021
                else:
                    crc = crc << 1
        crcs[m] = crc


@parpy.jit
def bit_counts(w32, w64, s64, pops, rev, shifts, total, N):
    parpy.label('N')
    for i in range(N):
        x = w32[i]
        c = 0
        while x != 0:
            x = x & (x - 1)
            c += 1
        pops[i] = c
        v = w64[i]
        r = parpy.builtin.convert(0, U64)
        for b in range(64):
            r = (r << 1) | (v & 1)
            v = v >> 1
        rev[i] = r
        shifts[i, 0] = s64[i] >> 3
        shifts[i, 1] = (s64[i] << 2) >> 5
        shifts[i, 2] = s64[i] & 0xFF
        shifts[i, 3] = ~s64[i] | 1
        shifts[i, 4] = (s64[i] ^ -1) == ~s64[i]
    parpy.label('sum')
    for i in range(N):
        total[0] += w32[i] % 1000 + (w32[i] >> 20)


def inputs(rng):
    n, length = 64, 120
    return {
        "crc16": dict(
            data=rng.integers(0, 256, (n, length)).astype(np.uint8),
            lens=rng.integers(0, length + 1, n).astype(np.int32),
            crcs=np.zeros(n, np.uint16),
            N=n,
        ),
        "bit_counts": dict(
            w32=rng.integers(0, 1 << 32, 2000, dtype=np.uint64).astype(np.uint32),
            w64=rng.integers(0, 1 << 63, 2000, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, 2000, dtype=np.uint64),
            s64=rng.integers(-(1 << 40), 1 << 40, 2000),
            pops=np.zeros(2000, np.int32),
            rev=np.zeros(2000, np.uint64),
            shifts=np.zeros((2000, 5), np.int64),
            total=np.zeros(1, np.uint64),
            N=2000,
        ),
    }
