"""Statements the pages make about results, checked every time the site is built.

Each function computes what a page claims, raises :class:`ClaimFailed` if it has stopped
being true (which fails the build), and returns the numbers the page then quotes.

>>> one_step().after < one_step().before
True
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

from snippets import runs
from snippets.floor import monotone_floor
from snippets.gradcheck import finite_differences
from snippets.lesson import EPOCHS, LR, START, X, Y
from snippets.network import Gradients, Params, Run, forward, gradients, mean_loss, train, update

GRID = np.linspace(-10.0, 15.0, 2001)  # where "the learned function" is inspected
STUCK_TOLERANCE = 1e-3  # "stuck" means within this of the mean-prediction loss
MACHINE_PRECISION_LOSS = 1e-25  # "fits to machine precision" means a loss below this
MEAN_TOLERANCE = 0.01  # "predicts the mean" means every prediction is within this of ȳ
LONGER = 10  # the stuck run is trained this many times longer to see whether it escapes


class ClaimFailed(AssertionError):
    """A sentence on the site is no longer true of the code."""


def check(condition: bool, claim: str) -> None:
    if not condition:
        raise ClaimFailed(claim)


def norm(g: Gradients) -> float:
    """Euclidean length of all four gradients taken together."""
    return float(np.sqrt(sum(np.sum(np.square(v)) for v in g)))


def is_monotone(values: np.ndarray) -> bool:
    steps = np.diff(values)
    return bool(np.all(steps >= 0) or np.all(steps <= 0))


class GradientCheck(NamedTuple):
    exact: Gradients
    estimate: Gradients
    worst: float  # largest |exact − estimate| over the four weights


@cache
def gradient_check(x: float = X[0], y: float = Y[0]) -> GradientCheck:
    """Page 04: backprop and central differences agree for one point at the start."""
    xs, ys = np.array([x]), np.array([y])
    exact, estimate = gradients(START, xs, ys), finite_differences(START, xs, ys)
    worst = max(float(np.max(np.abs(np.subtract(e, n)))) for e, n in zip(exact, estimate))
    check(worst < 1e-9, "backprop matches finite differences to 1e-9")
    return GradientCheck(exact, estimate, worst)


class OneStep(NamedTuple):
    before: float
    after: float
    params: Params


@cache
def one_step() -> OneStep:
    """Page 05: one averaged gradient step from the start lowers the mean loss."""
    new = update(START, gradients(START, X, Y), LR)
    before, after = mean_loss(START, X, Y), mean_loss(new, X, Y)
    check(after < before, "one step of gradient descent lowers the loss")
    return OneStep(before, after, new)


@cache
def mean_prediction_loss() -> float:
    """The loss of always predicting the mean of y: ½·mean((y − ȳ)²)."""
    return float(0.5 * np.mean((Y - Y.mean()) ** 2))


class Plateau(NamedTuple):
    run: Run
    floor: float  # the best loss any monotone function reaches on this data
    predictions: np.ndarray


@cache
def one_neuron_plateau() -> Plateau:
    """Pages 06 and 08: one neuron improves, then levels off above the monotone floor."""
    run = runs.one_neuron()
    floor = float(monotone_floor(list(Y))[1])
    last_quarter = run.losses[3 * EPOCHS // 4] - run.losses[-1]
    check(floor < run.losses[-1] < run.losses[0], "1-neuron loss ends below its start, above 1/12")
    check(run.losses[-1] - floor < 0.05 * floor, "it ends within 5% of the monotone floor")
    check(last_quarter < 0.01 * run.losses[0], "the last quarter of training gains under 1%")
    check(is_monotone(forward(run.final, GRID)[2]), "the 1-neuron learned function is monotone")
    predictions = forward(run.final, X)[2]
    check(abs(predictions[0] - Y[0]) < 0.05, "x = 1 is predicted nearly right")
    check(predictions[3] > 0.5, "x = 4 is given up on: predicted above 0.5 instead of 0")
    return Plateau(run, floor, predictions)


@cache
def two_neurons_fit() -> Run:
    """Page 08: two neurons from the bump start fit the four points to machine precision."""
    run = runs.two_neurons()
    check(run.losses[-1] < MACHINE_PRECISION_LOSS, "2-neuron loss ends below 1e-25")
    check(not is_monotone(forward(run.final, GRID)[2]), "the 2-neuron function rises and falls")
    return run


class Stuck(NamedTuple):
    run: Run
    settled_epoch: int  # first epoch within STUCK_TOLERANCE of the mean-prediction loss
    largest_z: float  # largest |z₁| at the end: the sigmoids' inputs stay near 0
    predictions: np.ndarray
    sigma_prime: np.ndarray  # σ′(z₁) at each point (rows) and hidden neuron (columns)
    gradient_norm: float
    escape_epoch: int  # first epoch of a LONGER× run whose loss is below STUCK_TOLERANCE
    longer_loss: float


@cache
def stuck_at_mean() -> Stuck:
    """Page 08: a small random start sits at the mean prediction, with live sigmoids."""
    run = runs.stuck()
    z1, a1, y_hat = forward(run.final, X)
    sigma_prime = a1 * (1 - a1)
    near_mean = np.abs(run.losses - mean_prediction_loss()) < STUCK_TOLERANCE
    check(bool(near_mean[-1]), "stuck near 0.125")
    settled = int(np.argmax(near_mean))
    check(bool(np.all(near_mean[settled:])) and settled <= 100, "it gets there within 100 epochs")
    largest_z = float(np.max(np.abs(z1)))
    check(largest_z < 0.2, "each sigmoid's input stays within ±0.2: an almost straight stretch")
    check(bool(np.all(np.abs(y_hat - Y.mean()) < MEAN_TOLERANCE)), "all predictions ≈ ȳ")
    check(bool(np.all(sigma_prime > 0.24)), "σ′ stays near its maximum 0.25: no flat tails")
    gradient_norm = norm(gradients(run.final, X, Y))
    check(gradient_norm < 1e-4, "the gradient has all but vanished")
    longer = train(run.start, X, Y, LR, LONGER * EPOCHS)
    escaped = np.flatnonzero(longer.losses < STUCK_TOLERANCE)
    check(escaped.size > 0, f"trained {LONGER}× longer, the stuck network escapes")
    return Stuck(
        run,
        settled,
        largest_z,
        y_hat,
        sigma_prime,
        gradient_norm,
        int(escaped[0]),
        float(longer.losses[-1]),
    )
