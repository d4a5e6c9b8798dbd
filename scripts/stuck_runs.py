"""What are the study's stuck runs, and how does "stuck" depend on the budget?

Usage (from the repository root)::

    python scripts/stuck_runs.py [--per-width N] [--more EPOCHS] [--population K]
                                 [--checkpoints 5000,10000,20000] [--widths 1,2,3,4,8]
                                 [--starts S] [--workers W]

1. **The study, again.** Every initialisation × width × optimiser of the study
   (docs/10-measured.md), from ``snippets.study.experiment.starts`` (``STARTS`` seeded starts
   each), trained by ``snippets.study.trainer.train_batch`` for the study's ``EPOCHS`` and
   classed by ``snippets.outcomes.classify``, exactly as the study does.
2. **Longer runs.** Per width, a deterministic sample of the stuck runs, the first ``N`` by
   start index (pooled over initialisations and optimisers, each remembering its setting),
   together with the first ``K`` starts of every setting whatever their outcome (the
   *population*, to see how all three shares move with the budget), is trained from its starts
   for ``EPOCHS + more`` epochs with the trainer's own ``Networks`` and ``Stepper``: one
   uninterrupted run, so momentum's velocity and Adam's moments carry on, and the weights at
   ``EPOCHS`` are checked to equal step 1's bit for bit. At every checkpoint a run is classed
   by its losses over the ``WINDOW`` epochs up to it, as ``train_batch(start, checkpoint)``
   would class it.
3. **What they are.** For the sampled runs stuck at ``EPOCHS`` and at the end: the largest
   |w₁| of the hidden units, the length of the averaged gradient, the Hessian's eigenvalues
   (``snippets.gradcheck.hessian``, ``snippets.portable.symmetric_eigenvalues``), the
   predictions, w₂ and b₂. And a prediction from theory to compare them with: when every
   w₁ = 0 the network is a constant c = Σⱼ w₂⁽ʲ⁾·σ(b₁⁽ʲ⁾) + b₂, and with c = ȳ every gradient
   vanishes, because the residual ŷ − y = ȳ − y is orthogonal to 1 and to x. Letting the other
   weights settle, the loss there grows to second order as ½·δw₁ᵀ K δw₁ with
   K = var(x)·u uᵀ + mean((ȳ − y)·x²)·diag(w₂σ″(b₁)), u = w₂σ′(b₁): the first term is the cost of
   tilting the flat line, the second the only gain, a bend correlated with the targets' x²
   component. K positive definite: a local minimum (a valley floor of critical points, loss
   exactly ȳ's); K with a negative eigenvalue: a saddle.

The training is the trainer's arithmetic (portable, bit for bit the study's); NumPy is used only
for the statistics of the report.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from snippets.gradcheck import hessian
from snippets.lesson import EPOCHS, WIDTHS, X, Y
from snippets.linear import mean_prediction_loss
from snippets.network import sigmoid
from snippets.optimisers import OPTIMISERS
from snippets.outcomes import WINDOW, classify
from snippets.portable import symmetric_eigenvalues
from snippets.study.experiment import INITIALISATIONS, STARTS, starts
from snippets.study.trainer import Batch, Networks, Stepper, evaluate, train_batch

INITS = tuple(INITIALISATIONS)
OPTS = tuple(OPTIMISERS)
SADDLE = -1e-6  # a smallest Hessian eigenvalue below this is a measurable way down
FLAT = 1e-6  # |eigenvalue| below this: a flat direction (finite differences resolve ~1e-10)
Y_BAR = float(np.mean(Y))
PLATEAU = mean_prediction_loss(Y)
VAR_X = float(np.mean((X - np.mean(X)) ** 2))  # 1.25: the cost of tilting the flat line
BEND = float(np.mean((Y_BAR - Y) * X * X))  # 0.5: what a bend of the right sign gains
LABEL = 36  # width of the first column of the outcome tables
PER_SETTING_MIN = 20  # settings with fewer sampled networks are pooled but not listed


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- step 1


def study_task(task: tuple[int, str, int]) -> tuple[int, str, np.ndarray, np.ndarray, float]:
    """One width and optimiser of the study, every initialisation in one batch, as the study."""
    width, opt, count = task
    t0 = time.perf_counter()
    together = Batch.join([starts(init, width, count) for init in INITS])
    run = train_batch(together, X, Y, opt, EPOCHS)
    outcome = classify(run.recent, Y).reshape(len(INITS), count)
    return width, opt, outcome, run.final.weights, time.perf_counter() - t0


# ---------------------------------------------------------------------------- step 2


def train_with_checkpoints(
    start: Batch, opt: str, checkpoints: tuple[int, ...]
) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """``train_batch``'s loop, run once to the last checkpoint, keeping every checkpoint's
    weights and its last ``WINDOW`` losses (``recent``), as ``train_batch(start, c)`` has them."""
    total = checkpoints[-1]
    nets = Networks(start.weights.astype(float, copy=True), X, Y)
    step = Stepper(OPTIMISERS[opt], nets.weights.shape)
    recent = {c: np.empty((start.size, WINDOW)) for c in checkpoints}
    weights: dict[int, np.ndarray] = {}
    keep = set(checkpoints)
    for epoch in range(total + 1):
        nets.forward()
        windows = [c for c in checkpoints if c - WINDOW < epoch <= c]
        if windows:
            loss = nets.loss()
            for c in windows:
                recent[c][:, epoch - (c - WINDOW + 1)] = loss
        if epoch in keep:
            weights[epoch] = nets.weights.copy()
        if epoch < total:
            nets.backward()
            step(nets.weights, nets.gradients)
    return recent, weights


def theory_curvature(p_w2: np.ndarray, p_b1: np.ndarray) -> float:
    """Smallest eigenvalue of K = var(x)·u uᵀ + mean((ȳ − y)x²)·diag(w₂σ″(b₁)) at w₁ = 0."""
    s = sigmoid(p_b1)
    u = p_w2 * s * (1 - s)  # w₂σ′(b₁): how the output tilts per unit of w₁
    bend = u * (1 - 2 * s)  # w₂σ″(b₁): how it bends per unit of w₁²
    k = VAR_X * np.outer(u, u) + BEND * np.diag(bend)
    return float(symmetric_eigenvalues(k)[0])


def curvatures(batch: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per network: the Hessian's smallest eigenvalue, its count of flat directions, and the
    smallest eigenvalue of the theory's K."""
    smallest, flat, theory = (np.empty(batch.size) for _ in range(3))
    for i in range(batch.size):
        p = batch.network(i)
        eig = symmetric_eigenvalues(hessian(p, X, Y))
        smallest[i], flat[i] = eig[0], np.sum(np.abs(eig) < FLAT)
        theory[i] = theory_curvature(p.w2, p.b1)
    return smallest, flat, theory


