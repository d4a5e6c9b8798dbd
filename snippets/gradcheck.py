"""Gradients estimated without calculus: nudge one weight each way and watch the loss.

>>> from snippets.lesson import START, X, Y
>>> from snippets.network import gradients
>>> numeric = finite_differences(START, X, Y)
>>> exact = gradients(START, X, Y)
>>> max(float(np.max(np.abs(np.subtract(n, e)))) for n, e in zip(numeric, exact)) < 1e-9
True
"""

from __future__ import annotations

import numpy as np

from snippets.network import Gradients, Params, cost, gradients, to_vector

STEP = 1e-5  # h: small enough for accuracy, large enough to stay clear of rounding noise


def nudged(p: Params, h: float):
    """(index, p with that weight + h, p with it − h) for every weight in turn."""
    flat = to_vector(p)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        yield i, Params.from_vector(up), Params.from_vector(down)


def finite_differences(p: Params, x, y, h: float = STEP) -> Gradients:
    """Central differences (L(w + h) − L(w − h)) / 2h of the mean loss, one weight at a time."""
    estimate = np.empty(to_vector(p).size)
    for i, up, down in nudged(p, h):
        estimate[i] = (cost(up, x, y) - cost(down, x, y)) / (2 * h)
    return Gradients(*Params.from_vector(estimate))


def hessian(p: Params, x, y, h: float = STEP) -> np.ndarray:
    """Second derivatives of the mean loss: central differences of the exact gradient.

    >>> from snippets.lesson import START, X, Y
    >>> H = hessian(START, X, Y)
    >>> H.shape, bool(np.allclose(H, H.T)), round(float(H[3, 3]), 4)  # ∂²L/∂b₂² = 1
    ((4, 4), True, 1.0)
    """
    columns = np.empty((to_vector(p).size,) * 2)
    for i, up, down in nudged(p, h):
        columns[i] = (to_vector(gradients(up, x, y)) - to_vector(gradients(down, x, y))) / (2 * h)
    return (columns + columns.T) / 2
