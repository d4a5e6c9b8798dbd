"""The measured-claims study: how often does a random start fit, get stuck, or neither?

Every combination of three initialisations, five hidden widths and three optimisers (45
settings) is trained from ``STARTS`` = 1000 seeded random starts on the lesson's four points
for a fixed budget of ``EPOCHS`` epochs, and each run is sorted by its final loss into
``fits`` (below 1e-3), ``stuck`` (within 1e-3 of the mean-prediction loss 0.125) or
``other``. For every setting the study reports the three counts with 95% Wilson intervals and,
for the stuck runs, a diagnosis of *why* they are stuck (σ′ at the hidden units, the gradient,
whether the hidden units have merged).

The budget is the lesson's own ``EPOCHS`` = 2000, for every setting. That is what a run means
everywhere else on the site, and "stuck" is a statement about a budget: stuck runs do escape
if trained longer (page 08's stuck network does at about 11,000 epochs). The price is that
plain gradient descent at η = 0.5 fits *none* of its random starts in 2000 epochs: measured on
samples of 300, GD needs 2000-5000 epochs to get below 1e-3 (0% fit at 2000 epochs, 56-91% at
5000, depending on the setting), so for GD "other" mostly means "still on its way down". A
5000-epoch study would also cost 2.5 times as much, beyond the 15-second budget for a cold run.

Starts are seeded per setting and per start: start ``i`` of (init, width) draws from
``np.random.default_rng([SEED, INIT_CODES[init], width, i])``, so adding starts or settings
changes nothing already there. The optimiser is deliberately not in the seed: the three
optimisers train the very same starts, so their differences are not noise between samples.

Results are cached on disk under ``.cache/study/`` at the repository root, keyed by a hash of
every ``.py`` file under ``snippets/``, the study's parameters and NumPy's version; a warm
call reads one small JSON file.

>>> s = run_study(starts=20, epochs=300, widths=(2,), optimisers=("adam",), cache=None)
>>> r = s.setting("small", 2, "adam")
>>> r.fits.count + r.stuck.count + r.other.count
20
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from subprocess import PIPE

import numpy as np

from snippets.batch import Batch, classify, evaluate, train_batch
from snippets.lesson import EPOCHS, SMALL_RANDOM_SCALE, X, Y
from snippets.stats import wilson

SNIPPETS = Path(__file__).resolve().parent
# Where results are kept; SITE_STUDY_CACHE moves it (the build benchmark uses an empty folder).
CACHE_DIR = Path(os.environ.get("SITE_STUDY_CACHE") or SNIPPETS.parent / ".cache" / "study")

STARTS = 1000  # seeded random starts per setting
INITS = ("small", "xavier", "he")
WIDTHS = (1, 2, 3, 4, 8)
OPTIMISERS = ("gd", "momentum", "adam")
SEED = 20250601  # the study's root seed
INIT_CODES = {"small": 1, "xavier": 2, "he": 3}  # part of each start's seed; never renumber

FLAT_TAIL = 0.01  # σ′ below this (|z| above about 4.6) is a flat tail of the sigmoid
SAME_UNIT = 1e-2  # two hidden units whose (w₁, b₁) differ by less than this are one unit


# ---------------------------------------------------------------------------- the starts


def draw(init: str, width: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """One start's ``w1, b1, w2`` (arrays of ``width``) and ``b2`` (a NumPy scalar) from ``rng``.

    * ``small``: every weight and bias from N(0, 0.1²), drawn and laid out exactly as
      :func:`snippets.lesson.small_random_start` does.
    * ``xavier`` (Glorot normal): weights from N(0, 2/(fan_in + fan_out)), biases 0. Layer 1
      maps 1 input to ``width`` units, layer 2 ``width`` units to 1 output, so both layers
      have variance 2/(width + 1).
    * ``he``: weights from N(0, 2/fan_in), biases 0: variance 2 for layer 1 (fan_in 1) and
      2/width for layer 2.

    >>> w1, b1, w2, b2 = draw("xavier", 3, np.random.default_rng(0))
    >>> b1.tolist(), float(b2), w1.round(3).tolist()
    ([0.0, 0.0, 0.0], 0.0, [0.089, -0.093, 0.453])
    """
    if init == "small":
        v = rng.normal(0.0, SMALL_RANDOM_SCALE, size=3 * width + 1)
        return v[:width], v[width : 2 * width], v[2 * width : 3 * width], v[-1]
    if init == "xavier":
        sd1 = sd2 = np.sqrt(2 / (1 + width))
    elif init == "he":
        sd1, sd2 = np.sqrt(2 / 1), np.sqrt(2 / width)
    else:
        raise ValueError(f"unknown initialisation {init!r}")
    w1 = rng.normal(0.0, sd1, size=width)
    w2 = rng.normal(0.0, sd2, size=width)
    return w1, np.zeros(width), w2, np.float64(0.0)


def starts(init: str, width: int, count: int) -> Batch:
    """Starts ``0 … count−1`` of one initialisation and width, each from its own seed.

    >>> starts("he", 2, 3).w1.shape
    (3, 2)
    """
    drawn = [
        draw(init, width, np.random.default_rng([SEED, INIT_CODES[init], width, i]))
        for i in range(count)
    ]
    return Batch(*(np.array([d[k] for d in drawn], dtype=float) for k in range(4)))


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
    *in a flat tail* when σ′ < ``FLAT_TAIL`` at all four points. Per-network quantities (largest
    |z₁|, gradient norm, largest |w₁|, unit gaps) are summarised by their median and maximum
    over the stuck networks. For width ≥ 2, a network's *identical gap* is the largest, over
    pairs of hidden units, of max(|Δw₁|, |Δb₁|); its *mirror gap* the same for
    (w₁ + w₁′, b₁ + b₁′), which is 0 when one unit is the other's mirror image,
    σ(−z) = 1 − σ(z); it is *merged* when every pair is within ``SAME_UNIT`` of one or the
    other. These three are None for width 1.
    """

    networks: int
    sigma_prime_min: float
    sigma_prime_mean: float
    sigma_prime_max: float
    largest_z_median: float
    largest_z_max: float
    any_unit_in_tail: float  # share of stuck networks with at least one hidden unit in a tail
    all_units_in_tails: float  # share with every hidden unit in a tail: the article's picture
    gradient_norm_median: float
    gradient_norm_max: float
    largest_w1_median: float  # max |w₁| over a network's hidden units
    largest_w1_max: float
    w2_min: float  # over every stuck network's hidden units
    w2_median: float
    w2_max: float
    prediction_gap_max: float  # max |ŷ − ȳ| over stuck networks and points
    identical_gap_median: float | None
    mirror_gap_median: float | None
    merged: float | None  # share of stuck networks whose hidden units have all merged


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
    frozen: int  # runs frozen before the end of the budget (see snippets.batch.train_batch)
    mean_epochs_run: float
    diagnosis: Diagnosis | None  # of the stuck runs; None if there are none

    @classmethod
    def from_dict(cls, d: dict) -> Setting:
        """Rebuild from :func:`dataclasses.asdict`'s output."""
        d = dict(d)
        for outcome in ("fits", "stuck", "other"):
            d[outcome] = Share(**d[outcome])
        d["diagnosis"] = Diagnosis(**d["diagnosis"]) if d["diagnosis"] else None
        return cls(**d)


