"""The claims the pages make: true now, and able to fail."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from itertools import combinations_with_replacement

import numpy as np
import pytest

from snippets.book import claims, runs
from snippets.floor import monotone_floor
from snippets.lesson import LR, START, Y
from snippets.network import Run, gradients
from snippets.study import findings
from snippets.study.experiment import Share, Study
from snippets.study.measured import results


def test_floor_is_one_twelfth_exactly():
    fit, best = monotone_floor([Fraction(int(v)) for v in Y])
    assert best == Fraction(1, 12)
    assert fit == [0, Fraction(2, 3), Fraction(2, 3), Fraction(2, 3)]


def monotone_sequences(top: int):
    """Every rising and every falling sequence of four integers from 0 to ``top``."""
    for seq in combinations_with_replacement(range(top + 1), 4):
        yield seq
        yield seq[::-1]


def brute_force_floor(targets: list[int], q: int) -> Fraction:
    """Least mean ½(f − t)² over monotone f on the grid 0, 1/q, …, max(t) (exact integers)."""
    scaled = [t * q for t in targets]
    best = min(
        sum((f - t) ** 2 for f, t in zip(seq, scaled)) for seq in monotone_sequences(max(scaled))
    )
    return Fraction(best, 2 * len(targets) * q**2)


def test_no_monotone_grid_sequence_beats_the_floor():
    """Brute force over a fine grid (it contains 2/3): nothing monotone goes below 1/12."""
    assert brute_force_floor([int(v) for v in Y], 30) == Fraction(1, 12)


@pytest.mark.parametrize("seed", range(10))
def test_isotonic_against_brute_force(seed):
    """Integer data: the optimal values are means of ≤ 4 integers, so they lie on the 1/12 grid."""
    y = [int(v) for v in np.random.default_rng(seed).integers(0, 4, size=4)]
    assert monotone_floor([Fraction(v) for v in y])[1] == brute_force_floor(y, 12)


def test_every_claim_holds():
    plateau = claims.one_neuron_plateau()
    assert plateau.floor == pytest.approx(1 / 12)
    assert 1 / 12 < plateau.run.costs[-1] < plateau.run.costs[0]
    assert claims.two_neurons_fit().costs[-1] < 1e-25
    stuck = claims.stuck_at_mean()
    assert abs(stuck.run.costs[-1] - 0.125) < 1e-3
    assert stuck.escape_epoch > stuck.run.epochs
    assert claims.one_step().after < claims.one_step().before
    assert claims.gradient_check().worst < 1e-9


def doubled(p, x, y):
    """Gradients twice as large as they are: a backprop with a bug."""
    return type(gradients(p, x, y))(*(2 * np.asarray(g) for g in gradients(p, x, y)))


def flat_run() -> Run:
    """A long run whose loss never moves: it does not approach any floor."""
    return Run(START, START, np.full(runs.CHECKPOINTS[-1] + 1, 0.09), LR)


# (what to change: (object, attribute, new value), the claim, the sentence that must fail)
FALSIFIED = [
    ((claims, "Y", np.array([0.0, 1.0, 2.0, 3.0])), "best_line_flat", "best line is flat"),
    ((claims, "gradients", doubled), "gradient_check", "matches finite differences"),
    ((claims, "LR", -0.5), "one_step", "lowers the loss"),
    ((claims, "Y", np.ones(4)), "one_step", "by a little"),  # every target far above ŷ
    ((runs, "one_neuron", runs.two_neurons), "one_neuron_plateau", "above 1/12"),
    ((runs, "two_neurons", runs.one_neuron), "two_neurons_fit", "below 1e-25"),
    ((runs, "stuck", runs.two_neurons), "stuck_at_mean", "stuck near"),
    ((runs, "one_neuron_long", flat_run), "floor_approach", "a tenth of the gap"),
]


@pytest.mark.parametrize(("change", "claim", "sentence"), FALSIFIED, ids=lambda v: str(v)[:20])
def test_a_claim_that_stops_being_true_fails(monkeypatch, change, claim, sentence):
    """Give a claim data for which its sentence is false: it must fail the build."""
    monkeypatch.setattr(*change)
    check = getattr(claims, claim)
    check.cache_clear()
    try:
        with pytest.raises(claims.ClaimFailed, match=sentence):
            check()
    finally:
        check.cache_clear()


# ---- 10-measured.md: the study's statements, each fed a study for which it is false ----


def setting(study: Study, init: str, width: int, optimiser: str, **fields) -> Study:
    """``study`` with one setting's fields replaced."""
    key = (init, width, optimiser)
    return replace(
        study,
        settings=tuple(
            replace(s, **fields) if (s.init, s.width, s.optimiser) == key else s
            for s in study.settings
        ),
    )


