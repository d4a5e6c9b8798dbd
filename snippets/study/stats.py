"""Confidence intervals for a share: how sure can we be of "k out of n"?

The Wilson score interval (Wilson 1927) is the set of proportions p that a two-sided test at
the 95% level would not reject after seeing k successes in n trials; unlike the textbook
p̂ ± 1.96·√(p̂(1 − p̂)/n) it stays inside [0, 1] and does not collapse to a point at 0 of n.

>>> low, high = wilson(81, 263)
>>> round(low, 4), round(high, 4)
(0.2553, 0.3662)
>>> wilson(0, 10)[0], round(wilson(0, 10)[1], 4)
(0.0, 0.2775)
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5% quantile: 95% two-sided


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``k`` successes in ``n`` trials.

    centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z·√(p̂(1 − p̂)/n + z²/4n²) / (1 + z²/n)

    >>> [round(v, 4) for v in wilson(5, 10)]
    [0.2366, 0.7634]
    >>> round(wilson(10, 10)[0], 4), wilson(10, 10)[1]
    (0.7225, 1.0)
    >>> wilson(3, 0)
    Traceback (most recent call last):
    ...
    ValueError: need 0 <= k <= n and n > 0, got k=3, n=0
    """
    if not 0 <= k <= n or n <= 0:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    p = k / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # at k = 0 (k = n) the bound is exactly 0 (1); rounding could leave it a hair off
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high