@dataclass(frozen=True)
class Study:
    """Every setting's result, in the order inits × widths × optimisers, and the parameters."""

    settings: tuple[Setting, ...]
    starts: int
    epochs: int
    key: str  # the cache key: changes whenever the code, the parameters or NumPy do

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
    sigma_prime = e.a1 * (1 - e.a1)  # (N, points, width)
    tails = np.all(sigma_prime < FLAT_TAIL, axis=1)  # (N, width)
    largest_z = np.max(np.abs(e.z1), axis=(1, 2))
    g = e.gradients
    norms = np.sqrt(np.sum(g.w1**2, 1) + np.sum(g.b1**2, 1) + np.sum(g.w2**2, 1) + g.b2**2)
    largest_w1 = np.max(np.abs(final.w1), axis=1)
    identical = mirror = merged = None
    if width >= 2:
        units = np.stack([final.w1, final.b1], axis=-1)  # (N, width, 2)
        i, j = np.triu_indices(width, 1)
        same = np.max(np.abs(units[:, i] - units[:, j]), axis=-1)  # (N, pairs)
        mirrored = np.max(np.abs(units[:, i] + units[:, j]), axis=-1)
        identical = float(np.median(np.max(same, axis=1)))
        mirror = float(np.median(np.max(mirrored, axis=1)))
        merged = float(np.mean(np.max(np.minimum(same, mirrored), axis=1) < SAME_UNIT))
    return Diagnosis(
        networks=n,
        sigma_prime_min=float(sigma_prime.min()),
        sigma_prime_mean=float(sigma_prime.mean()),
        sigma_prime_max=float(sigma_prime.max()),
        largest_z_median=float(np.median(largest_z)),
        largest_z_max=float(largest_z.max()),
        any_unit_in_tail=float(np.mean(tails.any(axis=1))),
        all_units_in_tails=float(np.mean(tails.all(axis=1))),
        gradient_norm_median=float(np.median(norms)),
        gradient_norm_max=float(norms.max()),
        largest_w1_median=float(np.median(largest_w1)),
        largest_w1_max=float(largest_w1.max()),
        w2_min=float(final.w2.min()),
        w2_median=float(np.median(final.w2)),
        w2_max=float(final.w2.max()),
        prediction_gap_max=float(np.max(np.abs(e.y_hat - Y.mean()))),
        identical_gap_median=identical,
        mirror_gap_median=mirror,
        merged=merged,
    )


