"""The study's stuck runs, trained ten times longer: do they leave, and what are the ones that stay?

For each width, a sample of the runs stuck after the study's ``EPOCHS`` (the first ``SAMPLE``
by start index, over every initialisation and optimiser) is trained again from its start, with
its own optimiser, for ``LONGER`` epochs in one go (momentum's and Adam's memories carry on),
and classed at each of ``CHECKPOINTS`` as the study classes runs. At the study's budget and at
the end, each still-stuck network is looked at closely: its largest input weight, its gradient,
and the Hessian's smallest eigenvalue: below ``WAY_DOWN`` there is a direction in which the cost
falls (a saddle), otherwise none (a minimum, as far as curvature can tell).

The same is done for plain gradient descent's runs that end neither stuck nor fitting
(``outcome="other"``): are they slow, or stopped?

``scripts/stuck_runs.py`` measures the same on larger samples and longer runs.

"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from snippets.gradcheck import hessian
from snippets.lesson import EPOCHS, WIDTHS, X, Y
from snippets.outcomes import classify
from snippets.portable import symmetric_eigenvalues
from snippets.study.experiment import INITIALISATIONS, Study, in_processes, starts, workers_here
from snippets.study.trainer import Batch, evaluate, train_batch

LONGER = 10 * EPOCHS  # ten times the study's budget
CHECKPOINTS = (EPOCHS, 5_000, 10_000, LONGER)
SAMPLE = 100  # stuck runs per width
log = logging.getLogger(__name__)  # the build shows its messages (hooks/progress.py)
WAY_DOWN = -1e-6  # a Hessian eigenvalue below this is a direction in which the cost falls


@dataclass(frozen=True)
class Close:
    """Stuck networks looked at closely, at one epoch (medians over the networks)."""

    networks: int
    way_down: int  # with a Hessian eigenvalue below WAY_DOWN
    w1_median: float  # of each network's largest |w₁|
    gradient_median: float  # of the averaged gradient's length
    smallest_eigenvalue_median: float


@dataclass(frozen=True)
class Followed:
    """One width's sample of runs (stuck ones, unless told), trained to ``LONGER`` epochs."""

    width: int
    networks: int  # in the sample
    of: int  # runs of this width in the study it was sampled from
    settings: tuple[tuple[str, str, int], ...]  # (initialisation, optimiser, networks sampled)
    checkpoints: tuple[int, ...]
    stuck: tuple[int, ...]  # still stuck at each checkpoint
    fits: tuple[int, ...]  # fit at each checkpoint
    at_budget: Close | None  # every sampled stuck network at the study's budget
    at_end: Close | None  # those still stuck at the end; None if none is
    runs: tuple[tuple[int, str, str], ...] = ()  # the sample: (run, initialisation, optimiser)
    ends: str = ""  # each one's class at the end, a letter each (f, s, o), in that order


def close(batch: Batch) -> Close | None:
    """Weights, gradients and curvature of some networks; None if there are none."""
    if batch.size == 0:
        return None
    g = evaluate(batch, X, Y).gradients.weights
    hessians = np.stack([hessian(batch.network(i), X, Y) for i in range(batch.size)])
    smallest = symmetric_eigenvalues(hessians)[:, 0]  # all at once: the same bits, faster
    return Close(
        networks=batch.size,
        way_down=int(np.sum(smallest < WAY_DOWN)),
        w1_median=float(np.median(np.max(np.abs(batch.w1), axis=0))),
        gradient_median=float(np.median(np.sqrt(np.sum(g * g, axis=0)))),
        smallest_eigenvalue_median=float(np.median(smallest)),
    )


def sample(
    study: Study,
    width: int,
    size: int = SAMPLE,
    outcome: str = "stuck",
    optimisers: tuple[str, ...] | None = None,
) -> list[tuple[int, str, str]]:
    """The first ``size`` runs of a width with this outcome (and, if given, these optimisers):
    (run, initialisation, optimiser), by run index, then initialisation (small, Xavier, He) and
    optimiser in the study's order."""
    found = [
        (run, list(INITIALISATIONS).index(s.init), k, s.init, s.optimiser)
        for k, s in enumerate(study.settings)
        if s.width == width and (optimisers is None or s.optimiser in optimisers)
        for run in s.runs(outcome)
    ]
    return [(run, init, opt) for run, _, _, init, opt in sorted(found)[:size]]