def longer_task(task: tuple) -> dict:
    """Train one width and optimiser's members to every checkpoint; diagnose the sampled ones
    stuck at the first and the last checkpoint."""
    width, opt, members, sampled, checkpoints, count = task
    t0 = time.perf_counter()
    pools = {k: starts(init, width, count) for k, init in enumerate(INITS)}
    start = Batch.join([pools[k].take([i]) for k, i in members])
    recent, weights = train_with_checkpoints(start, opt, checkpoints)
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    hess = {}
    for c in (checkpoints[0], checkpoints[-1]):
        which = np.flatnonzero(sampled & (classify(recent[c], Y) == "stuck"))
        hess[c] = (which, *curvatures(Batch(weights[c]).take(which)))
    return {
        "width": width,
        "opt": opt,
        "members": members,
        "sampled": sampled,
        "recent": recent,
        "weights": weights,
        "hess": hess,
        "t_train": t_train,
        "t_hess": time.perf_counter() - t0,
    }


# ---------------------------------------------------------------------------- running


def run_tasks(fn, tasks: list, workers: int, label: str, cost) -> list:
    """Results of ``fn`` on every task, longest first, in ``workers`` fresh processes."""
    order = sorted(range(len(tasks)), key=lambda k: -cost(tasks[k]))
    done, t0 = {}, time.perf_counter()
    if workers <= 1:
        for n, k in enumerate(order, 1):
            done[k] = fn(tasks[k])
            log(f"{label}: {n} of {len(tasks)} done, {time.perf_counter() - t0:.0f} s")
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {pool.submit(fn, tasks[k]): k for k in order}
            for n, future in enumerate(as_completed(futures), 1):
                done[futures[future]] = future.result()
                log(f"{label}: {n} of {len(tasks)} done, {time.perf_counter() - t0:.0f} s")
    return [done[k] for k in range(len(tasks))]


