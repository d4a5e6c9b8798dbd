"""The claims the pages make: true now, and able to fail."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from itertools import combinations_with_replacement
from statistics import NormalDist

import numpy as np
import pytest

from snippets.book import claims, runs, views
from snippets.floor import monotone_floor
from snippets.lesson import LR, START, Y
from snippets.network import Run, gradients
from snippets.optimisers import OPTIMISERS
from snippets.study import findings
from snippets.study.experiment import INITIALISATIONS


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


def with_costs(change) -> callable:
    """The one-neuron run with its cost record changed by ``change(costs)``."""
    original = runs.one_neuron  # the test replaces runs.one_neuron by what this returns

    def run() -> Run:
        real = original()
        costs = real.costs.copy()
        change(costs)
        return real._replace(costs=costs)

    return run


def rising_at_the_end(costs):
    costs[-1] = costs[-2] + 1e-7


def not_slowing(costs):
    ramp = 0.0013 * np.arange(501) / 500  # the third quarter gains less than the fourth
    costs[1000:1501] += ramp
    costs[1501:] += ramp[-1]


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
    ((runs, "one_neuron", with_costs(rising_at_the_end)), "one_neuron_plateau", "still falling"),
    ((runs, "one_neuron", with_costs(not_slowing)), "one_neuron_plateau", "gains less than the"),
    ((runs, "two_neurons", runs.one_neuron), "two_neurons_fit", "below 1e-25"),
    ((runs, "stuck", runs.two_neurons), "stuck_at_mean", "stuck near"),
    ((runs, "one_neuron_long", flat_run), "floor_approach", "a tenth of the gap"),
    ((runs, "stuck_nudged", lambda: (8616, None)), "stuck_at_mean", "escapes too"),
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


# ---- 10-measured.md: every statement about the study, broken in one setting of its domain ----


def label(s) -> str:
    return f"{INITIALISATIONS[s.init].label}, {s.width}, {OPTIMISERS[s.optimiser].label}"


@pytest.mark.parametrize("name", list(findings.RULES))
def test_each_statement_fails_in_every_setting_it_covers(name, study):
    """The statement holds for the real study; breaking any one setting of its domain, and
    only that one, fails it, naming the setting."""
    rule = findings.RULES[name]
    settings = rule.check(study)
    assert settings == rule.domain.settings(study)
    for s in settings:
        broken = findings.broken(study, s, **rule.breaks(study, s))
        with pytest.raises(claims.ClaimFailed, match=re.escape(f"{rule.says} ({label(s)})")):
            rule.check(broken)


@pytest.mark.parametrize("name", list(findings.LONGER_RULES))
def test_each_statement_about_longer_runs_fails_at_every_width_it_covers(name, followed):
    rule = findings.LONGER_RULES[name]
    rule.check(followed)
    for k, f in enumerate(followed):
        if f.width not in rule.widths:
            continue
        broken = [*followed[:k], replace(f, **rule.breaks(f)), *followed[k + 1 :]]
        with pytest.raises(claims.ClaimFailed, match=re.escape(f"(width {f.width})")):
            rule.check(broken)


@pytest.mark.parametrize("name", list(findings.SLOW_RULES))
def test_each_statement_about_slow_descent_fails_at_every_width_it_covers(name, slow):
    rule = findings.SLOW_RULES[name]
    assert [f.width for f in rule.check(slow)] == list(rule.widths)
    for k, f in enumerate(slow):
        broken = [*slow[:k], replace(f, **rule.breaks(f)), *slow[k + 1 :]]
        with pytest.raises(claims.ClaimFailed, match=re.escape(f"(width {f.width})")):
            rule.check(broken)


def test_the_often_list_is_complete(study):
    """ "Nowhere else clearly often": every setting is either listed as often stuck or not
    clearly above one in ten, and the list and the rest cover the study exactly."""
    rest = findings.RULES["nowhere else often"].domain
    listed_keys = set().union(*(d.keys() for _, d in findings.OFTEN_STUCK.values()))
    assert rest.keys() | listed_keys == findings.Domain().keys()
    assert not rest.keys() & listed_keys
    assert rest.words() == "in every other setting"


def test_a_domain_says_what_it_covers():
    d = findings.Domain(("xavier", "he"), (2, 3, 4, 8), ("gd",), min_stuck=30)
    assert d.words() == (
        "from Xavier and He starts, with 2, 3, 4 and 8 hidden neurons, with gradient descent, "
        "in every setting with at least 30 stuck runs"
    )
    assert len(d.keys()) == 8
    assert findings.Domain(widths=(1, 2, 3)).widths_words() == "with 1 to 3 hidden neurons"


def test_the_page_texts_check_their_own_extra_facts(monkeypatch, study):
    one = [s for s in study.settings if s.width == 1]
    below_floor = replace(one[0], final_costs=(0.08, *one[0].final_costs[1:]))
    with pytest.raises(claims.ClaimFailed, match="above the floor"):
        findings.counts_text(findings.broken(study, one[0], final_costs=below_floor.final_costs))
    no_saturation = study
    for s in study.settings:
        if s.diagnosis and s.diagnosis.in_a_tail:
            no_saturation = findings.broken(no_saturation, s, **findings.diagnosed(s, in_a_tail=0))
    with pytest.raises(claims.ClaimFailed, match="some stuck runs do have a saturated unit"):
        findings.diagnosis_text(no_saturation)
    monkeypatch.setattr(findings, "Y", np.array([0.0, 1.0, 1.0, 1.0]))
    with pytest.raises(claims.ClaimFailed, match="mean 0, uncorrelated with x"):
        findings.valley_text()


def test_the_comparisons_are_counted_and_capped(monkeypatch, study, followed):
    note = findings.comparisons_note(study, followed)
    made = int(re.search(r"compare (\d+) intervals", note)[1])
    assert 100 < made <= findings.COMPARISONS
    monkeypatch.setattr(findings, "COMPARISONS", made - 1)
    with pytest.raises(claims.ClaimFailed, match="comparisons of intervals"):
        findings.comparisons_note(study, followed)


def test_the_familywise_interval_is_the_bonferroni_one():
    z = NormalDist().inv_cdf(1 - 0.05 / (2 * findings.COMPARISONS))
    assert abs(findings.Z_FAMILY - z) < 1e-12


def test_a_fragile_epoch_is_printed_as_one(monkeypatch):
    """The escape epoch is said to hold for these exact weights only when one rounding step
    of the start moves it; when it does not, the page says so instead."""
    s = claims.stuck_at_mean()
    assert views.escape_words().startswith(f"epoch {s.escape_epoch:,} (")
    firm = s._replace(nudged=(s.escape_epoch, s.escape_epoch))
    monkeypatch.setattr(claims, "stuck_at_mean", lambda: firm)
    assert "the same epoch with any one starting weight moved" in views.escape_words()
    fragile = s._replace(nudged=(s.escape_epoch - 3, s.escape_epoch + 2))
    monkeypatch.setattr(claims, "stuck_at_mean", lambda: fragile)
    words = views.escape_words()
    assert "for these exact starting weights" in words
    assert f"{s.escape_epoch - 3:,} to {s.escape_epoch + 2:,}" in words
