"""Page 09's tables: the study of snippets.study as Markdown, with Wilson intervals.

>>> pct(0.397), interval(Share.of(397, 1000))
('39.7 %', '39.7 % (36.7–42.8)')
"""

from __future__ import annotations

from snippets.batch import FIT_BELOW, OPTIMISERS, STUCK_WITHIN, WINDOW, mean_prediction_loss
from snippets.lesson import SMALL_RANDOM_SCALE, Y
from snippets.render import num, sci, table
from snippets.study import INITS, WIDTHS, Share, Study
from snippets.study import OPTIMISERS as USED

NAMES = {
    "small": "small (σ = 0.1)",
    "xavier": "Xavier",
    "he": "He",
    "gd": "gradient descent",
    "momentum": "momentum",
    "adam": "Adam",
}


def pct(share: float) -> str:
    return f"{num(100 * share, 1)} %"


def interval(s: Share) -> str:
    """A share with its 95 % Wilson interval: 39.7 % (36.7–42.8)."""
    return f"{pct(s.share)} ({num(100 * s.low, 1)}–{num(100 * s.high, 1)})"


def results_table(study: Study, optimiser: str) -> str:
    """One optimiser: every initialisation and width, with the three outcomes."""
    rows = [
        [NAMES[s.init], str(s.width), interval(s.fits), interval(s.stuck), interval(s.other)]
        for s in study.settings
        if s.optimiser == optimiser
    ]
    return table(["start", "width", "fits", "stuck", "other"], rows)


def diagnosis_table(study: Study, at_least: int) -> str:
    """The stuck networks of every setting with at least ``at_least`` of them."""
    rows = []
    for s in study.settings:
        d = s.diagnosis
        if d is None or d.networks < at_least:
            continue
        rows.append(
            [
                f"{NAMES[s.init]}, {s.width}, {NAMES[s.optimiser]}",
                str(d.networks),
                num(d.sigma_prime_mean, 3),
                pct(d.in_a_tail / d.networks),
                num(d.largest_w1_median, 3),
                sci(d.gradient_norm_median),
                num(d.w2_median, 2),
            ]
        )
    headers = [
        "setting",
        "stuck",
        "mean σ′",
        "with a unit in a flat tail",
        "largest ∣w₁∣ (median)",
        "gradient length (median)",
        "w₂ (median)",
    ]
    return table(headers, rows)


def design(study: Study) -> str:
    """The study's set-up, read from the constants that ran it."""
    gd, momentum, adam = (OPTIMISERS[o] for o in USED)
    settings = len(INITS) * len(WIDTHS) * len(USED)
    return f"""Every setting gets the same {study.starts:,} seeded starts, trained for
{study.epochs:,} epochs (the lesson's budget) on the lesson's data: {settings} settings,
{settings * study.starts:,} training runs in all.

- **starts** (initialisations): *small*, every weight and bias drawn from a normal distribution
  with standard deviation {SMALL_RANDOM_SCALE:g}, like the stuck run of section 08; *Xavier*
  (Glorot), weights with variance 2 / (fan-in + fan-out) and biases 0; *He*, weights with
  variance 2 / fan-in and biases 0;
- **hidden neurons**: {", ".join(map(str, WIDTHS[:-1]))} and {WIDTHS[-1]};
- **optimisers**: plain gradient descent with η = {gd.lr:g}, as everywhere on this site;
  momentum (β = {momentum.beta1:g}) with η = {momentum.lr:g}, so that its long-run step
  η / (1 − β) = {momentum.lr / (1 - momentum.beta1):g} matches plain descent; and Adam with
  η = {adam.lr:g}. All three train the very same starts.

Each run ends in one of three classes, decided by its mean loss over its last {WINDOW} epochs:
it **fits** if the loss stayed below {FIT_BELOW:g} throughout; it is **stuck** if the loss stayed
within {STUCK_WITHIN:g} of {num(mean_prediction_loss(Y), 3)}, the loss of predicting the mean
everywhere, throughout; otherwise it is **other** (still moving, or settled somewhere else).
Each share comes with its 95 % Wilson interval. He initialisation was derived for ReLU units,
not sigmoids; it is here because it is a common default."""