# ---------------------------------------------------------------------------- the report


def q(values: np.ndarray, fmt: str = ".1e") -> str:
    """5 %, 50 % and 95 % quantiles (numpy's default interpolation), or a dash if none."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return "—"
    a, b, c = np.quantile(values, [0.05, 0.5, 0.95])
    return f"{a:{fmt}} / {b:{fmt}} / {c:{fmt}}"


def share(count: int, n: int) -> str:
    return f"{count}/{n} ({100 * count / n:.1f} %)" if n else "0/0"


def setting_name(k: int, opt: str) -> str:
    return f"{INITS[k]}+{opt}"


def describe(weights: np.ndarray, width: int, hess: tuple | None, indent: str) -> list[str]:
    """Statistics of some stuck networks' weights (columns of ``weights``)."""
    batch = Batch(weights)
    n = batch.size
    if n == 0:
        return [f"{indent}(none)"]
    e = evaluate(batch, X, Y)
    g = e.gradients.weights
    grad = np.sqrt(np.sum(g * g, axis=0))
    w1 = np.max(np.abs(batch.w1), axis=0)
    off = np.max(np.abs(e.y_hat - Y_BAR), axis=0)
    spread = np.max(e.y_hat, axis=0) - np.min(e.y_hat, axis=0)
    hidden = np.mean(e.y_hat, axis=0) - batch.b2  # Σⱼ w₂σ(z₁), the hidden units' share of ŷ
    lines = [
        f"{indent}largest |w1| of the units   {q(w1)}",
        f"{indent}‖averaged gradient‖         {q(grad)}",
        f"{indent}max |ŷ − ȳ| of the points  {q(off)}   (largest {np.max(off):.1e})",
        f"{indent}max ŷ − min ŷ (spread)      {q(spread)}",
        f"{indent}loss − {PLATEAU:<21}{q(e.cost - PLATEAU)}",
        f"{indent}largest |w2| of the units   {q(np.max(np.abs(batch.w2), axis=0), '.3f')}",
        f"{indent}b2                          {q(batch.b2, '.3f')}",
        f"{indent}Σ w2·σ(z1) (hidden part)    {q(hidden, '.3f')}",
    ]
    if hess is not None:
        _, smallest, flat, theory = hess
        down = smallest < SADDLE
        lines += [
            f"{indent}λmin(Hessian)               {q(smallest)}",
            f"{indent}  λmin < {SADDLE:g} (a saddle)  {share(int(np.sum(down)), n)};"
            f" none below: {share(int(np.sum(~down)), n)}",
            f"{indent}  flat directions |λ|<{FLAT:g}   median {np.median(flat):.0f}"
            f" (expected {2 * width} on the w1 = 0 valley)",
            f"{indent}λmin(K), theory at w1 = 0   {q(theory)}   (meaningful only where w1 ≈ 0)",
            f"{indent}  K < 0 vs Hessian < {SADDLE:g}: both {int(np.sum(down & (theory < 0)))},"
            f" K only {int(np.sum(~down & (theory < 0)))},"
            f" Hessian only {int(np.sum(down & (theory >= 0)))},"
            f" neither {int(np.sum(~down & (theory >= 0)))}",
        ]
    return lines


