"""The training runs the pages quote, each trained once and shared by every page that quotes it.

>>> one_neuron() is one_neuron()  # the same object: trained once, read many times
True
>>> one_neuron().epochs, two_neurons().epochs
(2000, 2000)
"""

from __future__ import annotations

import numpy as np

from snippets.book.cache import cached
from snippets.lesson import BUMP_START, EPOCHS, LR, START, STUCK_SEED, X, Y, small_random_start
from snippets.network import Params, Run, to_vector, train
from snippets.outcomes import escape_epoch
from snippets.portable import exp_scalar


@cached
def one_neuron() -> Run:
    """The lesson's network: 1 hidden neuron from the article's start."""
    return train(START, X, Y, LR, EPOCHS)


CHECKPOINTS = (2_000, 20_000, 200_000)  # where 10-measured.md reads the long run
LONGER = 10  # 09-starts.md's stuck run is also trained this many times longer, to see it escape
LONGER_EPOCHS = LONGER * EPOCHS  # … that is, for this many epochs (and 08-capacity.md's link)


@cached
def one_neuron_long() -> Run:
    """The lesson's network trained a hundred times longer, to watch it near its floor."""
    return train_in_floats(START, X, Y, LR, CHECKPOINTS[-1])


@cached
def two_neurons() -> Run:
    """2 hidden neurons from the hand-placed bump start."""
    return train(BUMP_START, X, Y, LR, EPOCHS)


@cached
def stuck() -> Run:
    """2 hidden neurons from a small random start (seed ``STUCK_SEED``)."""
    return train(small_random_start(STUCK_SEED), X, Y, LR, EPOCHS)


@cached
def stuck_longer() -> Run:
    """The stuck network trained ``LONGER`` times as long."""
    return train_in_floats(small_random_start(STUCK_SEED), X, Y, LR, LONGER_EPOCHS)


@cached
def stuck_nudged() -> tuple[int | None, ...]:
    """The escape epoch of the stuck run trained ``LONGER`` times as long, from its start with
    one weight moved by one rounding step (to the next float up, then down), each in turn: how
    much the escape depends on the last bit of the start."""
    start = to_vector(small_random_start(STUCK_SEED))
    epochs = []
    for i in range(start.size):
        for towards in (np.inf, -np.inf):
            nudged = start.copy()
            nudged[i] = np.nextafter(nudged[i], towards)
            run = train_in_floats(Params.from_vector(nudged), X, Y, LR, LONGER_EPOCHS)
            epochs.append(escape_epoch(run.costs))
    return tuple(epochs)


def train_in_floats(p: Params, x: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> Run:
    """``network.train`` computed in Python floats, one number at a time: the same bits.

    For one small network NumPy spends its time on the overhead of each call, not on the four
    numbers in it, so runs of many thousands of epochs are done here instead, about ten times
    faster (``nox -s bench`` measures it). Every operation is the one ``network.py`` performs,
    in the same order (``np.mean`` of four values adds them first to last), so the results are
    identical to the last bit; ``tests/test_runs.py`` checks that they are.

    >>> run = train_in_floats(START, X, Y, LR, 2000)
    >>> bool(np.array_equal(run.costs, one_neuron().costs))
    True
    """
    xs, ys, width = x.tolist(), y.tolist(), p.width
    w1, b1, w2, b2 = p.w1.tolist(), p.b1.tolist(), p.w2.tolist(), float(p.b2)
    points, hidden = len(xs), range(width)
    costs = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        # sums over the points, added first to last as np.mean does (0 + v is exactly v)
        loss, s_w1, s_b1, s_w2, s_b2 = 0.0, [0.0] * width, [0.0] * width, [0.0] * width, 0.0
        for xi, yi in zip(xs, ys):
            a1 = []
            for j in hidden:
                z1 = xi * w1[j] + b1[j]
                e = exp_scalar(-abs(z1))
                a1.append(1 / (1 + e) if z1 >= 0 else e / (1 + e))
            dL_dyhat = sum(w2[j] * a1[j] for j in hidden) + b2 - yi
            loss += 0.5 * (dL_dyhat * dL_dyhat)
            s_b2 += dL_dyhat
            for j in hidden:
                a = a1[j]
                dL_dz1 = dL_dyhat * w2[j] * (a * (1 - a))
                s_w1[j] += dL_dz1 * xi
                s_b1[j] += dL_dz1
                s_w2[j] += dL_dyhat * a
        costs[epoch] = loss / points
        if epoch == epochs:
            break
        w1 = [w - lr * (s / points) for w, s in zip(w1, s_w1)]
        b1 = [b - lr * (s / points) for b, s in zip(b1, s_b1)]
        w2 = [w - lr * (s / points) for w, s in zip(w2, s_w2)]
        b2 = b2 - lr * (s_b2 / points)
    return Run(p, Params.of(w1, b1, w2, b2), costs, lr)
