"""The training runs the pages quote, each computed once per build and shared by every page.

>>> one_neuron() is one_neuron()  # the same object: trained once, read many times
True
>>> one_neuron().epochs, two_neurons().epochs
(2000, 2000)
"""

from __future__ import annotations

from functools import cache

from snippets.lesson import BUMP_START, EPOCHS, LR, START, STUCK_SEED, X, Y, small_random_start
from snippets.network import Run, train


@cache
def one_neuron() -> Run:
    """The lesson's network: 1 hidden neuron from the article's start."""
    return train(START, X, Y, LR, EPOCHS)


CHECKPOINTS = (2_000, 20_000, 200_000)  # epochs at which page 09 reads the long run


@cache
def one_neuron_long() -> Run:
    """The lesson's network trained a hundred times longer, to watch it near its floor."""
    return train(START, X, Y, LR, CHECKPOINTS[-1])


@cache
def two_neurons() -> Run:
    """2 hidden neurons from the hand-placed bump start."""
    return train(BUMP_START, X, Y, LR, EPOCHS)


@cache
def stuck() -> Run:
    """2 hidden neurons from a small random start (seed ``STUCK_SEED``)."""
    return train(small_random_start(STUCK_SEED), X, Y, LR, EPOCHS)
