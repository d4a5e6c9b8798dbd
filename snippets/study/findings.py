"""What 10-measured.md says about the study, each statement checked against the data.

Like :mod:`snippets.book.claims`, each function raises ``ClaimFailed`` (failing the build) if
a sentence on the page has stopped being true, and returns the numbers the page quotes. They
take the study as an argument (the page's by default), so that the tests can hand them studies
for which a sentence is false.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

import numpy as np

from snippets.book.claims import check
from snippets.lesson import X, Y
from snippets.study.experiment import INITIALISATIONS, Share, Study
from snippets.study.measured import results

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


class Counts(NamedTuple):
    width_one_runs: int  # runs at width 1, over every init and optimiser
    width_one_fits: int  # of which fitted
    gd_fits: int  # fitted runs with plain gradient descent in 2000 epochs, everywhere
    small_stuck_by_width: tuple[Share, ...]  # GD from small starts, widths in order
    stuck_gd_width2: dict[str, Share]  # init → stuck, GD, width 2
    momentum_vs_gd_small: tuple[tuple[Share, Share], ...]  # (momentum, GD) stuck, widths 1, 2
    adam_best_fit: Share  # Adam's best fit share at width 2, over the starts


def counts(s: Study | None = None) -> Counts:
    """What 10-measured.md says about the study's table, each checked against intervals."""
    s = s or results()
    width_one_fits = sum(x.fits.count for x in s.settings if x.width == 1)
    check(width_one_fits == 0, "no 1-neuron network fits, whatever the start or optimiser")
    gd_fits = sum(x.fits.count for x in s.settings if x.optimiser == "gd")
    check(gd_fits == 0, "plain gradient descent fits none within the 2000-epoch budget")
    widths = sorted({x.width for x in s.settings})
    stuck = tuple(s.setting("small", w, "gd").stuck for w in widths)
    check(all(above(x, OFTEN) for x in stuck[:2]), "small starts often get stuck (1, 2 neurons)")
    check(all(clearly_more(a, b) for a, b in pairwise(stuck)), "wider: stuck less (small, GD)")
    width2 = {i: s.setting(i, 2, "gd").stuck for i in INITIALISATIONS}
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
        for i in INITIALISATIONS:
            more = clearly_more(s.setting(i, widths[-1], opt).fits, s.setting(i, 2, opt).fits)
            check(more, f"{opt}, {i}: more fit with {widths[-1]} neurons than with 2")
    adam = max((s.setting(i, 2, "adam").fits for i in INITIALISATIONS), key=lambda x: x.share)
    check(above(adam, MOST), "Adam fits most width-2 runs from some start")
    width_one_runs = sum(x.starts for x in s.settings if x.width == 1)
    return Counts(width_one_runs, width_one_fits, gd_fits, stuck, width2, pairs, adam)


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


def diagnosis(s: Study | None = None) -> Diagnosed:
    """10-measured.md: what stuck networks look like, against the flat-tail explanation."""
    s = s or results()
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
