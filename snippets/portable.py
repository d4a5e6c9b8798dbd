"""Arithmetic that gives the same bits on every computer.

Why this module exists: ``np.exp`` is computed by different code on different CPUs (NumPy's own
AVX-512 routine on some, the C library's on others, which itself has an FMA and an SSE2
variant), and the results differ in the last bit now and then. Training magnifies such a
difference: a network leaving a plateau can end 0.2 apart in loss. So the site computes e^x
itself, from operations that IEEE 754 defines exactly (``+ − × ÷``, rounding to an integer,
scaling by a power of two) and that every CPU therefore carries out identically. Matrix
products (BLAS) and powers (``pow``) are avoided for the same reason.

>>> float(exp(np.array([1.0]))[0]) == 2.718281828459045  # the double nearest e
True
>>> exp_scalar(-0.4) == float(exp(np.array([-0.4]))[0])
True
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np

# e^x = 2^k · 2^(j/256) · e^r, where x = (256k + j)·ln2/256 + r and |r| ≤ ln2/512 (Cody and
# Waite): 2^(j/256) comes from a table, e^r from a short Taylor series. Every constant is worked
# out at import with Python's decimal arithmetic, which is software and so the same everywhere.
_STEPS = 256
_LIMIT = 2000.0  # e^x is 0 below −746 and overflows above 710; clipping keeps n small
_BITS = _STEPS.bit_length() - 1  # 2^_BITS = _STEPS
_SHIFT = 1.5 * 2.0**52  # v + _SHIFT rounds v to an integer, which lands in the low bits
_SHIFT_BITS = int(np.float64(_SHIFT).view(np.int64))


def _split(d: Decimal) -> tuple[float, float]:
    """``d`` as high + low, the high part short enough (32 bits) that n·high is exact."""
    mantissa, exponent = math.frexp(float(d))
    high = math.ldexp(round(mantissa * 2**32), exponent - 32)
    return high, float(d - Decimal(high))


with localcontext() as _ctx:
    _ctx.prec = 50
    _TABLE = [Decimal(2) ** (Decimal(j) / _STEPS) for j in range(_STEPS)]  # 2^(j/256)
    _TABLE_HIGH = np.array([float(t) for t in _TABLE])
    _TABLE_LOW = np.array([float(t - Decimal(float(t))) for t in _TABLE])
    _LN2 = Decimal(2).ln()
    _INVERSE_STEP = float(_STEPS / _LN2)
    _STEP_HIGH, _STEP_LOW = _split(_LN2 / _STEPS)
    _LN2_HIGH, _LN2_LOW = _split(_LN2)
    _SQRT_HALF = float(Decimal("0.5").sqrt())
_TAYLOR = tuple(1.0 / math.factorial(n) for n in range(2, 6))  # 1/2!, …, 1/5!


class Exp:
    """e^x for arrays of one shape, computed in scratch arrays it keeps (fast when called often).

    >>> e = Exp((3,))
    >>> e(np.array([0.0, -1.0, -800.0]), np.empty(3)).tolist()
    [1.0, 0.36787944117144233, 0.0]
    """

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.n, self.r, self.t = (np.empty(shape) for _ in range(3))
        self.bits = self.n.view(np.int64)
        self.j, self.k, self.half = (np.empty(shape, dtype=np.int64) for _ in range(3))

    def __call__(self, x: np.ndarray, out: np.ndarray) -> np.ndarray:
        n, r, t, j, k = self.n, self.r, self.t, self.j, self.k
        np.minimum(np.maximum(x, -_LIMIT, out=r), _LIMIT, out=r)  # (np.clip: slower per call)
        np.multiply(r, _INVERSE_STEP, out=n)
        np.add(n, _SHIFT, out=n)  # rounds x·256/ln2 to the integer n, held in the low bits
        np.subtract(self.bits, _SHIFT_BITS, out=j)  # n as an integer
        np.right_shift(j, _BITS, out=k)  # n = 256k + j, 0 ≤ j < 256
        np.bitwise_and(j, _STEPS - 1, out=j)
        np.subtract(n, _SHIFT, out=n)  # n as a float
        np.multiply(n, _STEP_HIGH, out=t)
        np.subtract(r, t, out=r)
        np.multiply(n, _STEP_LOW, out=t)
        np.subtract(r, t, out=r)  # r = x − n·ln2/256, |r| ≤ ln2/512
        np.multiply(r, _TAYLOR[-1], out=t)  # e^r − 1 = r + r²·(1/2! + r·(1/3! + … r/5!))
        for c in reversed(_TAYLOR[:-1]):
            np.add(t, c, out=t)
            np.multiply(t, r, out=t)
        np.multiply(t, r, out=t)
        np.add(t, r, out=t)
        np.take(_TABLE_HIGH, j, out=out, mode="clip")
        np.multiply(out, t, out=t)
        np.add(t, np.take(_TABLE_LOW, j, out=r, mode="clip"), out=t)
        np.add(out, t, out=out)  # 2^(j/256) · e^r, between 0.99 and 2.01
        return _times_power_of_two(out, k, self.half, self.n)


def _times_power_of_two(out: np.ndarray, k: np.ndarray, half: np.ndarray, scale: np.ndarray):
    """``out`` · 2^k in place, rounded once, as ``ldexp`` rounds it (``ldexp`` is one C library
    call per number: a third of the time of all of e^x). ``out`` lies in [0.99, 2.01].

    When every product is a normal double (nearly always), it is exact: k is added to the
    exponent bits. Otherwise ``out`` is multiplied by 2^⌊k/2⌋, exactly, then by 2^(k − ⌊k/2⌋),
    which rounds once; beyond |k| = 1100 the answer is 0 or ∞ either way.
    """
    bits = scale.view(np.int64)
    if k.size == 0 or (k.min() >= -1021 and k.max() <= 1022):
        np.left_shift(k, 52, out=bits)
        np.add(out.view(np.int64), bits, out=out.view(np.int64))
        return out
    np.minimum(np.maximum(k, -1100, out=k), 1100, out=k)
    np.right_shift(k, 1, out=half)
    np.subtract(k, half, out=k)
    for power in (half, k):  # each within ±550, so 2^power is a normal double
        np.add(power, 1023, out=bits)
        np.left_shift(bits, 52, out=bits)
        np.multiply(out, scale, out=out)
    return out


def exp(x) -> np.ndarray:
    """e^x, elementwise, the same bits on every computer (within 1 ulp of the true value).

    >>> exp(np.array([0.0, -0.5, -30.0]))
    array([1.00000000e+00, 6.06530660e-01, 9.35762297e-14])
    """
    x = np.asarray(x, dtype=float)
    return Exp(x.shape)(x, np.empty(x.shape))


_HIGH, _LOW, (_C2, _C3, _C4, _C5) = _TABLE_HIGH.tolist(), _TABLE_LOW.tolist(), _TAYLOR


def exp_scalar(x: float) -> float:
    """:func:`exp` for one Python float, step for step the same arithmetic (so the same bits)."""
    r = min(max(x, -_LIMIT), _LIMIT)
    n = round(r * _INVERSE_STEP)  # rounds half to even, as adding _SHIFT does
    r = (r - n * _STEP_HIGH) - n * _STEP_LOW
    t = (((r * _C5 + _C4) * r + _C3) * r + _C2) * r * r + r
    j = n & (_STEPS - 1)
    return math.ldexp(_HIGH[j] + (_HIGH[j] * t + _LOW[j]), n >> _BITS)


def exp_constants() -> dict:
    """What a port of :func:`exp_scalar` to another language needs, as plain floats.

    The playground's JavaScript (``nn.js``) receives these and repeats ``exp_scalar`` operation
    for operation, so the browser's e^x has the same bits as the Python's.

    >>> c = exp_constants()
    >>> len(c["high"]), c["high"][0], c["taylor"][0]
    (256, 1.0, 0.5)
    """
    return {
        "limit": _LIMIT,
        "inverseStep": _INVERSE_STEP,
        "stepHigh": _STEP_HIGH,
        "stepLow": _STEP_LOW,
        "taylor": list(_TAYLOR),
        "high": _HIGH,
        "low": _LOW,
    }


def log_scalar(x: float) -> float:
    """The natural logarithm of a positive float, from exact operations only.

    >>> log_scalar(1.0), log_scalar(0.5) == -log_scalar(2.0)
    (0.0, True)
    """
    m, k = math.frexp(x)  # x = m·2^k with ½ ≤ m < 1, exactly
    if m < _SQRT_HALF:
        m, k = 2.0 * m, k - 1  # now √½ ≤ m < √2
    f = m - 1.0
    s = f / (2.0 + f)  # ln(1 + f) = 2·atanh(s) = 2s + s·R, R = 2s²/3 + 2s⁴/5 + …, |s| ≤ 0.172
    z = s * s
    big_r = 0.0
    for n in range(23, 1, -2):
        big_r = (big_r + 2.0 / n) * z
    half_f2 = 0.5 * f * f  # 2s = f − s·f, rearranged as in fdlibm to keep the rounding small
    return k * _LN2_HIGH - ((half_f2 - (s * (half_f2 + big_r) + k * _LN2_LOW)) - f)


def normal(rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws from the standard normal distribution, the same on every computer.

    Marsaglia's polar method: a point (u, v) drawn uniformly from the unit disc gives two
    independent normal draws, u·c and v·c with c = √(−2·ln s / s), s = u² + v². It needs only a
    logarithm and a square root. (NumPy's own ``rng.normal`` calls the C library's ``exp`` and
    ``log1p`` for about 1 % of its draws, and those differ in the last bit between computers.)

    >>> normal(np.random.default_rng(0), 3).round(4)
    array([ 0.8078, -1.3579,  0.6955])
    """
    draws: list[float] = []
    while len(draws) < size:
        u, v = (2.0 * rng.random(2) - 1.0).tolist()  # a point in the square [−1, 1)²
        s = u * u + v * v
        if 0.0 < s < 1.0:  # inside the unit disc (else: try again)
            c = math.sqrt(-2.0 * log_scalar(s) / s)
            draws += [u * c, v * c]
    return np.array(draws[:size])


