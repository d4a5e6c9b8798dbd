"""A network with one input, one hidden layer of sigmoid neurons and one output.

The names follow the maths on the pages: ``w1, b1`` feed the hidden layer, ``w2, b2``
the output; ``z1`` is the hidden weighted sum, ``a1 = σ(z1)`` its activation and
``y_hat`` the prediction. Every array has one row per data point and one column per
hidden neuron, so the same code runs the 1-neuron network of the lesson and wider ones.

>>> p = Params.of(w1=[0.5], b1=[-0.1], w2=[0.3], b2=0.2)
>>> z1, a1, y_hat = forward(p, np.array([1.0]))
>>> float(z1[0, 0]), round(float(a1[0, 0]), 4), round(float(y_hat[0]), 4)
(0.4, 0.5987, 0.3796)
"""

# --8<-- [start:imports]
from __future__ import annotations  # type hints are notes for the reader, not run

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from snippets.portable import exp  # e^x, computed the same way on every computer

# --8<-- [end:imports]


# --8<-- [start:params]
class Params(NamedTuple):
    """The weights: ``w1, b1, w2`` hold one value per hidden neuron, ``b2`` is one number."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float

    @classmethod
    def of(cls, w1, b1, w2, b2) -> Params:
        """Build from plain numbers or lists.

        >>> Params.of(w1=[1, 2], b1=[0, 0], w2=[3, 4], b2=5).width
        2
        """
        return cls(*(np.asarray(v, dtype=float) for v in (w1, b1, w2)), float(b2))

    @property
    def width(self) -> int:
        """How many hidden neurons."""
        return self.w1.size

    # --8<-- [end:params]

    @classmethod
    def from_vector(cls, v: np.ndarray) -> Params:
        """The inverse of :func:`to_vector`.

        >>> Params.from_vector(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
        Params(w1=array([1., 2.]), b1=array([3., 4.]), w2=array([5., 6.]), b2=7.0)
        """
        return cls.of(*split(v, (len(v) - 1) // 3))


def split(v: np.ndarray, width: int, axis: int = 0) -> tuple[np.ndarray, ...]:
    """The one layout of all the weights in a vector: w1, b1, w2 (``width`` each), then b2.

    The parts are views along ``axis``, so a (3·width + 1, N) array holds N networks, one per
    column.
    """
    at = (slice(None),) * axis
    return (
        v[(*at, slice(0, width))],
        v[(*at, slice(width, 2 * width))],
        v[(*at, slice(2 * width, 3 * width))],
        v[(*at, 3 * width)],
    )


def to_vector(p: Params | Gradients) -> np.ndarray:
    """All the weights (or their gradients) in one vector, laid out as :func:`split` reads it."""
    return np.concatenate([np.ravel(v) for v in p])


# --8<-- [start:gradients]
class Gradients(NamedTuple):
    """∂L/∂(each weight), either per data point (one row each) or averaged."""

    dL_dw1: np.ndarray
    dL_db1: np.ndarray
    dL_dw2: np.ndarray
    dL_db2: np.ndarray | float


@dataclass(frozen=True)
class Backward:
    """Every link of the chain rule for each data point, right to left."""

    dL_dyhat: np.ndarray  # ∂L/∂ŷ, shape (points,)
    dL_da1: np.ndarray  # ∂L/∂a₁, shape (points, width)
    da1_dz1: np.ndarray  # σ′(z₁)
    dL_dz1: np.ndarray  # ∂L/∂z₁
    grads: Gradients  # per point


# --8<-- [end:gradients]


# --8<-- [start:sigmoid]
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), arranged so that e^(…) never overflows.

    ``exp`` is e^x computed the same way on every computer (``snippets/portable.py`` says why).

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    e = exp(-np.abs(z))  # e^(−|z|), always in (0, 1]
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


# --8<-- [end:sigmoid]


# --8<-- [start:forward_one]
def forward_one(p: Params, x: float):
    """One input through a one-neuron network, step by step, as you would do it by hand."""
    z1 = p.w1[0] * x + p.b1[0]  # weighted sum
    a1 = sigmoid(z1)  # the bend
    y_hat = p.w2[0] * a1 + p.b2  # weighted sum again
    return z1, a1, y_hat


# --8<-- [end:forward_one]


# --8<-- [start:forward]
def forward(p: Params, x: np.ndarray):
    """Prediction for every x: a weighted sum, the sigmoid, another weighted sum."""
    z1 = np.outer(x, p.w1) + p.b1  # hidden weighted sums, one row per point
    a1 = sigmoid(z1)  # hidden activations: the bend
    # output: a weighted sum of the activations, Σⱼ w₂⁽ʲ⁾·a₁⁽ʲ⁾ + b₂
    y_hat = sum(p.w2[j] * a1[:, j] for j in range(p.width)) + p.b2
    return z1, a1, y_hat


# --8<-- [end:forward]


# --8<-- [start:loss]
def loss(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Half the squared error of each point.

    >>> loss(np.array([0.5, 2.0]), np.array([0.0, 1.0]))
    array([0.125, 0.5  ])
    """
    return 0.5 * (y_hat - y) ** 2


def cost(p: Params, x: np.ndarray, y: np.ndarray) -> float:
    """The cost: the average of the per-point losses."""
    return float(np.mean(loss(forward(p, x)[2], y)))


# --8<-- [end:loss]


# --8<-- [start:backward]
def backward(p: Params, x, y, z1, a1, y_hat) -> Backward:
    """The chain rule, from the loss back to each weight, for every point at once."""
    dL_dyhat = y_hat - y  # ∂L/∂ŷ
    dL_dw2 = dL_dyhat[:, None] * a1  # ∂L/∂w₂ = ∂L/∂ŷ · a₁
    dL_db2 = dL_dyhat  # ∂L/∂b₂ = ∂L/∂ŷ · 1
    dL_da1 = dL_dyhat[:, None] * p.w2  # ∂L/∂a₁ = ∂L/∂ŷ · w₂
    da1_dz1 = a1 * (1 - a1)  # σ′(z₁) = σ(z₁)·(1 − σ(z₁))
    dL_dz1 = dL_da1 * da1_dz1  # ∂L/∂z₁ = ∂L/∂a₁ · σ′(z₁)
    dL_dw1 = dL_dz1 * x[:, None]  # ∂L/∂w₁ = ∂L/∂z₁ · x
    dL_db1 = dL_dz1  # ∂L/∂b₁ = ∂L/∂z₁ · 1
    grads = Gradients(dL_dw1, dL_db1, dL_dw2, dL_db2)
    return Backward(dL_dyhat, dL_da1, da1_dz1, dL_dz1, grads)


# --8<-- [end:backward]


# --8<-- [start:update]
def average(g: Gradients) -> Gradients:
    """Average the per-point gradients over the data points (the rows)."""
    return Gradients(
        dL_dw1=np.mean(g.dL_dw1, axis=0),
        dL_db1=np.mean(g.dL_db1, axis=0),
        dL_dw2=np.mean(g.dL_dw2, axis=0),
        dL_db2=float(np.mean(g.dL_db2)),
    )


def gradients(p: Params, x: np.ndarray, y: np.ndarray) -> Gradients:
    """Forward, then backward, then average: the gradient of the mean loss."""
    z1, a1, y_hat = forward(p, x)
    return average(backward(p, x, y, z1, a1, y_hat).grads)


def update(p: Params, g: Gradients, lr: float) -> Params:
    """One step of gradient descent: every weight moves against its gradient."""
    return Params(*(w - lr * dw for w, dw in zip(p, g, strict=True)))


# --8<-- [end:update]


# --8<-- [start:run]
class Run(NamedTuple):
    """What a training run leaves: its first and last weights, and the cost after every step."""

    start: Params
    final: Params
    costs: np.ndarray  # costs[k] is the cost C after k updates
    lr: float

    @property
    def epochs(self) -> int:
        return self.costs.size - 1


# --8<-- [end:run]


# --8<-- [start:train]
def train(p: Params, x: np.ndarray, y: np.ndarray, lr: float, epochs: int) -> Run:
    """Repeat forward → loss → backward → update, ``epochs`` times."""
    start = p
    costs = np.empty(epochs + 1)
    for epoch in range(epochs):
        z1, a1, y_hat = forward(p, x)
        costs[epoch] = np.mean(loss(y_hat, y))
        g = average(backward(p, x, y, z1, a1, y_hat).grads)
        p = update(p, g, lr)
    costs[epochs] = cost(p, x, y)
    return Run(start, p, costs, lr)


# --8<-- [end:train]
