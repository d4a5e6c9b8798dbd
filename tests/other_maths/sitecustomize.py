"""Pretend to be a computer whose maths library rounds differently (tests/test_everywhere.py).

Put on ``PYTHONPATH``, this runs when Python starts and makes every transcendental function of
NumPy and of ``math`` return a result one unit in the last place above the true one for about
a quarter of all inputs, picked by a fixed pattern in the input's lowest bits. That is the size
and kind of difference seen between real CPUs and C libraries. Inputs with short mantissas
(1000.0, 0.5, 3.0, …) are left alone, as real libraries get those right, so that a figure's
tick marks at exact powers of ten stay where they are.
"""

from __future__ import annotations

import functools
import math
import os

import numpy as np

NUMPY = ("exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "power", "float_power")
NUMPY += ("sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh")
MATH = ("exp", "expm1", "log", "log2", "log10", "log1p", "pow", "sin", "cos", "tan", "atan")
MATH += ("atan2", "tanh", "erf")


def picked(x: np.ndarray) -> np.ndarray:
    """The inputs to perturb: bits 1 and 2 of the mantissa are 0 and 1 (a quarter of them)."""
    bits = np.asarray(x, dtype=np.float64).view(np.uint64)
    return (bits >> np.uint64(1)) & np.uint64(3) == np.uint64(1)


class Perturbed:
    """A NumPy function, called directly, one ulp off on the picked inputs. Everything else
    (``np.power.outer``, ``np.exp.nin``, …) is the original's."""

    def __init__(self, f) -> None:
        self.f = f
        functools.update_wrapper(self, f)

    def __getattr__(self, name: str):
        return getattr(self.f, name)

    def __call__(self, *args, **kwargs):
        result = self.f(*args, **kwargs)
        first = np.asarray(args[0])
        if first.dtype != np.float64 or not isinstance(result, np.ndarray | np.float64):
            return result
        changed = np.nextafter(result, np.inf)
        where = picked(np.broadcast_to(first, np.shape(result))) & np.isfinite(result)
        if isinstance(result, np.ndarray):
            np.copyto(result, changed, where=where)
            return result
        return changed if bool(where) else result


def math_version(f):
    @functools.wraps(f)
    def perturbed(*args):
        result = f(*args)
        if isinstance(args[0], float) and math.isfinite(result) and bool(picked(args[0])):
            return math.nextafter(result, math.inf)
        return result

    return perturbed


for name in NUMPY:
    setattr(np, name, Perturbed(getattr(np, name)))
for name in MATH:
    setattr(math, name, math_version(getattr(math, name)))
os.environ["OTHER_MATHS"] = "on"  # so that a test can see that this file ran