def symmetric_eigenvalues(a: np.ndarray) -> np.ndarray:
    """The eigenvalues of a symmetric matrix, smallest first, by Jacobi rotations; given a
    stack of matrices (shape ``(B, n, n)``), those of each, a row each.

    LAPACK (``np.linalg.eigvalsh``) gives last bits that depend on the CPU; rotating the
    off-diagonal entries away one pair at a time, in a fixed order, needs only ``+ − × ÷``
    and square roots. A stack is rotated together, each matrix by its own angles and for its
    own number of sweeps: the same bits as one matrix at a time, in a few NumPy calls.

    >>> symmetric_eigenvalues(np.array([[2.0, 1.0], [1.0, 2.0]])).round(12).tolist()
    [1.0, 3.0]
    """
    a = np.array(a, dtype=float)
    if a.ndim == 2:
        return symmetric_eigenvalues(a[None])[0]
    size = a.shape[1]
    pairs = [(p, q) for p in range(size) for q in range(p + 1, size)]
    active = np.ones(len(a), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):  # a zero a[p, q] is skipped below
        for _ in range(100):  # sweeps; a handful suffice for the small matrices here
            off = np.zeros(len(a))
            for p, q in pairs:
                off += a[:, p, q] * a[:, p, q]  # summed in this order, as a sweep's test
            scale = np.array([float(np.sum(m * m)) for m in a])
            active &= ~(off <= 1e-36 * scale)  # a matrix done stays as it is
            if not active.any():
                break
            for p, q in pairs:
                apq = a[:, p, q]
                rotate = active & (apq != 0.0)
                theta = (a[:, q, q] - a[:, p, p]) / (2.0 * apq)
                t = 1.0 / (np.abs(theta) + np.sqrt(theta * theta + 1.0))
                t = np.where(theta >= 0, t, -t)  # tan of the rotation angle that zeroes a[p, q]
                c = 1.0 / np.sqrt(t * t + 1.0)
                s = (t * c)[:, None]
                c, rotate = c[:, None], rotate[:, None]
                row_p, row_q = a[:, p].copy(), a[:, q].copy()
                a[:, p] = np.where(rotate, c * row_p - s * row_q, row_p)
                a[:, q] = np.where(rotate, s * row_p + c * row_q, row_q)
                col_p, col_q = a[:, :, p].copy(), a[:, :, q].copy()
                a[:, :, p] = np.where(rotate, c * col_p - s * col_q, col_p)
                a[:, :, q] = np.where(rotate, s * col_p + c * col_q, col_q)
    return np.sort(np.diagonal(a, axis1=1, axis2=2), axis=1)
