"""The study's experiment: the trainer against the one-network code, the Wilson interval, the
starts, the classes and the study itself.

Small batches and short studies only: the whole file runs in seconds.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from snippets.lesson import BUMP_START, EPOCHS, LR, START, STUCK_SEED, X, Y, small_random_start
from snippets.linear import mean_prediction_loss
from snippets.network import Params, cost, gradients, to_vector, train
from snippets.optimisers import OPTIMISERS
from snippets.outcomes import STUCK_WITHIN, WINDOW, classify
from snippets.study import experiment as study
from snippets.study.stats import Z95, wilson
from snippets.study.trainer import Batch, evaluate, train_batch


def largest_difference(a: Params, b: Params) -> float:
    return float(np.max(np.abs(to_vector(a) - to_vector(b))))


def some_starts(width: int, count: int, seed: int = 0) -> list[Params]:
    """Small random starts and jittered copies of a hand-made fit: some get stuck, some fit."""
    rng = np.random.default_rng(seed)
    out = [small_random_start(int(s), width) for s in rng.integers(0, 10**6, size=count // 2)]
    if width == 2:
        for _ in range(count - len(out)):
            p = BUMP_START
            out.append(Params(*(np.add(v, rng.normal(0, 0.3, np.shape(v))) for v in p)))
    else:
        more = study.starts("xavier", width, count - len(out))
        out += [more.network(i) for i in range(more.size)]
    return out


# ---------------------------------------------------------------------------- (1), (2) GD
# Runs that leave the mean-prediction plateau inside the budget amplify a difference in the
# last bit into 0.2 of loss, so only an operation-for-operation copy of network.py passes these.


@pytest.mark.parametrize(
    "start",
    [
        START,
        small_random_start(1, width=1),
        BUMP_START,
        small_random_start(STUCK_SEED, width=2),  # 09-starts.md's stuck network
        small_random_start(0, width=2),  # leaves its plateau inside the budget
        small_random_start(3, width=3),
        small_random_start(6, width=3),
        small_random_start(7, width=8),  # ŷ sums eight terms
    ],
    ids=lambda p: f"width{p.width}",
)
def test_a_batch_of_one_is_network_train(start: Params) -> None:
    ref = train(start, X, Y, LR, EPOCHS)
    run = train_batch(Batch.stack([start]), X, Y, "gd", EPOCHS, record_costs=True)
    assert run.costs is not None
    assert np.array_equal(run.costs[0], ref.costs)  # to the last bit
    assert np.array_equal(run.final.weights[:, 0], to_vector(ref.final))
    assert run.final_cost[0] == ref.costs[-1]
    assert np.array_equal(run.recent[0], ref.costs[-WINDOW:])


@pytest.mark.parametrize("width", [2, 4])
def test_a_batch_of_many_is_each_trained_alone(width: int) -> None:
    starts = some_starts(width, 12, seed=width)
    run = train_batch(Batch.stack(starts), X, Y, "gd", EPOCHS, record_costs=True)
    assert run.costs is not None
    for i, p in enumerate(starts):
        ref = train(p, X, Y, LR, EPOCHS)
        assert np.array_equal(run.costs[i], ref.costs), i
        assert np.array_equal(run.final.network(i).w1, ref.final.w1), i
        assert largest_difference(run.final.network(i), ref.final) == 0, i


def test_evaluate_is_network_gradients() -> None:
    starts = [BUMP_START, small_random_start(4, 2), small_random_start(5, 2)]
    e = evaluate(Batch.stack(starts), X, Y)
    for i, p in enumerate(starts):
        assert np.array_equal(e.gradients.weights[:, i], to_vector(gradients(p, X, Y)))
        assert e.cost[i] == cost(p, X, Y)


# ---------------------------------------------------------------------------- (3) momentum, Adam


# Each optimiser's update rule as a textbook writes it, one weight array at a time: the test's
# independent reference for each entry of the registry (a new optimiser brings its own).
def textbook_gd(opt, w, g, memory, t):
    return w - opt.lr * g


def textbook_momentum(opt, w, g, memory, t):
    memory["v"] = opt.beta1 * memory.get("v", 0 * w) + g
    return w - opt.lr * memory["v"]


def textbook_adam(opt, w, g, memory, t):
    memory["m"] = opt.beta1 * memory.get("m", 0 * w) + (1 - opt.beta1) * g
    memory["v"] = opt.beta2 * memory.get("v", 0 * w) + (1 - opt.beta2) * (g * g)
    m_hat = memory["m"] / (1 - opt.beta1**t)
    v_hat = memory["v"] / (1 - opt.beta2**t)
    return w - opt.lr * (m_hat / (np.sqrt(v_hat) + opt.eps))


TEXTBOOK = {"gd": textbook_gd, "momentum": textbook_momentum, "adam": textbook_adam}


def test_every_optimiser_has_a_textbook_reference() -> None:
    assert TEXTBOOK.keys() == OPTIMISERS.keys()


def test_an_unknown_optimiser_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown optimiser 'sgd'"):
        train_batch(Batch.stack([START]), X, Y, "sgd", 10)


def reference(p: Params, name: str, epochs: int) -> tuple[np.ndarray, Params]:
    """One network, one weight array at a time, straight from the textbook update rules."""
    opt, rule = OPTIMISERS[name], TEXTBOOK[name]
    w = [p.w1.copy(), p.b1.copy(), p.w2.copy(), float(p.b2)]
    memories: list[dict] = [{} for _ in w]
    costs = []
    for t in range(1, epochs + 1):
        current = Params(w[0], w[1], w[2], w[3])
        costs.append(cost(current, X, Y))
        g = gradients(current, X, Y)
        w = [rule(opt, w[k], g[k], memories[k], t) for k in range(4)]
    final = Params(w[0], w[1], w[2], w[3])
    costs.append(cost(final, X, Y))
    return np.array(costs), final


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_every_optimiser_matches_its_textbook_rule(name: str) -> None:
    epochs = 600
    for width, starts in [
        (1, [START]),
        (2, [BUMP_START, small_random_start(2, 2)]),
        (3, [small_random_start(7, 3)]),
    ]:
        run = train_batch(Batch.stack(starts), X, Y, name, epochs, record_costs=True)
        assert run.costs is not None
        for i, p in enumerate(starts):
            costs, final = reference(p, name, epochs)
            assert np.max(np.abs(run.costs[i] - costs)) <= 1e-12, (width, i)
            assert largest_difference(run.final.network(i), final) <= 1e-12, (width, i)


def test_a_batch_of_several_optimisers_trains_each_network_as_alone() -> None:
    """Networks of different optimisers in one batch (some side by side, one on its own) share
    the passes and each ends with the bits, costs and checkpoints it has when trained alone."""
    names = ["momentum", "momentum", "gd", "adam", "adam", "gd", "momentum"]
    starts = [small_random_start(seed, 2) for seed in range(len(names))]
    run = train_batch(Batch.stack(starts), X, Y, names, 300, record_costs=True, checkpoints=(200,))
    assert [o.name for o in run.optimisers] == ["momentum", "gd", "adam", "gd", "momentum"]
    for i, (start, name) in enumerate(zip(starts, names)):
        alone = train_batch(Batch.stack([start]), X, Y, name, 300, record_costs=True)
        assert run.costs[i].tolist() == alone.costs[0].tolist()
        assert run.final.weights[:, i].tolist() == alone.final.weights[:, 0].tolist()
        at = train_batch(Batch.stack([start]), X, Y, name, 200).final.weights[:, 0]
        assert run.at[200][1].weights[:, i].tolist() == at.tolist()
    with pytest.raises(ValueError, match="6 optimisers for 7 networks"):
        train_batch(Batch.stack(starts), X, Y, names[1:], 10)


def test_the_optimisers_differ() -> None:
    """The three optimisers really are three: from one start they end in three places."""
    finals = [train_batch(Batch.stack([BUMP_START]), X, Y, o, 50).final_cost[0] for o in OPTIMISERS]
    assert len(set(finals)) == 3


# ---------------------------------------------------------------------------- (4) classes


def test_classes_are_decided_over_the_last_window() -> None:
    assert mean_prediction_loss(Y) == 0.125
    steady = np.full(WINDOW, 0.125)
    passing = np.linspace(0.2, 0.1, WINDOW)  # passes through the band near its end
    passing[-1] = 0.125
    fitted = np.full(WINDOW, 1e-6)
    bounced = fitted.copy()
    bounced[WINDOW // 2] = 0.002  # a fit that left the band for one epoch
    edge = np.full(WINDOW, 0.125 + STUCK_WITHIN)  # the band is open: its edge is outside
    rows = np.array([steady, passing, fitted, bounced, edge, np.full(WINDOW, 0.09)])
    assert classify(rows, Y).tolist() == ["stuck", "other", "fits", "other", "other", "other"]


def test_a_run_that_only_passes_the_plateau_is_not_stuck() -> None:
    """A real run, stopped at an epoch where it is inside the band but was not a while ago."""
    start = small_random_start(0, width=2)  # sits at the plateau, then leaves it
    ref = train(start, X, Y, LR, EPOCHS)
    near = np.abs(ref.costs - 0.125) < STUCK_WITHIN
    passing = [
        e for e in range(WINDOW, EPOCHS + 1) if near[e] and not near[e - WINDOW + 1 : e + 1].all()
    ]
    assert passing, "this start should leave the plateau within the budget"
    run = train_batch(Batch.stack([start]), X, Y, "gd", passing[0])
    assert abs(run.final_cost[0] - 0.125) < STUCK_WITHIN  # a snapshot would call it stuck
    assert classify(run.recent, Y).tolist() == ["other"]
    settled = train_batch(Batch.stack([start]), X, Y, "gd", WINDOW + 10)  # on the plateau
    assert classify(settled.recent, Y).tolist() == ["stuck"]


# ---------------------------------------------------------------------------- (5) Wilson


Z = NormalDist().inv_cdf(0.975)  # 1.959963984540054


def wilson_by_quadratic(k: int, n: int) -> tuple[float, float]:
    """The p with |p̂ − p| = z·√(p(1 − p)/n): roots of (1 + z²/n)p² − (2p̂ + z²/n)p + p̂² = 0."""
    p, c = k / n, Z**2 / n
    a, b = 1 + c, -(2 * p + c)
    disc = math.sqrt(b * b - 4 * a * p * p)
    return (-b - disc) / (2 * a), (-b + disc) / (2 * a)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (5, 10, 0.2366, 0.7634),
        (81, 263, 0.2553, 0.3662),
        (1, 1000, 0.0002, 0.0056),
        (500, 1000, 0.4691, 0.5309),
    ],
)
def test_wilson(k: int, n: int, low: float, high: float) -> None:
    assert abs(Z95 - Z) <= 1e-15
    got = wilson(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)
    assert got == pytest.approx(wilson_by_quadratic(k, n), abs=1e-12)
    assert 0 <= got[0] <= k / n <= got[1] <= 1


def test_wilson_rejects_nonsense() -> None:
    for k, n in [(-1, 10), (11, 10), (0, 0)]:
        with pytest.raises(ValueError):
            wilson(k, n)


# ---------------------------------------------------------------------------- (6) the study


def test_small_starts_are_the_lessons() -> None:
    for seed, width in [([0], 1), ([0], 2), ([5, 1], 3), ([9, 2, 8], 8)]:
        assert (
            largest_difference(study.draw("small", width, seed), small_random_start(seed, width))
            == 0
        )


@pytest.mark.parametrize(("init", "var1", "var2"), [("xavier", 2 / 5, 2 / 5), ("he", 2.0, 2 / 4)])
def test_initialisation_scales(init: str, var1: float, var2: float) -> None:
    b = study.starts(init, 4, 2000)  # width 4: fan-in + fan-out is 5 for both layers
    assert np.std(b.w1) == pytest.approx(math.sqrt(var1), rel=0.05)
    assert np.std(b.w2) == pytest.approx(math.sqrt(var2), rel=0.05)
    assert not b.b1.any() and not b.b2.any()
    assert abs(np.corrcoef(b.w1[0], b.w1[1])[0, 1]) < 0.1


def test_starts_are_seeded_per_start() -> None:
    ten, five = study.starts("he", 3, 10), study.starts("he", 3, 5)
    assert np.array_equal(ten.weights[:, :5], five.weights)
    assert not np.array_equal(study.starts("he", 2, 5).w1, study.starts("xavier", 2, 5).w1)


TINY = {"starts": 40, "epochs": 400, "widths": (1, 2), "optimisers": ("gd", "adam")}


def test_the_study_is_deterministic() -> None:
    a = study.run_study(**TINY, workers=1)
    b = study.run_study(**TINY, workers=2)  # shared with helper processes
    assert a == b
    assert len(a.settings) == 3 * 2 * 2
    more = study.run_study(**{**TINY, "widths": (2,)}, inits=("he", "small"), workers=1)
    assert more.setting("small", 2, "adam") == a.setting("small", 2, "adam")
    for s in a.settings:
        assert s.fits.count + s.stuck.count + s.other.count == s.starts == 40
        assert s.fits.low <= s.fits.share <= s.fits.high
        assert (s.diagnosis is None) == (s.stuck.count == 0)
    # small starts of width 1 under GD: many sit at the mean prediction after 400 epochs
    stuck = a.setting("small", 1, "gd")
    assert stuck.stuck.count > 10
    assert stuck.diagnosis is not None and stuck.diagnosis.sigma_prime_mean > 0.2
