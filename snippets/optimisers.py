"""Ways to turn the averaged gradient into a step: plain gradient descent, momentum, Adam.

The lesson trains with plain gradient descent; 09-starts.md mentions the other two,
10-measured.md measures them and the playground lets a reader try them. Each is one entry of
``OPTIMISERS``: its settings, the memory it keeps between steps, its step, and how the pages
describe it. The study's trainer reads it; ``docs/assets/playground/nn.js`` holds the same
entries for the browser, and the tests run every entry of both. A new optimiser is a new entry
here and there.

>>> OPTIMISERS["momentum"].lr, OPTIMISERS["adam"].beta2
(0.05, 0.999)
>>> optimiser("rmsprop")
Traceback (most recent call last):
ValueError: unknown optimiser 'rmsprop': known are gd, momentum, adam
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from snippets.lesson import LR

Memory = dict[str, np.ndarray | float]


@dataclass(frozen=True)
class Optimiser:
    """How the averaged gradient ``g`` becomes a step; the settings are fixed here, once.

    ``step(self, memory, g, move)`` writes into ``move`` what is subtracted from the weights and
    updates ``memory`` (made by ``start(self, shape)``), in place: ``g``, ``move`` and the
    arrays in ``memory`` have the weights' shape, one network or thousands side by side.
    """

    name: str
    label: str  # how the pages name it
    lr: float  # η
    start: Callable[[Optimiser, tuple[int, ...]], Memory] = field(repr=False)
    step: Callable[[Optimiser, Memory, np.ndarray, np.ndarray], None] = field(repr=False)
    about: str = ""  # a phrase for the pages; {lr}, {beta1}, … are this entry's settings
    beta1: float = 0.0  # momentum's β, or Adam's β₁
    beta2: float = 0.0  # Adam's β₂
    eps: float = 0.0  # Adam's ε

    def described(self) -> str:
        """The phrase the pages use, with this entry's settings filled in."""
        settings = {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}
        return self.about.format(**settings, long_run=self.lr / (1 - self.beta1))


def no_memory(o: Optimiser, shape: tuple[int, ...]) -> Memory:
    return {}


def gradient_descent(o: Optimiser, memory: Memory, g: np.ndarray, move: np.ndarray) -> None:
    """w ← w − η·g"""
    np.multiply(o.lr, g, out=move)


def velocity(o: Optimiser, shape: tuple[int, ...]) -> Memory:
    return {"velocity": np.zeros(shape)}


def heavy_ball(o: Optimiser, memory: Memory, g: np.ndarray, move: np.ndarray) -> None:
    """v ← β·v + g;  w ← w − η·v

    On a steady slope ``v`` grows to ``g/(1 − β) = 10·g``, so η = 0.05 takes the same long-run
    step, 0.5·g, as plain gradient descent: the comparison is about the memory, not about a
    ten times larger step.
    """
    v = memory["velocity"]
    np.multiply(o.beta1, v, out=v)
    np.add(v, g, out=v)
    np.multiply(o.lr, v, out=move)


def moments(o: Optimiser, shape: tuple[int, ...]) -> Memory:
    """Running means of g and g², scratch space, and β₁ᵗ, β₂ᵗ as running products."""
    memory: Memory = {k: np.zeros(shape) for k in ("m", "v")}
    memory |= {k: np.empty(shape) for k in ("m_hat", "v_hat", "g2")}
    return memory | {"beta1_t": 1.0, "beta2_t": 1.0}  # products: exact on every CPU


def adam(o: Optimiser, memory: Memory, g: np.ndarray, move: np.ndarray) -> None:
    """The standard bias-corrected Adam: w ← w − η·m̂/(√v̂ + ε).

    Adam's step is about η per weight per epoch whatever the gradient's size, so η bounds how
    far a weight can travel: 2000 epochs at η = 0.01 allow up to 20, enough to reach a fit
    like the lesson's hand-made one (weights up to 10.5); the common default η = 0.001 allows
    2 and cannot get there within the budget. Neither η was tuned on the study's outcome, but
    the outcome depends on them: "stuck" is a statement about the step as much as the start.
    """
    m, v, m_hat, v_hat, g2 = (memory[k] for k in ("m", "v", "m_hat", "v_hat", "g2"))
    memory["beta1_t"] *= o.beta1
    memory["beta2_t"] *= o.beta2
    np.multiply(o.beta1, m, out=m)
    np.multiply(1 - o.beta1, g, out=move)
    np.add(m, move, out=m)  # m ← β₁·m + (1 − β₁)·g
    np.multiply(g, g, out=g2)
    np.multiply(1 - o.beta2, g2, out=g2)
    np.multiply(o.beta2, v, out=v)
    np.add(v, g2, out=v)  # v ← β₂·v + (1 − β₂)·g²
    np.divide(m, 1 - memory["beta1_t"], out=m_hat)  # m̂ = m / (1 − β₁ᵗ)
    np.divide(v, 1 - memory["beta2_t"], out=v_hat)  # v̂ = v / (1 − β₂ᵗ)
    np.sqrt(v_hat, out=move)
    np.add(move, o.eps, out=move)
    np.divide(m_hat, move, out=move)  # m̂ / (√v̂ + ε)
    np.multiply(o.lr, move, out=move)


OPTIMISERS: dict[str, Optimiser] = {
    o.name: o
    for o in (
        Optimiser(
            "gd",
            "gradient descent",
            LR,
            no_memory,
            gradient_descent,
            about="plain gradient descent with $\\eta = {lr:g}$, as everywhere on this site",
        ),
        Optimiser(
            "momentum",
            "momentum",
            0.05,
            velocity,
            heavy_ball,
            beta1=0.9,
            about="momentum ($\\beta = {beta1:g}$) with $\\eta = {lr:g}$, so that its long-run "
            "step $\\eta / (1 - \\beta) = {long_run:g}$ matches plain descent",
        ),
        Optimiser(
            "adam",
            "Adam",
            0.01,
            moments,
            adam,
            beta1=0.9,
            beta2=0.999,
            eps=1e-8,
            about="Adam with $\\eta = {lr:g}$ ($\\beta_1 = {beta1:g}$, $\\beta_2 = {beta2:g}$)",
        ),
    )
}


def optimiser(name: str) -> Optimiser:
    """The entry called ``name``; an unknown name is an error, never a silent default."""
    if name not in OPTIMISERS:
        raise ValueError(f"unknown optimiser {name!r}: known are {', '.join(OPTIMISERS)}")
    return OPTIMISERS[name]
