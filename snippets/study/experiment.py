"""The experiment: how often does a random start fit, get stuck, or neither?

Every combination of three initialisations, five hidden widths and three optimisers (45
settings) is trained from ``STARTS`` = 1000 seeded random starts on the lesson's four points
for the lesson's budget of ``EPOCHS`` epochs, and each run is classed by where its loss stayed
over its last epochs (``snippets.outcomes.classify``): it ``fits``, is ``stuck`` at the
mean prediction, or neither (``other``). For every setting the study reports the three counts
with 95 % Wilson intervals and, for the stuck runs, a diagnosis of *why* they are stuck (σ′ at
the hidden units, the gradient, whether the hidden units have merged).

The budget is the lesson's own, for every setting: that is what a run means everywhere else
on the site, and "stuck" is a statement about a budget (09-starts.md's stuck network escapes when
trained longer). The price is that plain gradient descent at η = 0.5 fits none of its random
starts within it, so for gradient descent "other" mostly means "still on its way down".

Start ``i`` of (initialisation, width) draws from a generator seeded with
``[SEED, code of the initialisation, width, i]``, so adding starts or settings changes nothing
already there. The optimiser is deliberately not in the seed: the three optimisers train the
very same starts, so their differences are not noise between samples.

>>> s = run_study(starts=20, epochs=300, widths=(2,), optimisers=("adam",), workers=1)
>>> r = s.setting("small", 2, "adam")
>>> r.fits.count + r.stuck.count + r.other.count
20
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from typing import TypeVar

import numpy as np

from snippets.lesson import EPOCHS, WIDTHS, X, Y, small_random_start
from snippets.network import Params
from snippets.optimisers import OPTIMISERS
from snippets.outcomes import classify
from snippets.portable import normal
from snippets.study.stats import wilson
from snippets.study.trainer import Batch, evaluate, train_batch

log = logging.getLogger(__name__)
T, R = TypeVar("T"), TypeVar("R")  # the build shows its messages (hooks/progress.py)


@dataclass(frozen=True)
class Initialisation:
    """A way to draw a start; see :func:`draw`."""

    name: str
    label: str  # how the pages name it
    code: int  # part of each start's seed: never renumber


INITIALISATIONS = {
    i.name: i
    for i in (
        Initialisation("small", "small", 1),
        Initialisation("xavier", "Xavier", 2),
        Initialisation("he", "He", 3),
    )
}
STARTS = 1000  # seeded random starts per setting
SEED = 20250601  # the study's root seed

FLAT_TAIL = 0.01  # σ′ below this (|z| above about 4.6) is a flat tail of the sigmoid
SAME_UNIT = 1e-2  # two hidden units whose (w₁, b₁) differ by less than this are one unit


# ---------------------------------------------------------------------------- the starts


def draw(init: str, width: int, seed: Sequence[int]) -> Params:
    """One start of ``width`` hidden neurons, drawn from a generator seeded with ``seed``.

    * ``small``: every weight and bias from N(0, 0.1²): :func:`snippets.lesson.small_random_start`.
    * ``xavier`` (Glorot normal): weights from N(0, 2/(fan_in + fan_out)), biases 0. Layer 1
      maps 1 input to ``width`` units, layer 2 ``width`` units to 1 output, so both layers
      have variance 2/(width + 1).
    * ``he``: weights from N(0, 2/fan_in), biases 0: variance 2 for layer 1 (fan_in 1) and
      2/width for layer 2.

    >>> p = draw("xavier", 3, [0])
    >>> p.b1.tolist(), p.b2, p.w1.round(3).tolist()
    ([0.0, 0.0, 0.0], 0.0, [0.571, -0.96, 0.492])
    """
    if init == "small":
        return small_random_start(seed, width)
    if init == "xavier":
        sd1 = sd2 = math.sqrt(2 / (1 + width))
    elif init == "he":
        sd1, sd2 = math.sqrt(2 / 1), math.sqrt(2 / width)
    else:
        raise ValueError(f"unknown initialisation {init!r}")
    rng = np.random.default_rng(seed)
    w1 = sd1 * normal(rng, width)
    w2 = sd2 * normal(rng, width)
    return Params.of(w1, np.zeros(width), w2, 0.0)


def seed(init: str, width: int, run: int) -> list[int]:
    """The seed of start ``run`` of one initialisation and width: what a reader needs to replay it.

    >>> seed("he", 2, 17)
    [20250601, 3, 2, 17]
    """
    return [SEED, INITIALISATIONS[init].code, width, run]


def starts(init: str, width: int, count: int | Sequence[int]) -> Batch:
    """Starts ``0 … count−1`` (or the runs listed) of one initialisation and width, each from
    its own seed.

    >>> starts("he", 2, 3).w1.shape
    (2, 3)
    """
    runs = range(count) if isinstance(count, int) else count
    return Batch.stack([draw(init, width, seed(init, width, i)) for i in runs])


# ---------------------------------------------------------------------------- the results


@dataclass(frozen=True)
class Share:
    """``count`` of ``n`` runs, their share, and its 95% Wilson interval ``[low, high]``."""

    count: int
    n: int
    share: float
    low: float
    high: float

    @classmethod
    def of(cls, count: int, n: int) -> Share:
        """
        >>> Share.of(5, 10)
        Share(count=5, n=10, share=0.5, low=0.236593090512564, high=0.7634069094874361)
        """
        return cls(count, n, count / n, *wilson(count, n))


@dataclass(frozen=True)
class Diagnosis:
    """Why the stuck runs of one setting are stuck: their final weights, looked at closely.

    σ′ statistics run over every stuck network, data point and hidden unit. A hidden unit is
    *in a flat tail* when σ′ < ``FLAT_TAIL`` at all four points. For width ≥ 2, a network has
    *merged* units when every pair of its hidden units is within ``SAME_UNIT`` (in both w₁
    and b₁) of being identical, or of being mirror images (w₁, b₁ and −w₁, −b₁: since
    σ(−z) = 1 − σ(z), a mirrored unit draws the same curve upside down).
    """

    networks: int
    sigma_prime_min: float
    sigma_prime_mean: float
    in_a_tail: int  # stuck networks with at least one hidden unit in a flat tail
    all_in_tails: int  # stuck networks with every hidden unit in a flat tail: the article's picture
    largest_w1_median: float  # median over the networks of the largest |w₁| of their units
    gradient_norm_median: float
    w2_median: float  # over every stuck network's hidden units
    merged: int | None  # stuck networks whose units have merged; None for width 1


@dataclass(frozen=True)
class Setting:
    """One initialisation × width × optimiser, trained from ``starts`` starts."""

    init: str
    width: int
    optimiser: str
    starts: int
    epochs: int
    fits: Share
    stuck: Share
    other: Share
    diagnosis: Diagnosis | None  # of the stuck runs; None if there are none
    outcomes: str = ""  # run i's class, a letter each: f(its), s(tuck), o(ther)
    final_costs: tuple[float, ...] = ()  # run i's cost C after the last epoch

    def runs(self, outcome: str) -> list[int]:
        """The indices of the runs with this outcome ("fits", "stuck" or "other")."""
        return [i for i, c in enumerate(self.outcomes) if c == outcome[0]]

    @classmethod
    def from_dict(cls, d: dict) -> Setting:
        """Rebuild from :func:`dataclasses.asdict`'s output."""
        d = dict(d)
        for outcome in ("fits", "stuck", "other"):
            d[outcome] = Share(**d[outcome])
        d["diagnosis"] = Diagnosis(**d["diagnosis"]) if d["diagnosis"] else None
        d["final_costs"] = tuple(d.get("final_costs", ()))
        return cls(**d)


