"""10-measured.md's tables, figure and set-up, printed from the study (the page's by default).

>>> percent(0.397), interval(Share.of(397, 1000))
('39.7 %', '39.7 % (36.7–42.8)')
"""

from __future__ import annotations

from collections.abc import Sequence

from snippets.book.cache import cached
from snippets.book.figures import figure, key, panel, styled
from snippets.book.numbers import cost, num, percent, sci
from snippets.book.playground import playground_link
from snippets.book.views import table
from snippets.lesson import SMALL_RANDOM_SCALE, WIDTHS, Y
from snippets.linear import mean_prediction_loss
from snippets.optimisers import OPTIMISERS
from snippets.outcomes import FIT_BELOW, STUCK_WITHIN, WINDOW
from snippets.study.experiment import INITIALISATIONS, SEED, STARTS, Share, Study, starts
from snippets.study.findings import PRECISE, listed
from snippets.study.longer import LONGER, SAMPLE, Followed
from snippets.study.measured import results, stuck_longer

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
within {STUCK_WITHIN:g} of {cost(mean_prediction_loss(Y))}, the cost of predicting the mean
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


def sample_words() -> str:
    """How the stuck runs followed for longer are chosen, from the code that chooses them."""
    inits = listed([i.label for i in INITIALISATIONS.values()])
    optimisers = listed([o.label for o in OPTIMISERS.values()])
    return (
        f"the first {SAMPLE} stuck runs of each width, by run index over every start and "
        f"optimiser (runs with the same index in the order {inits}, then {optimisers})"
    )


def longer_table(followed: Sequence[Followed] | None = None) -> str:
    """Each width's sample of stuck runs, trained ten times longer: how many are still stuck at
    each checkpoint, how many fit by the end, and how many have a way down (a saddle)."""
    followed = followed if followed is not None else stuck_longer()
    checkpoints = followed[0].checkpoints
    rows = [
        [
            str(f.width),
            f"{f.networks} of {f.of:,}",
            " → ".join(str(n) for n in f.stuck),
            str(f.fits[-1]),
            str(f.at_budget.way_down),
            "–" if f.at_end is None else f"{f.at_end.way_down} of {f.at_end.networks}",
        ]
        for f in followed
    ]
    headers = [
        "hidden neurons",
        "stuck runs followed",
        f"still stuck at {' → '.join(f'{c:,}' for c in checkpoints)} epochs",
        f"fit by {checkpoints[-1]:,}",
        f"with a way down at {checkpoints[0]:,}",
        f"with a way down at {checkpoints[-1]:,}",
    ]
    return table(headers, rows)


def replay_link(init: str, width: int, optimiser: str, run: int, text: str) -> str:
    """A Markdown link that opens the playground at one start of the study, with its
    optimiser and η: a *linked* start, whose Reset returns to it; the further controls open,
    at full speed, to stop where the runs above were followed to."""
    p = starts(init, width, [run]).network(0)
    return playground_link(
        text,
        start="linked",
        **{"from": f"{INITIALISATIONS[init].label} start, {width} hidden, run {run}"},
        h=width,
        opt=optimiser,
        lr=float(OPTIMISERS[optimiser].lr),
        w1=p.w1,
        b1=p.b1,
        w2=p.w2,
        b2=float(p.b2),
        more=1,
        speed="max",
        stop=LONGER,
    )


def replay_table(followed: Sequence[Followed] | None = None) -> str:
    """For each width, the first stuck run followed and, where there is one, the first that
    left: what it is, what a reader will see, and a link that replays it in the playground."""
    followed = followed if followed is not None else stuck_longer()
    rows = []
    names = {"f": "fits", "s": "still stuck", "o": "has left, does not fit yet"}
    for f in followed:
        picked = {}
        for (run, init, opt), end in zip(f.runs, f.ends, strict=True):
            picked.setdefault(end == "s", (run, init, opt, end))
        for run, init, opt, end in picked.values():
            rows.append(
                [
                    f"{INITIALISATIONS[init].label}, {f.width}, {OPTIMISERS[opt].label}",
                    str(run),
                    "stuck",
                    names[end],
                    replay_link(init, f.width, opt, run, "replay"),
                ]
            )
    first, last = followed[0].checkpoints[0], followed[0].checkpoints[-1]
    headers = [
        "start, width, optimiser",
        "run",
        f"at epoch {first:,}",
        f"at epoch {last:,}",
        "in the playground",
    ]
    stuck = (
        f"Stuck at epoch {first:,} means the cost stayed within {STUCK_WITHIN:g} of "
        f"{cost(mean_prediction_loss(Y))} over the {WINDOW} epochs up to it.\n\n"
    )
    return stuck + table(headers, rows, align="lrlll")


def how_starts_are_drawn() -> str:
    """How every start of the study is drawn, from the constants that draw it."""
    codes = listed([f"{i.label} {i.code}" for i in INITIALISATIONS.values()])
    return f"""Start number `run` (0 to {STARTS - 1}) of an initialisation and a width comes from
NumPy's random generator, `np.random.default_rng(seed)` with
`seed = [{SEED}, code, width, run]`: the study's root seed, the initialisation's code
({codes}), the number of hidden neurons and the run's index. Its standard normal draws are made
by `normal` in the lesson's `portable.py` (Marsaglia's polar method on the generator's uniform
draws, the same on every computer), then scaled. That method makes its draws in pairs, so a
call that asks for an odd number of them throws the last one of its pair away. A *small* start
makes one call for 3 × width + 1 values, in the order $w_1$ (one per hidden neuron), $b_1$,
$w_2$, $b_2$, each times {SMALL_RANDOM_SCALE:g}. A *Xavier* or *He* start makes two calls,
width values for $w_1$ and then width for $w_2$ (with an odd width, the first call's spare is
dropped before the second begins), times its standard deviations, and sets every bias to 0. The
optimiser is not part of the seed: every optimiser trains the same starts."""
