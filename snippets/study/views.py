"""10-measured.md's tables, figure and set-up, printed from the study (the page's by default).

>>> percent(0.397), interval(Share.of(397, 1000))
('39.7 %', '39.7 % (36.7–42.8)')
"""

from __future__ import annotations

from snippets.book.cache import cached
from snippets.book.figures import figure, key, panel, styled
from snippets.book.numbers import num, percent, sci
from snippets.book.views import table
from snippets.lesson import SMALL_RANDOM_SCALE, WIDTHS, Y
from snippets.linear import mean_prediction_loss
from snippets.optimisers import OPTIMISERS
from snippets.outcomes import FIT_BELOW, STUCK_WITHIN, WINDOW
from snippets.study.experiment import INITIALISATIONS, Share, Study
from snippets.study.findings import PRECISE
from snippets.study.measured import results

COLOURS = {"small": "#e4572e", "xavier": "#4f7cff", "he": "#1f9e89"}  # one per initialisation


def interval(s: Share) -> str:
    """A share with its 95 % Wilson interval: 39.7 % (36.7–42.8)."""
    return f"{percent(s.share)} ({num(100 * s.low, 1)}–{num(100 * s.high, 1)})"


def results_table(optimiser: str, study: Study | None = None) -> str:
    """One optimiser: every initialisation and width, with the three outcomes."""
    rows = [
        [
            INITIALISATIONS[s.init].label,
            str(s.width),
            interval(s.fits),
            interval(s.stuck),
            interval(s.other),
        ]
        for s in (study or results()).settings
        if s.optimiser == optimiser
    ]
    return table(["start", "width", "fits", "stuck", "other"], rows)


def results_tables(study: Study | None = None) -> str:
    """Every optimiser's table under its name."""
    return "\n\n".join(
        f"**{o.label.capitalize()}**\n\n{results_table(o.name, study)}" for o in OPTIMISERS.values()
    )


DIAGNOSIS_HEADERS = (
    "setting",
    "stuck",
    r"mean $\sigma'$",
    "with a unit in a flat tail",
    r"largest $\lvert w_1 \rvert$ (median)",
    "gradient length (median)",
    "$w_2$ (median)",
)


def diagnosis_table(study: Study | None = None) -> str:
    """The stuck networks of every setting with at least ``PRECISE`` of them."""
    rows = []
    for s in (study or results()).settings:
        d = s.diagnosis
        if d is None or d.networks < PRECISE:
            continue
        rows.append(
            [
                f"{INITIALISATIONS[s.init].label}, {s.width}, {OPTIMISERS[s.optimiser].label}",
                str(d.networks),
                num(d.sigma_prime_mean, 3),
                percent(d.in_a_tail / d.networks),
                num(d.largest_w1_median, 3),
                sci(d.gradient_norm_median),
                num(d.w2_median, 2),
            ]
        )
    return table(DIAGNOSIS_HEADERS, rows)


def design(study: Study | None = None) -> str:
    """The study's set-up, read from the constants that ran it."""
    study = study or results()
    settings = len(study.settings)
    described = [o.described() for o in OPTIMISERS.values()]
    optimisers = "; ".join(described[:-1]) + "; and " + described[-1]
    return f"""Every setting gets the same {study.starts:,} seeded starts, trained for
{study.epochs:,} epochs (the lesson's budget) on the lesson's data: {settings} settings,
{settings * study.starts:,} training runs in all.

- **starts** (initialisations): *small*, every weight and bias drawn from a normal distribution
  with standard deviation {SMALL_RANDOM_SCALE:g}, like the stuck run of section
  [§](09-starts.md); *Xavier* (Glorot), weights with variance 2 / (fan-in + fan-out) and
  biases 0; *He*, weights with variance 2 / fan-in and biases 0;
- **hidden neurons**: {", ".join(map(str, WIDTHS[:-1]))} and {WIDTHS[-1]};
- **optimisers**: {optimisers}. Every optimiser trains the very same starts.

Each run ends in one of three classes, decided by its cost over its last {WINDOW} epochs: it
**fits** if the cost stayed below {FIT_BELOW:g} throughout; it is **stuck** if the cost stayed
within {STUCK_WITHIN:g} of {num(mean_prediction_loss(Y), 3)}, the cost of predicting the mean
everywhere, throughout; otherwise it is **other** (still moving, or settled somewhere else).
Each share comes with its 95 % Wilson interval. He initialisation was derived for ReLU units,
not sigmoids; it is here because it is a common default."""


@cached
def shares_figure() -> str:
    """One panel per optimiser: the share of runs that fit (solid) and stuck (dashed) by width."""
    study = results()
    widths = sorted({s.width for s in study.settings})
    panels = []
    with styled():
        for opt in OPTIMISERS.values():
            fig, ax = panel((4.4, 3.4))
            for init, colour in COLOURS.items():
                rows = [study.setting(init, w, opt.name) for w in widths]
                for outcome, style in (("fits", "-"), ("stuck", "--")):
                    shares = [getattr(r, outcome) for r in rows]
                    shown = [100 * s.share for s in shares]
                    ax.errorbar(
                        range(len(widths)),
                        shown,
                        yerr=[
                            [100 * (s.share - s.low) for s in shares],
                            [100 * (s.high - s.share) for s in shares],
                        ],
                        color=colour,
                        ls="none",
                        marker="o",
                        ms=4,
                        capsize=2,
                    )
                    label = f"{INITIALISATIONS[init].label}, {outcome}"
                    ax.plot(range(len(widths)), shown, color=colour, ls=style, label=label)
            ax.set(
                title=opt.label.capitalize(),
                xlabel="hidden neurons",
                ylabel=f"share of {study.starts:,} starts (%)",
                xticks=range(len(widths)),
                xticklabels=widths,
                ylim=(-3, 103),
            )
            key(fig, 3)
            widest = {i: study.setting(i, widths[-1], opt.name).fits for i in INITIALISATIONS}
            fits = ", ".join(
                f"{INITIALISATIONS[i].label} {percent(s.share)}" for i, s in widest.items()
            )
            panels.append(
                (
                    fig,
                    f"{opt.label.capitalize()}: share of runs that fit or get stuck, by width",
                    f"For {opt.label}, against the number of hidden neurons "
                    f"({', '.join(map(str, widths))}), the percentage of {study.starts:,} runs "
                    "that fit (solid lines) and that get stuck at the mean prediction (dashed), "
                    f"for small, Xavier and He starts, with 95 % intervals. With "
                    f"{widths[-1]} neurons, the shares that fit: {fits}.",
                )
            )
    return figure(
        "study",
        "Solid: share of runs that fit. Dashed: share stuck at the mean prediction. Bars: 95 % "
        "intervals. Colours: the three ways to start.",
        *panels,
    )


def summary_table(outcome: str, optimiser: str, study: Study | None = None) -> str:
    """One outcome of one optimiser as a small table: a row per width, a column per start.

    Narrow enough for a phone; the full table, with intervals, is :func:`results_tables`.
    """
    study = study or results()
    widths = sorted({s.width for s in study.settings})
    rows = [
        [
            str(w),
            *(
                percent(getattr(study.setting(i, w, optimiser), outcome).share)
                for i in INITIALISATIONS
            ),
        ]
        for w in widths
    ]
    headers = ["hidden neurons", *(i.label for i in INITIALISATIONS.values())]
    return table(headers, rows)
