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

from snippets import batch, runs
from snippets.batch import FIT_BELOW, STUCK_WITHIN, WINDOW
from snippets.floor import monotone_floor
from snippets.gradcheck import finite_differences, hessian
from snippets.lesson import EPOCHS, LR, START, X, Y
from snippets.linear import best_line
from snippets.network import (
    Gradients,
    Params,
    Run,
    forward,
    gradients,
    mean_loss,
    to_vector,
    update,
)
from snippets.portable import symmetric_eigenvalues
from snippets.render import ROUNDING_LOSS
from snippets.study import INITS, Share, Study, run_study

GRID = np.linspace(-10.0, 15.0, 2001)  # where "the learned function" is inspected
MEAN_TOLERANCE = 0.01  # "predicts the mean" means every prediction is within this of ȳ


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
    """Page 00: the least-squares line through the data has slope 0 and passes through ȳ."""
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
    too_high: tuple[float, ...]  # the x whose prediction is above its target (pull it down)
    too_low: tuple[float, ...]  # the x whose prediction is below its target (push it up)


@cache
def one_step() -> OneStep:
    """Page 05: one averaged gradient step from the start lowers the mean loss."""
    new = update(START, gradients(START, X, Y), LR)
    before, after = mean_loss(START, X, Y), mean_loss(new, X, Y)
    check(after < before, "one step of gradient descent lowers the loss")
    check(before - after < 0.05 * before, "by a little: under 5%")
    error = forward(START, X)[2] - Y
    check(bool(np.any(error > 0) and np.any(error < 0)), "the points pull in both directions")
    return OneStep(before, after, new, tuple(X[error > 0].tolist()), tuple(X[error < 0].tolist()))


@cache
def mean_prediction_loss() -> float:
    """The loss of always predicting the mean of the lesson's y."""
    return batch.mean_prediction_loss(Y)


class Plateau(NamedTuple):
    run: Run
    floor: float  # the best loss any monotone function reaches on this data
    predictions: np.ndarray