def _take(b: Batch, mask: np.ndarray | slice) -> Batch:
    return Batch(b.w1[mask], b.b1[mask], b.w2[mask], b.b2[mask])


_starts = functools.cache(starts)  # a helper process trains one width with several optimisers


def _train_group(job: tuple[tuple[str, ...], int, str, int, int]) -> list[Setting]:
    """Train every initialisation of one width and optimiser as one batch (one task)."""
    inits, width, optimiser, count, epochs = job
    parts = [_starts(init, width, count) for init in inits]  # the same for every optimiser
    together = Batch(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in ("w1", "b1", "w2", "b2"))
    )
    run = train_batch(together, X, Y, optimiser, epochs)
    outcome = classify(run.final_loss, Y)
    results = []
    for k, init in enumerate(inits):
        part = slice(k * count, (k + 1) * count)
        o = outcome[part]
        final = _take(run.final, np.arange(together.size)[part])
        results.append(
            Setting(
                init=init,
                width=width,
                optimiser=optimiser,
                starts=count,
                epochs=epochs,
                fits=Share.of(int(np.sum(o == "fits")), count),
                stuck=Share.of(int(np.sum(o == "stuck")), count),
                other=Share.of(int(np.sum(o == "other")), count),
                frozen=int(np.sum(run.epochs_run[part] < epochs)),
                mean_epochs_run=float(np.mean(run.epochs_run[part])),
                diagnosis=diagnose(_take(final, o == "stuck")),
            )
        )
    return results


