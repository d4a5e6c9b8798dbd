"""The best any monotone function can do on the data: isotonic regression.

A network with one hidden sigmoid computes ŷ = w₂·σ(w₁x + b₁) + b₂, which only ever rises
or only ever falls as x grows. So its loss can never go below the loss of the best
monotone fit, which the pool-adjacent-violators algorithm finds exactly.

>>> from fractions import Fraction
>>> fit, best = monotone_floor([Fraction(v) for v in (0, 1, 1, 0)])
>>> fit, best
([Fraction(0, 1), Fraction(2, 3), Fraction(2, 3), Fraction(2, 3)], Fraction(1, 12))
"""

from __future__ import annotations

from collections.abc import Sequence


def isotonic_increasing(y: Sequence) -> list:
    """The non-decreasing sequence closest to ``y`` in squared error (pool adjacent violators).

    >>> isotonic_increasing([3.0, 1.0, 2.0])
    [2.0, 2.0, 2.0]
    """
    blocks: list[list] = []  # [sum, count] of each pooled run
    for v in y:
        blocks.append([v, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    return [total / count for total, count in blocks for _ in range(count)]


def monotone_floor(y: Sequence) -> tuple[list, object]:
    """The best monotone fit (rising or falling) and its mean loss ½·(fit − y)², averaged."""

    def cost(fit):
        return sum((f - t) ** 2 for f, t in zip(fit, y, strict=True)) / (2 * len(y))

    rising = isotonic_increasing(y)
    falling = [-v for v in isotonic_increasing([-v for v in y])]
    return min(((fit, cost(fit)) for fit in (rising, falling)), key=lambda fl: fl[1])
