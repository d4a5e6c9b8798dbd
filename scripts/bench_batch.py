"""Measure why the site has two fast copies of network.train's arithmetic.

Usage: python scripts/bench_batch.py   (from the repository root)

1. The batch trainer (many networks at once): the study's first 1000 small random starts of
   width 2, trained with plain gradient descent for the study's budget, once by
   ``snippets.study.trainer.train_batch`` (all at once) and once by
   ``snippets.network.train`` (one at a time). The one-at-a-time path is timed on the first
   ``SUBSET`` networks and scaled linearly to all of them, which a second line says.
2. Training in Python floats (one network, many epochs): ``snippets.book.runs.train_in_floats``
   against ``network.train`` on the lesson's network for ``LONG`` epochs.

Each checks that both paths give the same bits.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from snippets.book.runs import train_in_floats
from snippets.lesson import EPOCHS, LR, START, X, Y
from snippets.network import train
from snippets.study.experiment import starts
from snippets.study.trainer import train_batch

NETWORKS = 1000
WIDTH = 2
SUBSET = 50  # networks trained one at a time; the time is scaled to NETWORKS
LONG = 20_000  # epochs of the one-network comparison


def main() -> None:
    batch = starts("small", WIDTH, NETWORKS)
    train_batch(batch, X, Y, "gd", 10)  # warm up: first calls pay for imports and caches
    t0 = time.perf_counter()
    run = train_batch(batch, X, Y, "gd", EPOCHS)
    batch_seconds = time.perf_counter() - t0

    t0 = time.perf_counter()
    alone = [train(batch.network(i), X, Y, LR, EPOCHS) for i in range(SUBSET)]
    single_seconds = (time.perf_counter() - t0) * NETWORKS / SUBSET
    for i, r in enumerate(alone):
        if r.costs[-1] != run.final_cost[i] or not np.array_equal(r.final.w1, run.final.w1[:, i]):
            raise SystemExit(f"network {i}: the batch and network.train disagree")

    print(f"batch training speedup: {single_seconds / batch_seconds:.0f}")
    each = single_seconds / NETWORKS * 1000
    print(
        f"{NETWORKS} width-{WIDTH} networks, gradient descent, {EPOCHS} epochs: batch "
        f"{batch_seconds:.3f} s; one at a time {single_seconds:.1f} s, timed on {SUBSET} "
        f"networks ({each:.1f} ms each) and scaled ×{NETWORKS // SUBSET}"
    )

    t0 = time.perf_counter()
    floats = train_in_floats(START, X, Y, LR, LONG)
    floats_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    numpy = train(START, X, Y, LR, LONG)
    numpy_seconds = time.perf_counter() - t0
    if not np.array_equal(floats.costs, numpy.costs):
        raise SystemExit("train_in_floats and network.train disagree")
    print(
        f"one network in Python floats: {numpy_seconds / floats_seconds:.1f}x faster than "
        f"network.train ({LONG:,} epochs: {floats_seconds:.2f} s against {numpy_seconds:.2f} s)"
    )


if __name__ == "__main__":
    main()