@dataclass(frozen=True)
class Study:
    """Every setting's result, in the order inits × widths × optimisers, and the parameters."""

    settings: tuple[Setting, ...]
    starts: int
    epochs: int

    def setting(self, init: str, width: int, optimiser: str) -> Setting:
        """The result of one setting."""
        for s in self.settings:
            if (s.init, s.width, s.optimiser) == (init, width, optimiser):
                return s
        raise KeyError((init, width, optimiser))

    def to_json(self) -> str:
        """The whole study as compact JSON (what the cache stores)."""
        return json.dumps(asdict(self), allow_nan=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Study:
        """The inverse of :meth:`to_json`: floats round-trip exactly."""
        d = json.loads(text)
        d["settings"] = tuple(Setting.from_dict(s) for s in d["settings"])
        return cls(**d)


# ---------------------------------------------------------------------------- the work


def diagnose(final: Batch) -> Diagnosis | None:
    """The :class:`Diagnosis` of some (stuck) networks' final weights; None if there are none."""
    n, width = final.size, final.width
    if n == 0:
        return None
    e = evaluate(final, X, Y)
    sigma_prime = e.a1 * (1 - e.a1)  # (points, width, N)
    tails = np.all(sigma_prime < FLAT_TAIL, axis=0)  # (width, N)
    g = e.gradients.weights
    norms = np.sqrt(np.sum(g * g, axis=0))
    merged = None
    if width >= 2:
        i, j = np.triu_indices(width, 1)  # every pair of hidden units
        w1, b1 = final.w1, final.b1  # (width, N)
        same = np.maximum(np.abs(w1[i] - w1[j]), np.abs(b1[i] - b1[j]))  # (pairs, N)
        mirrored = np.maximum(np.abs(w1[i] + w1[j]), np.abs(b1[i] + b1[j]))
        merged = int(np.sum(np.all(np.minimum(same, mirrored) < SAME_UNIT, axis=0)))
    return Diagnosis(
        networks=n,
        sigma_prime_min=float(sigma_prime.min()),
        sigma_prime_mean=float(sigma_prime.mean()),
        in_a_tail=int(np.sum(tails.any(axis=0))),
        all_in_tails=int(np.sum(tails.all(axis=0))),
        largest_w1_median=float(np.median(np.max(np.abs(final.w1), axis=0))),
        gradient_norm_median=float(np.median(norms)),
        w2_median=float(np.median(final.w2)),
        merged=merged,
    )


def _train_task(task: tuple[tuple[str, ...], int, str, int, int]) -> list[Setting]:
    """Train the settings of one width and optimiser, every initialisation in one batch.

    One batch of 3000 networks rather than three of 1000: NumPy's cost is partly per call, so
    fewer, longer calls are faster. Each network's result depends only on its own start.
    """
    inits, width, optimiser, count, epochs = task
    together = Batch.join([starts(init, width, count) for init in inits])
    run = train_batch(together, X, Y, optimiser, epochs)
    outcome = classify(run.recent, Y)
    settings = []
    for k, init in enumerate(inits):
        part = slice(k * count, (k + 1) * count)
        o = outcome[part]
        settings.append(
            Setting(
                init=init,
                width=width,
                optimiser=optimiser,
                starts=count,
                epochs=epochs,
                fits=Share.of(int(np.sum(o == "fits")), count),
                stuck=Share.of(int(np.sum(o == "stuck")), count),
                other=Share.of(int(np.sum(o == "other")), count),
                diagnosis=diagnose(run.final.take(part).take(o == "stuck")),
                outcomes="".join(c[0] for c in o),
                final_costs=tuple(run.final_cost[part].tolist()),
            )
        )
    return settings


def _cost(task: tuple) -> float:
    """Roughly how long a task takes, to hand out the longest first."""
    width, optimiser = task[1], task[2]
    return (2 + width) * (1.3 if optimiser == "adam" else 1.0)


def in_processes(
    work: Callable[[T], R], tasks: list[T], workers: int, what: Callable[[T], str],
    cost: Callable[[T], float] = lambda task: 1.0,
) -> list[R]:  # fmt: skip
    """``work(task)`` for every task, in order, computed in ``workers`` processes, the longest
    (by ``cost``) first, with progress logged (``what(task)`` names it).

    Fresh ("spawned") processes, not forked copies of this one: mkdocs serve runs threads.
    Results do not depend on how the tasks are shared out.
    """
    total, done, start = len(tasks), {}, time.perf_counter()

    def finished(k: int, result: R) -> None:
        done[k] = result
        log.info(
            f"{len(done)} of {total} done ({what(tasks[k])}), {time.perf_counter() - start:.0f} s"
        )

    order = sorted(range(total), key=lambda k: -cost(tasks[k]))
    if workers <= 1:
        for k in order:
            finished(k, work(tasks[k]))
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(work, tasks[k]): k for k in order}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    return [done[k] for k in range(total)]


