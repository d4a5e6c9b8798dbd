"""What "fits" and "stuck" mean: where a run's cost *stayed* over its last epochs.

08-capacity.md, 09-starts.md, 10-measured.md and the study class every training run by the
costs of its last ``WINDOW`` epochs, not by the one it happened to pass through at the end.
"Stuck" is where the flat line at the mean of the targets sits: the cost of predicting ȳ for
every point.
"""

from __future__ import annotations

import numpy as np

from snippets.linear import mean_prediction_loss

FIT_BELOW = 1e-3  # "fits": the cost stayed below this through the last WINDOW epochs
STUCK_WITHIN = 1e-3  # "stuck": it stayed within this of the mean prediction's cost through them
WINDOW = 100  # how many epochs at the end a run must have kept its class
OUTCOMES = ("fits", "stuck", "other")


def classify(recent: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each run's outcome from its costs over its last epochs, one row per run.

    ``"fits"`` if every one is below ``FIT_BELOW``, ``"stuck"`` if every one is within
    ``STUCK_WITHIN`` of the mean prediction's cost, ``"other"`` otherwise.

    >>> recent = np.array([[1e-9, 2e-9], [0.1249, 0.1251], [0.1249, 0.1400], [0.09, 0.09]])
    >>> classify(recent, np.array([0.0, 1.0, 1.0, 0.0])).tolist()
    ['fits', 'stuck', 'other', 'other']
    """
    recent = np.asarray(recent, dtype=float)
    fits = np.all(recent < FIT_BELOW, axis=1)
    stuck = np.all(np.abs(recent - mean_prediction_loss(y)) < STUCK_WITHIN, axis=1)
    return np.where(fits, "fits", np.where(stuck, "stuck", "other"))


def escape_epoch(costs: np.ndarray) -> int | None:
    """The first epoch from which a run's cost stays below ``FIT_BELOW`` to its end (None if
    it ends above it).

    >>> escape_epoch(np.array([0.125, 0.01, 0.0005, 0.002, 0.0009, 0.0001]))
    4
    """
    above = np.flatnonzero(np.asarray(costs) >= FIT_BELOW)
    if above.size and above[-1] == len(costs) - 1:
        return None
    return int(above[-1]) + 1 if above.size else 0
