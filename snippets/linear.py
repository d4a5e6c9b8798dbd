"""Linear regression, the starting point: the least-squares line through the data.

>>> from snippets.lesson import X, Y
>>> w, b = best_line(X, Y)
>>> round(w, 12), round(b, 12)
(0.0, 0.5)
"""

# --8<-- [start:imports]
from __future__ import annotations  # type hints are notes for the reader, not run

import numpy as np

# --8<-- [end:imports]


def mean_prediction_loss(y: np.ndarray) -> float:
    """The loss of always predicting the mean of ``y`` (the best flat line): ½·mean((y − ȳ)²).

    >>> mean_prediction_loss(np.array([0.0, 1.0, 1.0, 0.0]))
    0.125
    """
    residual = y - np.mean(y)
    return float(np.mean(0.5 * (residual * residual)))


# --8<-- [start:best_line]
def best_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Slope and intercept minimising the squared error (the closed-form normal equations)."""
    dx = x - x.mean()
    w = float(np.sum(dx * (y - y.mean())) / np.sum(dx * dx))
    return w, float(y.mean() - w * x.mean())


# --8<-- [end:best_line]