@cache
def one_neuron_plateau() -> Plateau:
    """Pages 06 and 08: one neuron improves, then levels off above the monotone floor."""
    run = runs.one_neuron()
    floor = float(monotone_best()[1])
    last_quarter = run.losses[3 * EPOCHS // 4] - run.losses[-1]
    check(floor < run.losses[-1] < run.losses[0], "1-neuron loss ends below its start, above 1/12")
    check(run.losses[-1] - floor < 0.05 * floor, "it ends within 5% of the monotone floor")
    check(last_quarter < 0.01 * run.losses[0], "the last quarter of training gains under 1%")
    check(is_monotone(forward(run.final, GRID)[2]), "the 1-neuron learned function is monotone")
    predictions = forward(run.final, X)[2]
    check(abs(predictions[0] - Y[0]) < 0.05, "x = 1 is predicted nearly right")
    check(predictions[3] > 0.5, "x = 4 is given up on: predicted above 0.5 instead of 0")
    check(bool(np.all(np.diff(predictions) > 0)), "the predictions rise from x = 1 to x = 4")
    return Plateau(run, floor, predictions)


@cache
def two_neurons_fit() -> Run:
    """Page 08: two neurons from the bump start fit the four points to machine precision."""
    run = runs.two_neurons()
    check(run.losses[-1] < ROUNDING_LOSS, "2-neuron loss ends below 1e-25: rounding noise")
    worst = float(np.max(np.abs(forward(run.final, X)[2] - Y)))
    check(worst < 1e-12, "every prediction equals its target up to rounding")
    check(not is_monotone(forward(run.final, GRID)[2]), "the 2-neuron function rises and falls")
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
    longer_loss: float


@cache
def stuck_at_mean() -> Stuck:
    """Page 08: a small random start sits at the mean prediction, with live sigmoids."""
    run = runs.stuck()
    z1, a1, y_hat = forward(run.final, X)
    sigma_prime = a1 * (1 - a1)
    near_mean = np.abs(run.losses - mean_prediction_loss()) < STUCK_WITHIN
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
    above = np.flatnonzero(longer.losses >= FIT_BELOW)
    escaped = int(above[-1]) + 1 if above.size else 0  # below FIT_BELOW from here on
    check(escaped <= longer.epochs - WINDOW, f"trained {runs.LONGER}× longer, it escapes and fits")
    return Stuck(
        run,
        settled,
        curvature,
        largest_z,
        y_hat,
        sigma_prime,
        gradient_norm,
        escaped,
        float(longer.losses[-1]),
    )


# ---- Page 09: the article's claims, measured ----


class Approach(NamedTuple):
    floor: float
    fraction: Fraction  # the same floor, exactly
    epochs: tuple[int, ...]
    losses: tuple[float, ...]
    gaps: tuple[float, ...]  # loss − floor at each checkpoint
    w1: float  # the input weight at the end: growing towards a step


@cache
def floor_approach() -> Approach:
    """The 1-neuron loss closes in on 1/12 like 1/epochs, never reaching it."""
    run = runs.one_neuron_long()
    fraction = monotone_best()[1]
    floor = float(fraction)
    losses = tuple(float(run.losses[e]) for e in runs.CHECKPOINTS)
    gaps = tuple(v - floor for v in losses)
    check(all(g > 0 for g in gaps), "the loss stays above the floor")
    ratios = [a / b for a, b in pairwise(gaps)]
    check(all(5 < r < 20 for r in ratios), "ten times the epochs, about a tenth of the gap")
    check(abs(float(run.final.w1[0])) > 2 * abs(float(runs.one_neuron().final.w1[0])), "w1 grows")
    return Approach(floor, fraction, runs.CHECKPOINTS, losses, gaps, float(run.final.w1[0]))


@cache
def study() -> Study:
    """The seeded study of snippets.study, read from its disk cache when the code is unchanged."""
    return run_study()


# Words with a number behind them, fixed before looking at the results. A share is claimed to
# be above (below) such a number only if its whole 95 % Wilson interval is.
OFTEN = 0.1  # "often": more than one run in ten
MOST = 0.5  # "most": more than half; "a minority": fewer than half
FEW = 0.1  # "few", "rare": fewer than one in ten
PRECISE = 30  # a share of fewer networks than this is too loose to state: left out
HUNDREDS = 100  # "where hundreds are stuck": settings with at least this many stuck runs
STEEP = 0.2  # "σ′ near its maximum 0.25": above 80 % of it


def above(share: Share, bound: float) -> bool:
    """The share is above ``bound`` beyond doubt: its whole 95 % interval is."""
    return share.low > bound


def below(share: Share, bound: float) -> bool:
    """The share is below ``bound`` beyond doubt: its whole 95 % interval is."""
    return share.high < bound


def clearly_more(a: Share, b: Share) -> bool:
    """Share ``a`` exceeds share ``b`` beyond doubt: their 95 % intervals do not overlap."""
    return a.low > b.high


class StudyFindings(NamedTuple):
    width_one_runs: int  # runs at width 1, over every init and optimiser
    width_one_fits: int  # of which fitted
    gd_fits: int  # fitted runs with plain gradient descent in 2000 epochs, everywhere
    small_stuck_by_width: tuple[Share, ...]  # GD from small starts, widths in order
    stuck_gd_width2: dict[str, Share]  # init → stuck, GD, width 2
    momentum_vs_gd_small: tuple[tuple[Share, Share], ...]  # (momentum, GD) stuck, widths 1, 2
    adam_best_fit: Share  # Adam's best fit share at width 2, over the starts


def study_findings(s: Study) -> StudyFindings:
    """What page 09 says about the study's table, each statement checked against intervals."""
    width_one_fits = sum(x.fits.count for x in s.settings if x.width == 1)
    check(width_one_fits == 0, "no 1-neuron network fits, whatever the start or optimiser")
    gd_fits = sum(x.fits.count for x in s.settings if x.optimiser == "gd")
    check(gd_fits == 0, "plain gradient descent fits none within the 2000-epoch budget")
    widths = sorted({x.width for x in s.settings})
    stuck = tuple(s.setting("small", w, "gd").stuck for w in widths)
    check(all(above(x, OFTEN) for x in stuck[:2]), "small starts often get stuck (1, 2 neurons)")
    check(all(clearly_more(a, b) for a, b in pairwise(stuck)), "wider: stuck less (small, GD)")
    width2 = {i: s.setting(i, 2, "gd").stuck for i in INITS}
    check(
        clearly_more(width2["small"], width2["xavier"])
        and clearly_more(width2["small"], width2["he"]),
        "Xavier and He starts: stuck less often than small ones (width 2, GD)",
    )
    pairs = tuple(
        (s.setting("small", w, "momentum").stuck, s.setting("small", w, "gd").stuck) for w in (1, 2)
    )
    check(all(clearly_more(m, g) for m, g in pairs), "momentum: stuck MORE often than GD (small)")
    check(s.setting("small", 2, "momentum").fits.count > 0, "yet momentum fits some of them")
    for opt in ("momentum", "adam"):
        for i in INITS:
            more = clearly_more(s.setting(i, widths[-1], opt).fits, s.setting(i, 2, opt).fits)
            check(more, f"{opt}, {i}: more fit with {widths[-1]} neurons than with 2")
    adam = max((s.setting(i, 2, "adam").fits for i in INITS), key=lambda x: x.share)
    check(above(adam, MOST), "Adam fits most width-2 runs from some start")
    width_one_runs = sum(x.starts for x in s.settings if x.width == 1)
    return StudyFindings(width_one_runs, width_one_fits, gd_fits, stuck, width2, pairs, adam)


class Diagnosed(NamedTuple):
    small_networks: int  # stuck networks from small starts, all widths and optimisers
    small_sigma_prime_mean_low: float  # the lowest per-setting mean σ′ (settings ≥ PRECISE)
    small_w1_median_high: float  # the highest per-setting median of max |w₁| (≥ PRECISE)
    small_gradient_median_high: float  # GD and momentum only (≥ PRECISE)
    saturated_most: Share  # the largest share with a unit in a tail (settings ≥ HUNDREDS)
    scaled_stuck_most: Share  # the Xavier/He setting of width ≥ 2 with the most stuck runs
    residual: tuple[float, ...]  # y − ȳ: what the flat fit leaves
    merged_most: Share  # the setting (width ≥ 2, ≥ PRECISE) with the largest share merged
    merged_hundreds: Share  # the same over settings with at least HUNDREDS stuck runs


def diagnosis(s: Study) -> Diagnosed:
    """Page 09: what stuck networks look like, against the article's flat-tail explanation."""
    stuck = [x for x in s.settings if x.diagnosis is not None]
    precise = [x for x in stuck if x.diagnosis.networks >= PRECISE]
    small = [x for x in stuck if x.init == "small"]
    small_precise = [x for x in precise if x.init == "small"]
    check(
        all(x.diagnosis.in_a_tail == 0 for x in small),
        "small starts: no hidden unit in a flat tail",
    )
    steep = min(x.diagnosis.sigma_prime_mean for x in small_precise)
    check(steep > STEEP, "small starts: σ′ near its maximum 0.25")
    check(
        all(x.diagnosis.all_in_tails == 0 for x in stuck if x.width >= 2),
        "no stuck network of width ≥ 2 has all its units in flat tails",
    )
    w1 = max(x.diagnosis.largest_w1_median for x in small_precise)
    check(w1 < 0.2, "small starts: the input weights have collapsed towards 0")
    grad = max(x.diagnosis.gradient_norm_median for x in small_precise if x.optimiser != "adam")
    check(grad < 1e-3, "small starts, GD and momentum: the gradient has all but vanished")
    check(any(x.diagnosis.in_a_tail > 0 for x in stuck), "some stuck runs do have a saturated unit")
    saturated = [
        Share.of(x.diagnosis.in_a_tail, x.diagnosis.networks)
        for x in stuck
        if x.diagnosis.networks >= HUNDREDS
    ]
    check(all(below(x, MOST) for x in saturated), "only a minority, where hundreds are stuck")
    scaled = [x.stuck for x in s.settings if x.init != "small" and x.width >= 2]
    check(
        all(below(x, FEW) for x in scaled), "Xavier/He starts with two or more neurons: few stuck"
    )
    residual = Y - Y.mean()
    check(
        np.sum(residual) == 0 and np.sum(residual * X) == 0,
        "the residual is orthogonal to 1 and to x",
    )
    merged = {
        x: Share.of(x.diagnosis.merged, x.diagnosis.networks) for x in precise if x.width >= 2
    }
    check(all(below(m, MOST) for m in merged.values()), "in no setting have most units merged")
    hundreds = [m for x, m in merged.items() if x.diagnosis.networks >= HUNDREDS]
    check(all(below(m, FEW) for m in hundreds), "where hundreds are stuck, few have merged")
    return Diagnosed(
        sum(x.diagnosis.networks for x in small),
        steep,
        w1,
        grad,
        max(saturated, key=lambda x: x.share),
        max(scaled, key=lambda x: x.count),
        tuple(residual.tolist()),
        max(merged.values(), key=lambda x: x.share),
        max(hundreds, key=lambda x: x.share),
    )
