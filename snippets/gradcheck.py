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

from snippets.network import Gradients, Params, mean_loss

STEP = 1e-5  # h: small enough for accuracy, large enough to stay clear of rounding noise


def finite_differences(p: Params, x, y, h: float = STEP) -> Gradients:
    """Central differences (L(w + h) − L(w − h)) / 2h of the mean loss, one weight at a time."""
    flat = np.concatenate([p.w1, p.b1, p.w2, [p.b2]])
    width = p.width

    def unflatten(v):
        return Params(v[:width], v[width : 2 * width], v[2 * width : 3 * width], float(v[-1]))

    estimate = np.empty_like(flat)
    for i in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[i] += h
        down[i] -= h
        estimate[i] = (mean_loss(unflatten(up), x, y) - mean_loss(unflatten(down), x, y)) / (2 * h)
    return Gradients(*unflatten(estimate))