def diagnosis(study: Study, init: str, width: int, optimiser: str, **fields) -> Study:
    """``study`` with fields of one setting's diagnosis replaced."""
    d = study.setting(init, width, optimiser).diagnosis
    return setting(study, init, width, optimiser, diagnosis=replace(d, **fields))


def no_tails(study: Study) -> Study:
    for s in study.settings:
        if s.diagnosis is not None:
            study = diagnosis(study, s.init, s.width, s.optimiser, in_a_tail=0, all_in_tails=0)
    return study


def each_width2(study: Study, optimiser: str, **fields) -> Study:
    for init in ("small", "xavier", "he"):
        study = setting(study, init, 2, optimiser, **fields)
    return study


def of(count: int, n: int = 1000) -> Share:
    return Share.of(count, n)


FINDINGS = [
    (lambda s: setting(s, "he", 1, "adam", fits=of(3)), "no 1-neuron network fits"),
    (lambda s: setting(s, "he", 4, "gd", fits=of(1)), "gradient descent fits none"),
    (lambda s: setting(s, "small", 2, "gd", stuck=of(110)), "often get stuck"),
    (lambda s: setting(s, "small", 4, "gd", stuck=of(200)), "wider: stuck less"),
    (lambda s: setting(s, "xavier", 2, "gd", stuck=of(350)), "Xavier and He starts"),
    (lambda s: setting(s, "small", 1, "momentum", stuck=of(720)), "stuck MORE often"),
    (lambda s: setting(s, "small", 2, "momentum", fits=of(0)), "fits some of them"),
    (lambda s: setting(s, "he", 8, "adam", fits=of(500)), "adam, he: more fit with 8"),
    (lambda s: each_width2(s, "adam", fits=of(530)), "Adam fits most"),
]

DIAGNOSES = [
    (lambda s: diagnosis(s, "small", 3, "gd", in_a_tail=1), "no hidden unit in a flat tail"),
    (lambda s: diagnosis(s, "small", 2, "gd", sigma_prime_mean=0.19), "near its maximum"),
    (lambda s: diagnosis(s, "he", 2, "adam", all_in_tails=1), "all its units in flat tails"),
    (lambda s: diagnosis(s, "small", 2, "gd", largest_w1_median=0.3), "collapsed towards 0"),
    (lambda s: diagnosis(s, "small", 2, "gd", gradient_norm_median=0.01), "all but vanished"),
    (no_tails, "some stuck runs do have a saturated unit"),
    (lambda s: diagnosis(s, "he", 1, "gd", in_a_tail=130), "only a minority"),
    (lambda s: setting(s, "xavier", 2, "adam", stuck=of(100)), "few stuck"),
    (lambda s: diagnosis(s, "xavier", 2, "adam", merged=30), "most units merged"),
    (lambda s: diagnosis(s, "small", 2, "gd", merged=60), "hundreds are stuck, few have merged"),
]


STATEMENTS = [(findings.counts, *f) for f in FINDINGS]
STATEMENTS += [(findings.diagnosis, *d) for d in DIAGNOSES]


@pytest.mark.parametrize(
    ("claim", "falsify", "sentence"), STATEMENTS, ids=[s[2] for s in STATEMENTS]
)
def test_each_statement_about_the_study_fails_when_false(claim, falsify, sentence):
    study = results()
    claim(study)  # true of the real study
    with pytest.raises(claims.ClaimFailed, match=sentence):
        claim(falsify(study))


def test_the_residual_claim_fails_for_other_data(monkeypatch):
    monkeypatch.setattr(findings, "Y", np.array([0.0, 1.0, 1.0, 1.0]))
    with pytest.raises(claims.ClaimFailed, match="orthogonal"):
        findings.diagnosis(results())


def test_monotone_detector():
    assert claims.is_monotone(np.array([0.0, 0.5, 0.5, 2.0]))
    assert claims.is_monotone(np.array([3.0, 1.0, 0.0]))
    assert not claims.is_monotone(np.array([0.0, 1.0, 0.0]))
