"""Statements the pages make about results, checked every time the site is built.

Each function computes what a page claims, raises :class:`ClaimFailed` if it has stopped
being true (which fails the build), and returns the numbers the page then quotes.

>>> one_step().after < one_step().before
True
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from itertools import pairwise
from typing import NamedTuple

import numpy as np

from snippets.book import runs
from snippets.book.numbers import ROUNDING_LOSS
from snippets.floor import monotone_floor
from snippets.gradcheck import finite_differences, hessian
from snippets.lesson import EPOCHS, LR, START, X, Y
from snippets.linear import best_line, mean_prediction_loss
from snippets.network import (
    Gradients,
    Params,
    Run,
    cost,
    forward,
    gradients,
    to_vector,
    update,
)
from snippets.outcomes import STUCK_WITHIN, WINDOW, escape_epoch
from snippets.portable import symmetric_eigenvalues

INSPECTED = np.linspace(-10.0, 15.0, 2001)  # where "the learned function" is inspected
MEAN_TOLERANCE = 0.01  # "predicts the mean" means every prediction is within this of ȳ
NEARLY_FLAT = 0.01  # "barely falling": the last quarter of training gains less than this share
NEAR_FLOOR = 0.05  # "close to the floor": within this share of it


class ClaimFailed(AssertionError):
    """A sentence on the site is no longer true of the code."""


def check(condition: bool, claim: str) -> None:
    if not condition:
        raise ClaimFailed(claim)


def norm(g: Gradients) -> float:
    """Euclidean length of all four gradients taken together."""
    v = to_vector(g)
    return float(np.sqrt(np.sum(v * v)))


def is_monotone(values: np.ndarray) -> bool:
    steps = np.diff(values)
    return bool(np.all(steps >= 0) or np.all(steps <= 0))


@cache
def best_line_flat() -> tuple[float, float]:
    """00-intuition.md: the least-squares line through the data has slope 0 and passes through ȳ."""
    w, b = best_line(X, Y)
    check(abs(w) < 1e-12 and abs(b - Y.mean()) < 1e-12, "the best line is flat, at the mean")
    return w, b


@cache
def monotone_best() -> tuple[list[Fraction], Fraction]:
    """The best monotone fit of the lesson's targets and its mean loss, in exact fractions."""
    return monotone_floor([Fraction(v).limit_denominator() for v in Y])


class GradientCheck(NamedTuple):
    exact: Gradients
    estimate: Gradients
    worst: float  # largest |exact − estimate| over the four weights


@cache
def gradient_check(x: float = X[0], y: float = Y[0]) -> GradientCheck:
    """04-backprop.md: backprop and central differences agree for one point at the start."""
    xs, ys = np.array([x]), np.array([y])
    exact, estimate = gradients(START, xs, ys), finite_differences(START, xs, ys)
    worst = max(float(np.max(np.abs(np.subtract(e, n)))) for e, n in zip(exact, estimate))
    check(worst < 1e-9, "backprop matches finite differences to 1e-9")
    return GradientCheck(exact, estimate, worst)


class OneStep(NamedTuple):
    before: float
    after: float
    params: Params
    too_high: tuple[float, ...]  # the x whose prediction is above its target (pull it down)
    too_low: tuple[float, ...]  # the x whose prediction is below its target (push it up)
    drop: float  # (before − after) / before


@cache
def one_step() -> OneStep:
    """05-gradient-descent.md: one averaged gradient step from the start lowers the mean loss."""
    new = update(START, gradients(START, X, Y), LR)
    before, after = cost(START, X, Y), cost(new, X, Y)
    check(after < before, "one step of gradient descent lowers the loss")
    check(before - after < 0.05 * before, "by a little: under 5%")
    error = forward(START, X)[2] - Y
    check(bool(np.any(error > 0) and np.any(error < 0)), "the points pull in both directions")
    too_high, too_low = tuple(X[error > 0].tolist()), tuple(X[error < 0].tolist())
    return OneStep(before, after, new, too_high, too_low, (before - after) / before)


class Plateau(NamedTuple):
    run: Run
    floor: float  # the best loss any monotone function reaches on this data
    predictions: np.ndarray
    last_epochs: int  # the last quarter of training…
    last_gain: float  # …and how much it lowered the loss
    settles_at: float  # the mean prediction for x = 2, 3, 4 (the three it cannot separate)