def _train(task: tuple[int, tuple[tuple[int, str, str], ...], int, tuple[int, ...]]) -> dict:
    """One width's sample, each run with its own optimiser, in one batch (a batch's cost is
    mostly per call): its classes at each checkpoint, and the weights at the study's budget
    and of the still stuck at the end, in the order of ``runs``."""
    width, runs, longer, checkpoints = task
    batch = Batch.join([starts(init, width, [run]) for run, init, _ in runs])
    optimisers = [opt for _, _, opt in runs]
    result = train_batch(batch, X, Y, optimisers, longer, checkpoints=checkpoints)
    outcomes = {c: classify(result.at[c][0], Y) for c in checkpoints}
    return {
        "stuck": [int(np.sum(outcomes[c] == "stuck")) for c in checkpoints],
        "fits": [int(np.sum(outcomes[c] == "fits")) for c in checkpoints],
        "at": {c: result.at[c][1] for c in checkpoints},
        "still": outcomes[checkpoints[-1]] == "stuck",
        "ends": "".join(c[0] for c in outcomes[checkpoints[-1]]),
    }


def follow_all(
    study: Study,
    size: int = SAMPLE,
    longer: int = LONGER,
    checkpoints: tuple[int, ...] = CHECKPOINTS,
    workers: int | None = None,
    outcome: str = "stuck",
    optimisers: tuple[str, ...] | None = None,
    widths: tuple[int, ...] | None = None,
) -> tuple[Followed, ...]:
    """Train each width's sample of runs with an outcome (stuck, unless told) for ``longer``
    epochs, classing it as it goes.

    >>> from snippets.study.experiment import run_study
    >>> s = run_study(starts=30, epochs=2000, widths=(1,), optimisers=("gd",), workers=1)
    >>> [f] = follow_all(s, size=3, longer=3000, checkpoints=(2000, 3000), workers=1)
    >>> f.networks, f.stuck
    (3, (3, 3))
    """
    if study.epochs not in checkpoints or checkpoints[-1] != longer:
        raise ValueError("the checkpoints must include the study's budget and end the run")
    widths = sorted({s.width for s in study.settings} & set(widths or WIDTHS))
    order = [s.optimiser for s in study.settings]
    chosen = {w: sample(study, w, size, outcome, optimisers) for w in widths}
    # a width's runs, those of one optimiser side by side (the trainer steps them as a block)
    tasks = [
        (w, tuple(sorted(chosen[w], key=lambda r: order.index(r[2]))), longer, checkpoints)
        for w in widths
        if chosen[w]
    ]
    log.info(f"{outcome} runs: training {sum(len(t[1]) for t in tasks)} for {longer:,} epochs")
    done = in_processes(
        _train, tasks, workers or workers_here(), lambda t: f"{outcome} runs: width {t[0]}",
        lambda t: t[0] + 10,  # a batch's cost is mostly per call, partly per number
    )  # fmt: skip
    followed = []
    for (w, runs, *_), d in zip(tasks, done):
        counted: dict[tuple[str, str], int] = {}
        for _, init, opt in chosen[w]:
            counted[(init, opt)] = counted.get((init, opt), 0) + 1
        ends = dict(zip(runs, d["ends"]))  # (run, init, optimiser) → its class at the end
        followed.append(
            Followed(
                width=w,
                networks=len(chosen[w]),
                of=sum(
                    len(s.runs(outcome))
                    for s in study.settings
                    if s.width == w and (optimisers is None or s.optimiser in optimisers)
                ),
                settings=tuple((i, o, n) for (i, o), n in counted.items()),
                checkpoints=tuple(checkpoints),
                stuck=tuple(d["stuck"]),
                fits=tuple(d["fits"]),
                # the close look is for stuck networks only
                at_budget=close(d["at"][study.epochs]) if outcome == "stuck" else None,
                at_end=close(d["at"][checkpoints[-1]].take(d["still"])),
                runs=tuple(chosen[w]),
                ends="".join(ends[key] for key in chosen[w]),
            )
        )
    return tuple(followed)