def outcome_cells(classes: dict[int, np.ndarray], mask: np.ndarray, checkpoints) -> str:
    cells = []
    for c in checkpoints:
        o = classes[c][mask]
        cells.append("/".join(f"{int(np.sum(o == name))}" for name in ("stuck", "fits", "other")))
    return "".join(f"{cell:>14}" for cell in cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-width", type=int, default=400, help="stuck runs sampled per width")
    parser.add_argument("--more", type=int, default=48_000, help="epochs after the study's")
    parser.add_argument("--population", type=int, default=100, help="first K starts per setting")
    parser.add_argument("--checkpoints", default="5000,10000,20000", help="epochs in between")
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--starts", type=int, default=STARTS, help="starts per setting (study)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    if args.more < WINDOW:
        parser.error(f"--more must be at least {WINDOW} (the classifying window)")
    widths = tuple(int(w) for w in args.widths.split(","))
    total = EPOCHS + args.more
    between = (int(c) for c in args.checkpoints.split(",") if c)
    checkpoints = tuple(sorted({EPOCHS, total, *(c for c in between if EPOCHS < c < total)}))
    wall = {}

    # ---- step 1: the study
    t0 = time.perf_counter()
    tasks = [(w, o, args.starts) for w in widths for o in OPTS]
    results = run_tasks(study_task, tasks, args.workers, "study", lambda t: 2 + t[0])
    wall["1. the study, 2,000 epochs"] = time.perf_counter() - t0
    outcome = {(w, o): out for w, o, out, _, _ in results}
    final = {(w, o): fw for w, o, _, fw, _ in results}

    out = [
        f"STUCK RUNS: the study regenerated ({args.starts} starts per setting, "
        f"{EPOCHS:,} epochs), then its stuck runs trained to {total:,} epochs",
        f"'stuck' = loss within 1e-3 of {PLATEAU} over the last {WINDOW} epochs up to the epoch "
        "named; 'fits' = below 1e-3 throughout them; 'other' = neither",
        "",
        f"1. Stuck runs at 2,000 epochs, of {args.starts} per setting (init+optimiser)",
    ]
    header = "".join(f"{setting_name(k, o):>17}" for k in range(len(INITS)) for o in OPTS)
    out.append(f"{'width':>6}{header}{'all':>8}")
    grand = 0
    for w in widths:
        counts = [int(np.sum(outcome[w, o][k] == "stuck")) for k in range(len(INITS)) for o in OPTS]
        grand += sum(counts)
        out.append(f"{w:>6}" + "".join(f"{c:>17}" for c in counts) + f"{sum(counts):>8}")
    by_init = {
        init: sum(int(np.sum(outcome[w, o][k] == "stuck")) for w in widths for o in OPTS)
        for k, init in enumerate(INITS)
    }
    out.append(
        f"all stuck: {grand:,} of {len(widths) * len(INITS) * len(OPTS) * args.starts:,}; by "
        "initialisation: " + ", ".join(f"{i} {c:,}" for i, c in by_init.items())
    )

    # ---- the samples
    plans = {}
    for w in widths:
        stuck = sorted(
            (i, k, j)
            for j, o in enumerate(OPTS)
            for k in range(len(INITS))
            for i in np.flatnonzero(outcome[w, o][k] == "stuck").tolist()
        )[: args.per_width]
        for j, o in enumerate(OPTS):
            chosen = {(k, i) for i, k, jj in stuck if jj == j}
            population = {(k, i) for k in range(len(INITS)) for i in range(args.population)}
            members = sorted(chosen | population)
            if members:
                sampled = np.array([m in chosen for m in members])
                plans[w, o] = (members, sampled)

    # ---- step 2: longer runs
    t0 = time.perf_counter()
    tasks = [(w, o, m, s, checkpoints, args.starts) for (w, o), (m, s) in plans.items()]
    results = run_tasks(
        longer_task, tasks, args.workers, "longer runs", lambda t: (2 + t[0]) * (1 + len(t[2]))
    )
    wall[f"2+3. longer runs to {total:,} epochs and their Hessians"] = time.perf_counter() - t0
    t_train = sum(r["t_train"] for r in results)
    t_hess = sum(r["t_hess"] for r in results)

    # check: the weights at EPOCHS are the study's, bit for bit, and so are the classes
    for r in results:
        w, o = r["width"], r["opt"]
        columns = [k * args.starts + i for k, i in r["members"]]
        if not np.array_equal(r["weights"][EPOCHS], final[w, o][:, columns]):
            raise SystemExit(f"width {w}, {o}: the long runs do not retrace train_batch")
        if not all(
            c == outcome[w, o][k][i]
            for c, (k, i) in zip(classify(r["recent"][EPOCHS], Y), r["members"])
        ):
            raise SystemExit(f"width {w}, {o}: classes at {EPOCHS} differ from the study's")

    t0 = time.perf_counter()
    cols = "".join(f"{c:>14,}" for c in checkpoints)
    out += [
        "",
        f"(check: every long run's weights at {EPOCHS:,} epochs equal train_batch's bit for bit)",
        "",
        f"2. The stuck sample at each checkpoint: stuck/fits/other. Per width, the first "
        f"{args.per_width} stuck runs ordered by (start index, initialisation, optimiser), i.e. "
        "every stuck run among the first few starts of every setting",
    ]
    for w in widths:
        mine = [r for r in results if r["width"] == w]
        n = sum(int(np.sum(r["sampled"])) for r in mine)
        pooled = sum(int(np.sum(outcome[w, o] == "stuck")) for o in OPTS)
        out.append(f"  {f'width {w}: {n} of its {pooled:,} stuck runs':<{LABEL}}{cols}")
        if not n:
            continue
        rows, pooled_classes = {}, {c: [] for c in checkpoints}
        for r in mine:
            classes = {c: classify(r["recent"][c], Y) for c in checkpoints}
            for c in checkpoints:
                pooled_classes[c].append(classes[c][r["sampled"]])
            for k in range(len(INITS)):
                mask = r["sampled"] & np.array([m[0] == k for m in r["members"]])
                if np.any(mask):
                    label = f"    {setting_name(k, r['opt'])} ({int(np.sum(mask))})"
                    cells = outcome_cells(classes, mask, checkpoints)
                    rows[k, OPTS.index(r["opt"])] = f"{label:<{LABEL + 2}}{cells}"
        merged = {c: np.concatenate(v) for c, v in pooled_classes.items()}
        cells = outcome_cells(merged, np.ones(n, bool), checkpoints)
        out.append(f"{f'    all ({n})':<{LABEL + 2}}{cells}")
        out += [rows[key] for key in sorted(rows)]
        w1_cells, grad_cells = "", ""
        for c in checkpoints:
            still = [
                r["weights"][c][:, r["sampled"] & (classify(r["recent"][c], Y) == "stuck")]
                for r in mine
            ]
            batch = Batch(np.concatenate(still, axis=1))
            if batch.size == 0:
                w1_cells, grad_cells = w1_cells + f"{'—':>14}", grad_cells + f"{'—':>14}"
                continue
            g = evaluate(batch, X, Y).gradients.weights
            w1_cells += f"{np.median(np.max(np.abs(batch.w1), axis=0)):>14.1e}"
            grad_cells += f"{np.median(np.sqrt(np.sum(g * g, axis=0))):>14.1e}"
        out.append(f"{'    the still stuck: median max |w1|':<{LABEL + 2}}{w1_cells}")
        out.append(f"{'                     median ‖gradient‖':<{LABEL + 2}}{grad_cells}")

    out += [
        "",
        f"3. The population (the first {args.population} starts of every setting, whatever "
        "their outcome) at each checkpoint: stuck/fits/other",
    ]
    for w in widths:
        mine = [r for r in results if r["width"] == w]
        out.append(f"  {f'width {w}':<{LABEL}}{cols}")
        rows, pooled_classes = {}, {c: [] for c in checkpoints}
        for r in mine:
            pop = np.array([i < args.population for _, i in r["members"]])
            classes = {c: classify(r["recent"][c], Y) for c in checkpoints}
            for c in checkpoints:
                pooled_classes[c].append(classes[c][pop])
            for k in range(len(INITS)):
                mask = pop & np.array([m[0] == k for m in r["members"]])
                label = f"    {setting_name(k, r['opt'])}"
                cells = outcome_cells(classes, mask, checkpoints)
                rows[k, OPTS.index(r["opt"])] = f"{label:<{LABEL + 2}}{cells}"
        merged = {c: np.concatenate(v) for c, v in pooled_classes.items()}
        m = merged[EPOCHS].size
        cells = outcome_cells(merged, np.ones(m, bool), checkpoints)
        out.append(f"{f'    all ({m})':<{LABEL + 2}}{cells}")
        was = merged[EPOCHS] == "stuck"
        late = "".join(f"{int(np.sum((merged[c] == 'stuck') & ~was)):>14}" for c in checkpoints)
        out.append(f"{'    stuck, but not at 2,000 epochs':<{LABEL + 2}}{late}")
        out += [rows[key] for key in sorted(rows)]

    out += ["", "4. What the sampled stuck runs are (quantiles 5 % / 50 % / 95 %)"]
    for c in (checkpoints[0], checkpoints[-1]):
        for w in widths:
            mine = [r for r in results if r["width"] == w]
            weights, hess, tags = [], [], []
            for r in mine:
                which, smallest, flat, theory = r["hess"][c]
                weights.append(r["weights"][c][:, which])
                hess.append((smallest, flat, theory))
                tags += [setting_name(r["members"][i][0], r["opt"]) for i in which]
            n = len(tags)
            out.append(f"  width {w}, the {n} sampled runs still stuck at {c:,} epochs:")
            if not n:
                continue
            weights = np.concatenate(weights, axis=1)
            smallest, flat, theory = (np.concatenate([h[i] for h in hess]) for i in range(3))
            out += describe(weights, w, (None, smallest, flat, theory), "    ")
            tags = np.array(tags)
            groups = [t for t in dict.fromkeys(tags) if np.sum(tags == t) >= PER_SETTING_MIN]
            if len(groups) > 1:
                out.append(
                    "    by setting (≥ 20 runs): median largest |w1|, median ‖gradient‖, "
                    f"share with λmin < {SADDLE:g}"
                )
                grad = evaluate(Batch(weights), X, Y).gradients.weights
                grad = np.sqrt(np.sum(grad * grad, axis=0))
                w1 = np.max(np.abs(Batch(weights).w1), axis=0)
                for t in sorted(groups):
                    s = tags == t
                    saddles = share(int(np.sum(smallest[s] < SADDLE)), int(np.sum(s)))
                    out.append(
                        f"      {t:<17} n = {int(np.sum(s)):>4}   {np.median(w1[s]):.1e}   "
                        f"{np.median(grad[s]):.1e}   {saddles}"
                    )
    wall["report"] = time.perf_counter() - t0

    out += [
        "",
        "5. Wall time",
        *(f"  {k:<52}{v:>7.1f} s" for k, v in wall.items()),
        f"  {'(of which, summed over the workers: training':<52}{t_train:>7.1f} s",
        f"  {' Hessians and their eigenvalues)':<52}{t_hess:>7.1f} s",
        f"  {'workers':<52}{args.workers:>7}",
    ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
