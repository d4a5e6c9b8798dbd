"""The lesson's inputs, defined once: the data, the starting weights, the learning rate.

Every page, test, figure and the playground read them from here.

>>> X, Y
(array([1., 2., 3., 4.]), array([0., 1., 1., 0.]))
>>> START
Params(w1=array([0.5]), b1=array([-0.1]), w2=array([0.3]), b2=0.2)
"""

# --8<-- [start:imports]
from __future__ import annotations  # type hints are notes for the reader, not run

from collections.abc import Sequence

import numpy as np

from snippets.network import Params

# --8<-- [end:imports]
from snippets.portable import normal

# --8<-- [start:data]
X = np.array([1.0, 2.0, 3.0, 4.0])  # inputs
Y = np.array([0.0, 1.0, 1.0, 0.0])  # targets: up, then back down
# --8<-- [end:data]

# --8<-- [start:start]
START = Params.of(w1=[0.5], b1=[-0.1], w2=[0.3], b2=0.2)  # 1 hidden neuron
LR = 0.5  # η, the learning rate
EPOCHS = 2000  # how many gradient-descent steps a training run takes
LOG_EVERY = 500  # print the loss every this many epochs
# --8<-- [end:start]

# --8<-- [start:bump]
# Two hidden neurons, placed by hand: the first switches on near x = 1.5
# (3·1.5 − 4.5 = 0), the second near x = 3.5 (3·3.5 − 10.5 = 0);
# the output adds the first and subtracts the second.
BUMP_START = Params.of(w1=[3.0, 3.0], b1=[-4.5, -10.5], w2=[2.0, -2.0], b2=0.0)
# --8<-- [end:bump]

SMALL_RANDOM_SCALE = 0.1  # standard deviation of every weight in a "small random" start
STUCK_SEED = 3  # a seed whose small random start gets stuck (09-starts.md checks that it does)
WIDTHS = (1, 2, 3, 4, 8)  # the numbers of hidden neurons 10-measured.md and the playground try


def small_random_start(
    seed: int | Sequence[int], width: int = 2, scale: float = SMALL_RANDOM_SCALE
) -> Params:
    """Every weight drawn from a normal distribution with mean 0 and standard deviation ``scale``.

    >>> small_random_start(0, width=1)
    Params(w1=array([0.08078331]), b1=array([-0.13578535]), w2=array([0.06954632]), b2=0.14967435851819214)
    """
    v = scale * normal(np.random.default_rng(seed), 3 * width + 1)
    return Params.from_vector(v)
