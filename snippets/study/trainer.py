"""Train many networks at once, with bit for bit the arithmetic of :mod:`snippets.network`.

A :class:`Batch` holds ``N`` networks of one hidden width as one array of weights, one column
per network, laid out as :func:`snippets.network.split` says (rows w1, then b1, w2, b2).
:func:`train_batch` trains them all together on the data and records, per network, the final
weights, the final cost and the costs of the last ``WINDOW`` epochs, from which
:func:`snippets.outcomes.classify` decides whether it fits, is stuck or neither.

Why a second copy of the maths: the study trains 45,000 networks, and NumPy's cost is per call,
not per number, so one call for all networks instead of one per network is what makes it
affordable (``nox -s bench`` measures the difference). Why *bit for bit*: while a run escapes
the mean-prediction plateau, gradient descent at η = 0.5 magnifies a difference in the last bit
to a difference of 0.2 in the loss within a few hundred epochs, so a copy that were only "equal
up to rounding" would not train the same networks. Each step below is therefore the step of
``network.forward``, ``backward``, ``average`` and ``update``, in the same order, and the tests
check that a network trained here ends exactly where ``network.train`` takes it.

>>> from snippets.lesson import START, X, Y
>>> from snippets.network import train
>>> run = train_batch(Batch.stack([START, START]), X, Y, "gd", epochs=2000)
>>> run.final_cost.tolist() == [train(START, X, Y, 0.5, 2000).costs[-1]] * 2
True
>>> round(float(run.final_cost[0]), 6)
0.085321
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np

from snippets.lesson import EPOCHS
from snippets.network import Params, split, to_vector
from snippets.optimisers import Optimiser
from snippets.optimisers import optimiser as registered
from snippets.outcomes import WINDOW
from snippets.portable import Exp


@dataclass(frozen=True)
class Batch:
    """``N`` networks of one width: ``weights`` has shape ``(3·width + 1, N)``, a column each.

    >>> from snippets.lesson import BUMP_START
    >>> b = Batch.stack([BUMP_START, BUMP_START])
    >>> b.size, b.width, b.w1.shape, b.b2.shape
    (2, 2, (2, 2), (2,))
    >>> b.network(1).b1
    array([ -4.5, -10.5])
    """

    weights: np.ndarray

    @classmethod
    def stack(cls, params: Sequence[Params]) -> Batch:
        """Put single networks (all of one width) side by side."""
        return cls(np.stack([to_vector(p) for p in params], axis=1))

    @property
    def size(self) -> int:
        """How many networks."""
        return self.weights.shape[1]

    @property
    def width(self) -> int:
        """How many hidden neurons each network has."""
        return (self.weights.shape[0] - 1) // 3

    @property
    def w1(self) -> np.ndarray:
        """Input weights, shape (width, N); likewise ``b1`` and ``w2``; ``b2`` has shape (N,)."""
        return split(self.weights, self.width)[0]

    @property
    def b1(self) -> np.ndarray:
        return split(self.weights, self.width)[1]

    @property
    def w2(self) -> np.ndarray:
        return split(self.weights, self.width)[2]

    @property
    def b2(self) -> np.ndarray:
        return split(self.weights, self.width)[3]

    def network(self, i: int) -> Params:
        """Network ``i`` as the single-network :class:`~snippets.network.Params`."""
        return Params.from_vector(self.weights[:, i].copy())

    def take(self, which: np.ndarray | slice) -> Batch:
        """The networks that ``which`` (a mask, indices or a slice) selects."""
        return Batch(self.weights[:, which])

    @staticmethod
    def join(batches: Sequence[Batch]) -> Batch:
        """Several batches of one width as one."""
        return Batch(np.concatenate([b.weights for b in batches], axis=1))


class Networks:
    """N networks of one width and everything one forward and backward pass computes for them.

    The weights are a ``(3·width + 1, N)`` array (updated in place by an optimiser). Every
    per-point quantity is a ``(points, width, N)`` or ``(points, N)`` array allocated once, so
    each NumPy call runs along long rows, and each holds one quantity, named as in
    ``network.py``. The per-point gradients sit in ``per_point``, laid out like the weights.
    """

    def __init__(self, weights: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
        self.weights = weights
        self.width = (weights.shape[0] - 1) // 3
        self.w1, self.b1, self.w2, self.b2 = split(weights, self.width)
        self.x = np.asarray(x, dtype=float)[:, None, None]  # (points, 1, 1)
        self.y = np.asarray(y, dtype=float)[:, None]  # (points, 1)
        points, n = self.x.shape[0], weights.shape[1]
        shape = (points, self.width, n)
        self.z1, self.minus_abs_z1, self.e, self.numerator, self.one_plus_e, self.a1 = (
            np.empty(shape) for _ in range(6)
        )
        self.exp = Exp(shape)
        self.y_hat, self.term, self.squared = (np.empty((points, n)) for _ in range(3))
        self.dL_da1, self.da1_dz1 = np.empty(shape), np.empty(shape)
        self.per_point = np.empty((points, *weights.shape))
        self.dL_dw1, self.dL_db1, self.dL_dw2, self.dL_db2 = split(self.per_point, self.width, 1)
        self.dL_dyhat = self.dL_db2  # ∂L/∂b₂ = ∂L/∂ŷ · 1: one array, two names for one value
        self.dL_dz1 = self.dL_db1  # likewise ∂L/∂b₁ = ∂L/∂z₁ · 1
        self.gradients = np.empty_like(weights)  # averaged over the points
        self.costs = np.empty(n)  # one cost C per network

    def forward(self) -> None:
        """``network.forward`` for every network, then ∂L/∂ŷ = ŷ − y."""
        np.multiply(self.x, self.w1, out=self.z1)  # z₁ = w₁·x + b₁
        np.add(self.z1, self.b1, out=self.z1)
        np.abs(self.z1, out=self.minus_abs_z1)
        np.negative(self.minus_abs_z1, out=self.minus_abs_z1)
        self.exp(self.minus_abs_z1, out=self.e)  # e = e^(−|z₁|)
        # σ = 1/(1 + e) where z₁ ≥ 0 and e/(1 + e) elsewhere: the numerator is 1 or e, and since
        # e ≤ 1 it is max(e, [z₁ ≥ 0]), one division instead of two and a np.where.
        np.greater_equal(self.z1, 0.0, out=self.numerator)
        np.maximum(self.numerator, self.e, out=self.numerator)
        np.add(self.e, 1.0, out=self.one_plus_e)
        np.divide(self.numerator, self.one_plus_e, out=self.a1)
        # ŷ = Σⱼ w₂⁽ʲ⁾·a₁⁽ʲ⁾ + b₂, summed over j in order, as network.forward does
        np.multiply(self.a1[:, 0], self.w2[0], out=self.y_hat)
        for j in range(1, self.width):
            np.multiply(self.a1[:, j], self.w2[j], out=self.term)
            np.add(self.y_hat, self.term, out=self.y_hat)
        np.add(self.y_hat, self.b2, out=self.y_hat)
        np.subtract(self.y_hat, self.y, out=self.dL_dyhat)

    def cost(self) -> np.ndarray:
        """The cost C of every network, from the last :meth:`forward` (``np.mean``'s order)."""
        np.multiply(self.dL_dyhat, self.dL_dyhat, out=self.squared)  # (ŷ − y)²
        np.multiply(self.squared, 0.5, out=self.squared)
        total = self.costs
        np.copyto(total, self.squared[0])
        for point in self.squared[1:]:
            np.add(total, point, out=total)
        return np.divide(total, self.squared.shape[0], out=total)

    def backward(self) -> None:
        """``network.backward`` then ``average``: the averaged gradients into ``gradients``."""
        dL_dyhat = self.dL_dyhat[:, None, :]
        np.multiply(dL_dyhat, self.a1, out=self.dL_dw2)  # ∂L/∂w₂ = ∂L/∂ŷ · a₁
        np.multiply(dL_dyhat, self.w2, out=self.dL_da1)  # ∂L/∂a₁ = ∂L/∂ŷ · w₂
        np.subtract(1.0, self.a1, out=self.da1_dz1)
        np.multiply(self.a1, self.da1_dz1, out=self.da1_dz1)  # σ′(z₁) = a₁·(1 − a₁)
        np.multiply(self.dL_da1, self.da1_dz1, out=self.dL_dz1)  # ∂L/∂z₁ = ∂L/∂a₁ · σ′(z₁)
        np.multiply(self.dL_dz1, self.x, out=self.dL_dw1)  # ∂L/∂w₁ = ∂L/∂z₁ · x
        # the average over the points, as np.mean takes it: summed first to last, then divided
        g = self.gradients
        np.copyto(g, self.per_point[0])
        for point in self.per_point[1:]:
            np.add(g, point, out=g)
        np.divide(g, self.per_point.shape[0], out=g)


class Stepper:
    """The optimisers' memories for N networks, and their step: ``weights ← weights − move``.

    Each network has its optimiser: the networks of one optimiser side by side are one block
    of columns, stepped through views of the weights and gradients (so in place). One batch
    may so hold several optimisers' networks and share the forward and backward passes.
    """

    def __init__(self, names: Sequence[str], shape: tuple[int, ...]) -> None:
        self.blocks = []
        first = 0
        for name, same in groupby(names):
            count = len(list(same))
            opt, block = registered(name), (shape[0], count)
            self.blocks.append(
                (opt, slice(first, first + count), np.empty(block), opt.start(opt, block))
            )
            first += count

    def __call__(self, weights: np.ndarray, g: np.ndarray) -> None:
        for opt, columns, move, memory in self.blocks:
            opt.step(opt, memory, g[:, columns], move)
            np.subtract(weights[:, columns], move, out=weights[:, columns])


@dataclass(frozen=True)
class BatchRun:
    """What :func:`train_batch` leaves, one entry (or column, or row) per network.

    ``recent[n]`` holds network ``n``'s costs after the last ``WINDOW`` updates (the final
    cost last); ``costs`` (only when asked for) all of them, ``costs[n, k]`` after ``k``
    updates, like ``network.Run.costs``.
    """

    start: Batch
    final: Batch
    final_cost: np.ndarray
    recent: np.ndarray
    epochs: int
    optimisers: tuple[Optimiser, ...]  # each block's, in order (one, unless several were given)
    costs: np.ndarray | None = None
    # at each epoch asked for: the costs of the WINDOW epochs up to it (last is its own), and
    # the weights after that many updates
    at: dict[int, tuple[np.ndarray, Batch]] = field(default_factory=dict)


def train_batch(
    start: Batch,
    x: np.ndarray,
    y: np.ndarray,
    optimiser: str | Sequence[str] = "gd",
    epochs: int = EPOCHS,
    *,
    record_costs: bool = False,
    checkpoints: Sequence[int] = (),
) -> BatchRun:
    """Train every network of ``start`` for ``epochs`` full-batch steps, all at once.

    ``optimiser`` is one name for every network, or a name per network: networks of several
    optimisers share each forward and backward pass, and each ends where it would alone.

    >>> from snippets.lesson import START, X, Y
    >>> run = train_batch(Batch.stack([START]), X, Y, "gd", epochs=2000, record_costs=True)
    >>> run.costs.shape, run.recent.shape, bool(run.recent[0, -1] == run.final_cost[0])
    ((1, 2001), (1, 100), True)
    """
    names = [optimiser] * start.size if isinstance(optimiser, str) else list(optimiser)
    if len(names) != start.size:
        raise ValueError(f"{len(names)} optimisers for {start.size} networks")
    nets = Networks(start.weights.astype(float, copy=True), x, y)
    step = Stepper(names, nets.weights.shape)
    ends = sorted({*checkpoints, epochs})
    if ends[0] < 1 or ends[-1] > epochs:
        raise ValueError(f"checkpoints must lie in 1 … {epochs}, got {list(checkpoints)}")
    windows = {e: np.empty((start.size, min(WINDOW, e + 1))) for e in ends}
    at: dict[int, tuple[np.ndarray, Batch]] = {}
    costs = np.empty((start.size, epochs + 1)) if record_costs else None
    for epoch in range(epochs + 1):
        nets.forward()
        inside = [e for e in ends if e - windows[e].shape[1] < epoch <= e]
        if costs is not None or inside:
            cost = nets.cost()
            if costs is not None:
                costs[:, epoch] = cost
            for e in inside:
                windows[e][:, epoch - (e - windows[e].shape[1] + 1)] = cost
        if epoch in windows and epoch in checkpoints:
            at[epoch] = (windows[epoch], Batch(nets.weights.copy()))
        if epoch < epochs:
            nets.backward()
            step(nets.weights, nets.gradients)
    recent = windows[epochs]
    final = Batch(nets.weights)
    opts = tuple(opt for opt, *_ in step.blocks)
    return BatchRun(start, final, recent[:, -1].copy(), recent, epochs, opts, costs, at)


@dataclass(frozen=True)
class Evaluation:
    """One forward and backward pass of every network of a batch, in :class:`Networks` layout.

    ``z1`` and ``a1`` have shape ``(points, width, N)``, ``y_hat`` ``(points, N)``, ``cost``
    ``(N,)``; ``gradients`` holds the averaged gradients, laid out like the weights.
    """

    z1: np.ndarray
    a1: np.ndarray
    y_hat: np.ndarray
    cost: np.ndarray
    gradients: Batch


def evaluate(batch: Batch, x: np.ndarray, y: np.ndarray) -> Evaluation:
    """Forward, cost and averaged gradients of every network, by the training loop's code.

    >>> from snippets.lesson import START, X, Y
    >>> from snippets.network import gradients
    >>> e = evaluate(Batch.stack([START]), X, Y)
    >>> bool(e.gradients.w1[0, 0] == gradients(START, X, Y).dL_dw1[0])
    True
    >>> e.z1.shape, round(float(e.cost[0]), 6)
    ((4, 1, 1), 0.126712)
    """
    nets = Networks(batch.weights.astype(float, copy=True), x, y)
    nets.forward()
    cost = nets.cost().copy()
    nets.backward()
    return Evaluation(nets.z1, nets.a1, nets.y_hat, cost, Batch(nets.gradients))