def workers_here() -> int:
    """As many processes as there are CPUs, at most 2."""
    return min(2, os.cpu_count() or 1)


def run_study(
    starts: int = STARTS,
    epochs: int = EPOCHS,
    *,
    inits: tuple[str, ...] = tuple(INITIALISATIONS),
    widths: tuple[int, ...] = WIDTHS,
    optimisers: tuple[str, ...] = tuple(OPTIMISERS),
    workers: int | None = None,
) -> Study:
    """Train every setting and return what happened.

    The work is one task per width and optimiser, shared between ``workers`` processes: by
    default as many as there are CPUs, at most 2. A run's result depends only on its start,
    never on the batch or the process that trained it, so the study is the same whatever
    ``workers`` is.
    """
    tasks = [(tuple(inits), w, o, starts, epochs) for w in widths for o in optimisers]
    if workers is None:
        workers = workers_here()
    log.info(f"study: training {len(inits) * len(tasks) * starts:,} networks ({workers} processes)")
    done = in_processes(
        _train_task, tasks, workers, lambda t: f"study: width {t[1]}, {t[2]}", _cost
    )
    by_key = {(s.init, s.width, s.optimiser): s for settings in done for s in settings}
    settings = tuple(by_key[(i, w, o)] for i in inits for w in widths for o in optimisers)
    return Study(settings, starts, epochs)
