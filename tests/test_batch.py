"""The batch trainer against the one-network code, the Wilson interval, and the study's runs.

Small batches and short studies only: the whole file runs in seconds.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest

from snippets import claims, study
from snippets.batch import (
    FIT_BELOW,
    FREEZE_BELOW,
    OPTIMISERS,
    STUCK_WITHIN,
    Batch,
    classify,
    evaluate,
    mean_prediction_loss,
    train_batch,
)
from snippets.lesson import BUMP_START, EPOCHS, LR, START, STUCK_SEED, X, Y, small_random_start
from snippets.network import Params, gradients, mean_loss, train
from snippets.stats import Z95, wilson

ROOT = Path(__file__).resolve().parent.parent


def largest_difference(a: Params, b: Params) -> float:
    return max(float(np.max(np.abs(np.subtract(u, v)))) for u, v in zip(a, b))


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
# Runs that leave the mean-prediction plateau inside the budget (seed 3 of width 2, for one)
# amplify a difference in the last bit into 0.2 of loss, so only an operation-for-operation
# copy of network.py passes these; for the others any sound implementation would.


@pytest.mark.parametrize(
    "start",
    [
        START,
        small_random_start(1, width=1),
        BUMP_START,
        small_random_start(STUCK_SEED, width=2),  # page 08's stuck network
        small_random_start(3, width=2),  # escapes its plateau near epoch 1150
        small_random_start(3, width=3),
        small_random_start(6, width=3),
    ],
    ids=lambda p: f"width{p.width}",
)
def test_a_batch_of_one_is_network_train(start: Params) -> None:
    ref = train(start, X, Y, LR, EPOCHS)
    run = train_batch(Batch.stack([start]), X, Y, "gd", EPOCHS, skip=False, record_losses=True)
    assert run.losses is not None
    assert np.max(np.abs(run.losses[0] - ref.losses)) <= 1e-12
    assert largest_difference(run.final.network(0), ref.final) <= 1e-12
    assert run.final_loss[0] == run.losses[0, -1]
    assert int(run.epochs_run[0]) == EPOCHS


@pytest.mark.parametrize("width", [2, 4])
def test_a_batch_of_many_is_each_trained_alone(width: int) -> None:
    starts = some_starts(width, 12, seed=width)
    run = train_batch(Batch.stack(starts), X, Y, "gd", EPOCHS, skip=False, record_losses=True)
    assert run.losses is not None
    for i, p in enumerate(starts):
        ref = train(p, X, Y, LR, EPOCHS)
        assert np.max(np.abs(run.losses[i] - ref.losses)) <= 1e-12, i
        assert largest_difference(run.final.network(i), ref.final) <= 1e-12, i


def test_evaluate_is_network_gradients() -> None:
    starts = [BUMP_START, small_random_start(4, 2), small_random_start(5, 2)]
    e = evaluate(Batch.stack(starts), X, Y)
    for i, p in enumerate(starts):
        g = gradients(p, X, Y)
        assert np.array_equal(e.gradients.w1[i], g.dL_dw1)
        assert np.array_equal(e.gradients.b1[i], g.dL_db1)
        assert np.array_equal(e.gradients.w2[i], g.dL_dw2)
        assert e.gradients.b2[i] == g.dL_db2
        assert e.loss[i] == mean_loss(p, X, Y)


# ---------------------------------------------------------------------------- (3) momentum, Adam


def reference(p: Params, name: str, epochs: int) -> tuple[np.ndarray, Params]:
    """One network, one weight at a time, straight from the textbook update rules."""
    opt = OPTIMISERS[name]
    w = [p.w1.copy(), p.b1.copy(), p.w2.copy(), float(p.b2)]
    m = [0 * v for v in w]
    v = [0 * u for u in w]
    losses = []
    for t in range(1, epochs + 1):
        current = Params(w[0], w[1], w[2], w[3])
        losses.append(mean_loss(current, X, Y))
        g = gradients(current, X, Y)
        for k in range(4):
            if name == "momentum":
                m[k] = opt.beta1 * m[k] + g[k]
                w[k] = w[k] - opt.lr * m[k]
            else:
                m[k] = opt.beta1 * m[k] + (1 - opt.beta1) * g[k]
                v[k] = opt.beta2 * v[k] + (1 - opt.beta2) * (g[k] * g[k])
                m_hat = m[k] / (1 - opt.beta1**t)
                v_hat = v[k] / (1 - opt.beta2**t)
                w[k] = w[k] - opt.lr * (m_hat / (np.sqrt(v_hat) + opt.eps))
    final = Params(w[0], w[1], w[2], w[3])
    losses.append(mean_loss(final, X, Y))
    return np.array(losses), final


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_momentum_and_adam_match_a_loop_reference(name: str) -> None:
    epochs = 600
    for width, starts in [
        (1, [START]),
        (2, [BUMP_START, small_random_start(2, 2)]),
        (3, [small_random_start(7, 3)]),
    ]:
        run = train_batch(Batch.stack(starts), X, Y, name, epochs, skip=False, record_losses=True)
        assert run.losses is not None
        for i, p in enumerate(starts):
            losses, final = reference(p, name, epochs)
            assert np.max(np.abs(run.losses[i] - losses)) <= 1e-12, (width, i)
            assert largest_difference(run.final.network(i), final) <= 1e-12, (width, i)


def test_the_optimisers_differ() -> None:
    """The three optimisers really are three: from one start they end in three places."""
    finals = [
        train_batch(Batch.stack([BUMP_START]), X, Y, o, 50, skip=False).final_loss[0]
        for o in OPTIMISERS
    ]
    assert len(set(finals)) == 3


# ---------------------------------------------------------------------------- (4) freezing


@pytest.mark.parametrize("name", ["gd", "momentum", "adam"])
def test_freezing_never_changes_the_outcome(name: str) -> None:
    starts = some_starts(2, 200, seed=11) + some_starts(3, 100, seed=12)
    for width in (2, 3):
        group = Batch.stack([p for p in starts if p.width == width])
        full = train_batch(group, X, Y, name, EPOCHS, skip=False, record_losses=True)
        fast = train_batch(group, X, Y, name, EPOCHS, skip=True)
        assert np.array_equal(classify(full.final_loss, Y), classify(fast.final_loss, Y))
        frozen = fast.epochs_run < EPOCHS
        if not OPTIMISERS[name].freeze:
            assert not frozen.any()
            assert np.array_equal(full.final_loss, fast.final_loss)
            continue
        if width == 2:  # the jittered hand-made fits settle within the budget
            assert frozen.sum() >= 50
        assert full.losses is not None
        for i in np.flatnonzero(frozen):
            e = int(fast.epochs_run[i])
            assert fast.final_loss[i] < FREEZE_BELOW
            assert fast.final_loss[i] == full.losses[i, e]  # frozen exactly where it was
            assert np.max(full.losses[i, e:]) < FIT_BELOW  # and training on would not unfit it
        kept = ~frozen
        assert np.array_equal(full.final_loss[kept], fast.final_loss[kept])


def test_classes() -> None:
    assert mean_prediction_loss(Y) == claims.mean_prediction_loss() == 0.125
    assert STUCK_WITHIN == claims.STUCK_WITHIN  # one threshold, shared
    losses = np.array([0.0, 0.000999, 0.001, 0.1241, 0.1259, 0.1240, 0.126, 0.5])
    assert classify(losses, Y).tolist() == [
        "fits",
        "fits",
        "other",
        "stuck",
        "stuck",
        "other",
        "other",
        "other",
    ]


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
    for seed, width in [(0, 1), (0, 2), (5, 3), (9, 8)]:
        drawn = study.draw("small", width, np.random.default_rng(seed))
        lesson = small_random_start(seed, width)
        for u, v in zip(drawn, lesson):
            assert np.array_equal(u, v)


@pytest.mark.parametrize(("init", "var1", "var2"), [("xavier", 2 / 5, 2 / 5), ("he", 2.0, 2 / 4)])
def test_initialisation_scales(init: str, var1: float, var2: float) -> None:
    b = study.starts(init, 4, 2000)  # width 4: fan-in + fan-out is 5 for both layers
    assert np.std(b.w1) == pytest.approx(math.sqrt(var1), rel=0.05)
    assert np.std(b.w2) == pytest.approx(math.sqrt(var2), rel=0.05)
    assert not b.b1.any() and not b.b2.any()
    assert abs(np.corrcoef(b.w1[:, 0], b.w1[:, 1])[0, 1]) < 0.1


def test_starts_are_seeded_per_start() -> None:
    ten, five = study.starts("he", 3, 10), study.starts("he", 3, 5)
    assert np.array_equal(ten.w1[:5], five.w1)
    assert not np.array_equal(study.starts("he", 2, 5).w1, study.starts("xavier", 2, 5).w1)


TINY = {"starts": 40, "epochs": 400, "widths": (1, 2), "optimisers": ("gd", "adam")}


def test_the_study_is_deterministic(tmp_path: Path) -> None:
    a = study.run_study(**TINY, cache=None, workers=1)
    b = study.run_study(**TINY, cache=None, workers=2)  # shared with a helper process
    assert a == b
    assert len(a.settings) == 3 * 2 * 2
    more = study.run_study(**{**TINY, "widths": (2,)}, inits=("he", "small"), cache=None, workers=1)
    assert more.setting("small", 2, "adam") == a.setting("small", 2, "adam")
    for s in a.settings:
        assert s.fits.count + s.stuck.count + s.other.count == s.starts == 40
        assert s.fits.low <= s.fits.share <= s.fits.high
        assert (s.diagnosis is None) == (s.stuck.count == 0)
    # small starts of width 1 under GD: many sit at the mean prediction after 400 epochs
    stuck = a.setting("small", 1, "gd")
    assert stuck.stuck.count > 10
    assert stuck.diagnosis is not None and stuck.diagnosis.sigma_prime_mean > 0.2


def test_the_cache(tmp_path: Path) -> None:
    cold = study.run_study(**TINY, cache=tmp_path, workers=1)
    files = list(tmp_path.glob("*.json"))
    assert [f.name for f in files] == [f"{cold.key}.json"]
    start = time.perf_counter()
    warm = study.run_study(**TINY, cache=tmp_path)
    assert time.perf_counter() - start < 0.1
    assert warm == cold
    assert json.loads(files[0].read_text())["epochs"] == 400
    # other parameters, another file
    assert study.run_study(**{**TINY, "starts": 10}, cache=tmp_path).key != cold.key
    assert len(list(tmp_path.glob("*.json"))) == 2
    # a warm call in a fresh interpreter does not import matplotlib
    code = (
        "import sys, time; from pathlib import Path; from snippets.study import run_study; "
        f"t = time.perf_counter(); run_study(**{TINY!r}, cache=Path({str(tmp_path)!r})); "
        "print(time.perf_counter() - t, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    seconds, imported = out.stdout.split()
    assert float(seconds) < 0.1 and imported == "False"


def test_the_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert study.CACHE_DIR == ROOT / ".cache" / "study"
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    monkeypatch.setattr(study, "SNIPPETS", tmp_path)
    key = study.cache_key(starts=1)
    assert study.cache_key(starts=1) == key != study.cache_key(starts=2)
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    assert study.cache_key(starts=1) != key
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    assert study.cache_key(starts=1) == key
    (tmp_path / "notes.txt").write_text("not code")
    assert study.cache_key(starts=1) == key
