"""The claims the pages make: true now, and able to fail."""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations_with_replacement

import numpy as np
import pytest

from snippets import claims
from snippets.floor import monotone_floor
from snippets.lesson import Y


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
    assert 1 / 12 < plateau.run.losses[-1] < plateau.run.losses[0]
    assert claims.two_neurons_fit().losses[-1] < 1e-25
    stuck = claims.stuck_at_mean()
    assert abs(stuck.run.losses[-1] - 0.125) < 1e-3
    assert stuck.escape_epoch > stuck.run.epochs
    assert claims.one_step().after < claims.one_step().before
    assert claims.gradient_check().worst < 1e-9


@pytest.mark.parametrize(
    ("run", "substitute", "claim", "message"),
    [
        ("two_neurons", "one_neuron", "two_neurons_fit", "below 1e-25"),  # a run that cannot fit
        ("stuck", "two_neurons", "stuck_at_mean", "stuck near"),  # a run that is not stuck
    ],
)
def test_a_claim_that_stops_being_true_fails(monkeypatch, run, substitute, claim, message):
    """Swap a real run for another one: the claim about it must fail the build."""
    monkeypatch.setattr(claims.runs, run, getattr(claims.runs, substitute))
    check = getattr(claims, claim)
    check.cache_clear()
    try:
        with pytest.raises(claims.ClaimFailed, match=message):
            check()
    finally:
        check.cache_clear()


def test_monotone_detector():
    assert claims.is_monotone(np.array([0.0, 0.5, 0.5, 2.0]))
    assert claims.is_monotone(np.array([3.0, 1.0, 0.0]))
    assert not claims.is_monotone(np.array([0.0, 1.0, 0.0]))
