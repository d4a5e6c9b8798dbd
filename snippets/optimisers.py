"""Three ways to turn the averaged gradient into a step: plain gradient descent, momentum, Adam.

The lesson trains with plain gradient descent; section 09 mentions the other two, page 10
measures them and the playground lets a reader try them. Their settings are fixed here, once.

>>> OPTIMISERS["momentum"].lr, OPTIMISERS["adam"].beta2
(0.05, 0.999)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from snippets.lesson import LR

OptimiserName = Literal["gd", "momentum", "adam"]


@dataclass(frozen=True)
class Optimiser:
    """How the averaged gradient ``g`` becomes a step; the settings are fixed here, once.

    * ``gd``: ``w ← w − η·g`` with the lesson's η (``LR`` = 0.5).
    * ``momentum`` (heavy ball): ``v ← β·v + g``, ``w ← w − η·v`` with β = 0.9 and η = 0.05.
      On a steady slope ``v`` grows to ``g/(1 − β) = 10·g``, so η = 0.05 takes the same long-run
      step, 0.5·g, as plain gradient descent: the comparison is about the memory, not about a
      ten times larger step.
    * ``adam``: the standard bias-corrected Adam, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, η = 0.01.
      Adam's step is about η per weight per epoch whatever the gradient's size, so η bounds how
      far a weight can travel: 2000 epochs at η = 0.01 allow up to 20, enough to reach a fit
      like the lesson's hand-made one (weights up to 10.5); the common default η = 0.001 allows
      2 and cannot get there within the budget.

    Neither η was tuned on the study's outcome, but the outcome depends on them: "stuck" is a
    statement about the step size as much as about the start.
    """

    name: OptimiserName
    label: str  # how the pages name it
    lr: float
    beta1: float = 0.0  # momentum's β, or Adam's β₁
    beta2: float = 0.0  # Adam's β₂
    eps: float = 0.0  # Adam's ε


OPTIMISERS: dict[str, Optimiser] = {
    o.name: o
    for o in (
        Optimiser("gd", "gradient descent", lr=LR),
        Optimiser("momentum", "momentum", lr=0.05, beta1=0.9),
        Optimiser("adam", "Adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
    )
}