@cache
def one_neuron_plateau() -> Plateau:
    """06-training.md and 08-capacity.md: one neuron improves, then levels off above the floor."""
    run = runs.one_neuron()
    floor = float(monotone_best()[1])
    last_epochs = EPOCHS - 3 * EPOCHS // 4
    last_quarter = run.costs[-1 - last_epochs] - run.costs[-1]
    check(floor < run.costs[-1] < run.costs[0], "1-neuron loss ends below its start, above 1/12")
    check(run.costs[-1] - floor < NEAR_FLOOR * floor, "it ends close to the monotone floor")
    check(last_quarter < NEARLY_FLAT * run.costs[0], "the last quarter of training gains little")
    check(bool(np.all(np.diff(run.costs[-1 - last_epochs :]) < 0)), "still falling at the end")
    quarters = run.costs[:: EPOCHS // 4]
    gains = -np.diff(quarters)
    check(bool(np.all(np.diff(gains) < 0)), "each quarter of training gains less than the last")
    check(
        is_monotone(forward(run.final, INSPECTED)[2]), "the 1-neuron learned function is monotone"
    )
    predictions = forward(run.final, X)[2]
    check(abs(predictions[0] - Y[0]) < 0.05, "x = 1 is predicted nearly right")
    check(predictions[3] > 0.5, "x = 4 is given up on: predicted above 0.5 instead of 0")
    check(bool(np.all(np.diff(predictions) > 0)), "the predictions rise from x = 1 to x = 4")
    settles_at = float(np.mean(predictions[1:]))
    return Plateau(run, floor, predictions, last_epochs, float(last_quarter), settles_at)


@cache
def two_neurons_fit() -> Run:
    """08-capacity.md: two neurons from the bump start fit the four points to machine precision."""
    run = runs.two_neurons()
    check(run.costs[-1] < ROUNDING_LOSS, "2-neuron loss ends below 1e-25: rounding noise")
    worst = float(np.max(np.abs(forward(run.final, X)[2] - Y)))
    check(worst < 1e-12, "every prediction equals its target up to rounding")
    check(
        not is_monotone(forward(run.final, INSPECTED)[2]), "the 2-neuron function rises and falls"
    )
    return run


class Stuck(NamedTuple):
    run: Run
    settled_epoch: int  # first epoch within STUCK_WITHIN of the mean-prediction loss
    curvature: float  # the Hessian's smallest eigenvalue at the end: negative at a saddle
    largest_z: float  # largest |z₁| at the end: the sigmoids' inputs stay near 0
    predictions: np.ndarray
    sigma_prime: np.ndarray  # σ′(z₁) at each point (rows) and hidden neuron (columns)
    gradient_norm: float
    escape_epoch: int  # first epoch of the LONGER× run from which the loss stays below FIT_BELOW
    nudged: tuple[int, int]  # the earliest and latest escape, the start moved by one rounding step
    longer_loss: float
    target_mean: float  # ȳ, which every prediction is close to
    plateau: float  # the loss of predicting ȳ everywhere


@cache
def stuck_at_mean() -> Stuck:
    """09-starts.md: a small random start sits at the mean prediction, with live sigmoids."""
    run = runs.stuck()
    z1, a1, y_hat = forward(run.final, X)
    sigma_prime = a1 * (1 - a1)
    near_mean = np.abs(run.costs - mean_prediction_loss(Y)) < STUCK_WITHIN
    check(bool(np.all(near_mean[-WINDOW:])), "stuck near 0.125")
    settled = int(np.argmax(near_mean))
    check(bool(np.all(near_mean[settled:])) and settled <= 100, "it gets there within 100 epochs")
    largest_z = float(np.max(np.abs(z1)))
    check(largest_z < 0.2, "each sigmoid's input stays within ±0.2: an almost straight stretch")
    check(bool(np.all(np.abs(y_hat - Y.mean()) < MEAN_TOLERANCE)), "all predictions ≈ ȳ")
    check(bool(np.all(sigma_prime > 0.24)), "σ′ stays near its maximum 0.25: no flat tails")
    gradient_norm = norm(gradients(run.final, X, Y))
    check(gradient_norm < 1e-4, "the gradient has all but vanished")
    curvature = float(symmetric_eigenvalues(hessian(run.final, X, Y))[0])
    check(curvature < 0, "the loss curves down in some direction: a saddle, not a minimum")
    longer = runs.stuck_longer()
    escaped = escape_epoch(longer.costs)
    check(
        escaped is not None and escaped <= longer.epochs - WINDOW,
        f"trained {runs.LONGER}× longer, it escapes and fits",
    )
    nudged = runs.stuck_nudged()
    check(None not in nudged, "one rounding step away from its start, it escapes too")
    check(escaped - settled >= 2_000, "it sits at the plateau for thousands of epochs")
    return Stuck(
        run,
        settled,
        curvature,
        largest_z,
        y_hat,
        sigma_prime,
        gradient_norm,
        escaped,
        (min(nudged), max(nudged)),
        float(longer.costs[-1]),
        float(np.mean(Y)),
        mean_prediction_loss(Y),
    )


# ---- 10-measured.md: the article's claims, measured ----


class Approach(NamedTuple):
    floor: float
    fraction: Fraction  # the same floor, exactly
    epochs: tuple[int, ...]
    costs: tuple[float, ...]
    gaps: tuple[float, ...]  # loss − floor at each checkpoint
    w1: float  # the input weight at the end: growing towards a step
    times: int  # how many times as long as the lesson's run


@cache
def floor_approach() -> Approach:
    """The 1-neuron loss closes in on 1/12 like 1/epochs, never reaching it."""
    run = runs.one_neuron_long()
    fraction = monotone_best()[1]
    floor = float(fraction)
    costs = tuple(float(run.costs[e]) for e in runs.CHECKPOINTS)
    gaps = tuple(v - floor for v in costs)
    check(all(g > 0 for g in gaps), "the loss stays above the floor")
    ratios = [a / b for a, b in pairwise(gaps)]
    check(all(5 < r < 20 for r in ratios), "ten times the epochs, about a tenth of the gap")
    check(abs(float(run.final.w1[0])) > 2 * abs(float(runs.one_neuron().final.w1[0])), "w1 grows")
    times = runs.CHECKPOINTS[-1] // EPOCHS
    return Approach(floor, fraction, runs.CHECKPOINTS, costs, gaps, float(run.final.w1[0]), times)