def cache_key(**params: object) -> str:
    """A hash of every ``.py`` file under ``snippets/``, the parameters and NumPy's version.

    >>> cache_key(starts=1) == cache_key(starts=1) != cache_key(starts=2)
    True
    """
    h = hashlib.sha256()
    for path in sorted(SNIPPETS.rglob("*.py")):
        h.update(path.relative_to(SNIPPETS).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    h.update(json.dumps(params, sort_keys=True).encode())
    h.update(np.__version__.encode())
    return h.hexdigest()


def _cost(job: tuple) -> float:
    """Roughly how long a task takes (a width-1 network needs no matrix product)."""
    width, optimiser = job[1], job[2]
    return (1 if width == 1 else 1 + width) * (1.3 if optimiser == "adam" else 1.0)


def _worker() -> None:
    """The entry point of a helper process: tasks in on stdin, results out on stdout."""
    jobs = pickle.load(sys.stdin.buffer)
    pickle.dump([_train_group(job) for job in jobs], sys.stdout.buffer)


def _train_groups(jobs: list[tuple], workers: int) -> list[list[Setting]]:
    """Every task's settings, in order; shared out between this process and ``workers − 1``
    helper processes.

    The helpers are fresh interpreters (``python -c``) rather than ``multiprocessing``
    workers: spawned workers re-import the caller's main module, which breaks any script
    without an ``if __name__ == "__main__"`` guard, and forked ones inherit the caller's
    threads. Results do not depend on how the tasks are shared out.
    """
    if workers <= 1 or len(jobs) <= 1 or not sys.executable:
        return [_train_group(job) for job in jobs]
    shares: list[list[int]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for k in sorted(range(len(jobs)), key=lambda k: -_cost(jobs[k])):  # longest first
        least = loads.index(min(loads))
        shares[least].append(k)
        loads[least] += _cost(jobs[k])
    path = os.pathsep.join([str(SNIPPETS.parent), *filter(None, sys.path)])
    env = {**os.environ, "PYTHONPATH": path}
    command = [sys.executable, "-c", "from snippets.study import _worker; _worker()"]
    helpers: list[subprocess.Popen] = []
    try:
        for share in shares[1:]:
            proc = subprocess.Popen(command, stdin=PIPE, stdout=PIPE, cwd=SNIPPETS.parent, env=env)
            helpers.append(proc)
            assert proc.stdin is not None
            proc.stdin.write(pickle.dumps([jobs[k] for k in share]))
            proc.stdin.close()
        results = dict(zip(shares[0], (_train_group(jobs[k]) for k in shares[0])))
        for share, proc in zip(shares[1:], helpers):
            assert proc.stdout is not None
            out = proc.stdout.read()
            if proc.wait() != 0:
                raise RuntimeError(
                    f"a study helper process failed with exit code {proc.returncode}"
                )
            results.update(zip(share, pickle.loads(out)))
    finally:
        for proc in helpers:  # only if something went wrong is one still running
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return [results[k] for k in range(len(jobs))]


def run_study(
    starts: int = STARTS,
    epochs: int = EPOCHS,
    *,
    inits: tuple[str, ...] = INITS,
    widths: tuple[int, ...] = WIDTHS,
    optimisers: tuple[str, ...] = OPTIMISERS,
    cache: Path | None = CACHE_DIR,
    workers: int | None = None,
) -> Study:
    """Run (or read from the cache) the study; ``cache=None`` neither reads nor writes one.

    The work is one task per width and optimiser (all initialisations of the pair trained as
    one batch), shared between ``workers`` processes: by default as many as there are CPUs,
    at most 2. A run's result depends only on its start, never on the batch or the process
    that trained it, so the study is the same whatever ``workers`` is.
    """
    params = {
        "starts": starts,
        "epochs": epochs,
        "inits": list(inits),
        "widths": list(widths),
        "optimisers": list(optimisers),
    }
    key = cache_key(**params)
    path = None if cache is None else Path(cache) / f"{key}.json"
    if path is not None and path.exists():
        return Study.from_json(path.read_text())
    jobs = [(tuple(inits), w, o, starts, epochs) for w in widths for o in optimisers]
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    groups = _train_groups(jobs, workers)
    by_key = {(s.init, s.width, s.optimiser): s for group in groups for s in group}
    settings = tuple(by_key[(i, w, o)] for i in inits for w in widths for o in optimisers)
    study = Study(settings, starts, epochs, key)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False) as f:
            f.write(study.to_json())
        os.replace(f.name, path)
    return study
