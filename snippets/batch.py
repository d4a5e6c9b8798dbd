"""Train many networks at once: the maths of :mod:`snippets.network`, one column per network.

A :class:`Batch` holds ``N`` networks of one hidden width: ``w1, b1, w2`` have shape
``(N, width)`` and ``b2`` shape ``(N,)``. :func:`train_batch` runs full-batch training on the
four data points for every network together and records, per network, the final loss, the
final weights and how many epochs it actually ran.

The arithmetic is that of ``network.forward``, ``backward``, ``average`` and ``update``,
operation for operation and in the same order: the same σ (``1/(1+e)`` or ``e/(1+e)`` with
``e = exp(−|z|)``), the chain rule link by link, ``np.mean``'s first-to-last sums over the four
points, ``w − η·∂w``, and ``a1 @ w2`` through the very same matmul (one small product per
network, so BLAS sums each dot product in its own order exactly as it does for one network).
So a network trained in a batch ends bit for bit where ``network.train`` takes it. That is
not pedantry: while a run escapes the mean-prediction plateau, gradient descent at η = 0.5
amplifies a difference in the last bit to a difference of 0.2 in the loss within a few
hundred epochs, so "equal to rounding" would not be equal at all.

>>> from snippets.lesson import START, X, Y
>>> from snippets.network import train
>>> run = train_batch(Batch.stack([START, START]), X, Y, "gd", epochs=2000)
>>> run.final_loss.tolist() == [train(START, X, Y, 0.5, 2000).losses[-1]] * 2
True
>>> round(float(run.final_loss[0]), 6), classify(run.final_loss, Y).tolist()
(0.085321, ['other', 'other'])

Inside, the weights of all networks sit in one array with a column per network, and the
per-point arrays are ``(points, width, N)``, so that every NumPy call runs along long
contiguous rows; the work is done in place in a handful of preallocated buffers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from snippets.lesson import EPOCHS
from snippets.network import Params

OptimiserName = Literal["gd", "momentum", "adam"]
Outcome = Literal["fits", "stuck", "other"]

FIT_BELOW = 1e-3  # "fits": the final loss is below this
STUCK_WITHIN = 1e-3  # "stuck": the final loss is within this of the mean-prediction loss
OUTCOMES: tuple[Outcome, ...] = ("fits", "stuck", "other")


@dataclass(frozen=True)
class Optimiser:
    """How the averaged gradient ``g`` turns into a step; the hyper-parameters are fixed here.

    * ``gd``: ``w ← w − η·g`` with the lesson's η = 0.5.
    * ``momentum`` (heavy ball): ``v ← β·v + g``, ``w ← w − η·v`` with β = 0.9 and η = 0.05.
      On a steady slope ``v`` grows to ``g/(1 − β) = 10·g``, so η = 0.05 takes the same long-run
      step, 0.5·g, as plain gradient descent: the comparison is about the memory, not about a
      ten times larger step (η = 0.5 with β = 0.9 would be an effective step of 5).
    * ``adam``: the standard bias-corrected Adam, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, η = 0.01.
      Adam's step is about η per weight per epoch whatever the gradient's size, so η bounds how
      far a weight can travel: 2000 epochs at η = 0.01 allow up to 20, enough to reach a fit
      like the lesson's hand-made one (weights up to 10.5). The common default η = 0.001 allows
      2 and cannot get there within the budget.

    Neither η was tuned on the study's outcome; but the outcome does depend on them. On 300
    starts each of small/2, small/4, Xavier/3 and He/8 (2000 epochs), Adam fits 0% of runs in
    every one at η = 0.001, 89-100% at 0.01, 67-97% at 0.1; momentum leaves 56% of small/2 runs
    stuck at η = 0.05, 95% at 0.005 and none at 0.5 (whose big steps throw runs off the
    plateau, though it fits fewer Xavier/3 runs: 64% against 94%). "Stuck" is a statement about
    the step size as much as about the start.
    """

    name: OptimiserName
    lr: float
    beta1: float = 0.0  # momentum's β, or Adam's β₁
    beta2: float = 0.0  # Adam's β₂
    eps: float = 0.0  # Adam's ε
    freeze: bool = False  # may a network be frozen once it has fitted? (see train_batch)


OPTIMISERS: dict[str, Optimiser] = {
    "gd": Optimiser("gd", lr=0.5, freeze=True),
    "momentum": Optimiser("momentum", lr=0.05, beta1=0.9, freeze=True),
    "adam": Optimiser("adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, freeze=False),
}

FREEZE_BELOW = 1e-6  # a network whose loss is below this is settled (see train_batch)
CHECK_EVERY = 50  # how often (in epochs) training looks for networks to freeze


@dataclass(frozen=True)
class Batch:
    """``N`` networks of one width: ``w1, b1, w2`` of shape ``(N, width)``, ``b2`` of ``(N,)``.

    >>> from snippets.lesson import BUMP_START
    >>> b = Batch.stack([BUMP_START, BUMP_START])
    >>> b.size, b.width, b.b2.shape
    (2, 2, (2,))
    >>> b.network(1).b1
    array([ -4.5, -10.5])
    """

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    @classmethod
    def stack(cls, params: Sequence[Params]) -> Batch:
        """Put single networks (all of one width) side by side."""
        return cls(
            np.array([p.w1 for p in params], dtype=float),
            np.array([p.b1 for p in params], dtype=float),
            np.array([p.w2 for p in params], dtype=float),
            np.array([p.b2 for p in params], dtype=float),
        )

    @property
    def size(self) -> int:
        """How many networks."""
        return self.b2.size

    @property
    def width(self) -> int:
        """How many hidden neurons each network has."""
        return self.w1.shape[1]

    def network(self, i: int) -> Params:
        """Network ``i`` as the single-network :class:`~snippets.network.Params`."""
        return Params(self.w1[i].copy(), self.b1[i].copy(), self.w2[i].copy(), float(self.b2[i]))


@dataclass(frozen=True)
class BatchRun:
    """What :func:`train_batch` leaves, one entry per network.

    ``final_loss[n]`` is the mean loss of ``final`` network ``n``, after ``epochs_run[n]``
    updates; that is the full budget unless the network was frozen early. ``losses`` (only when
    asked for) has one row per network, ``losses[n, k]`` the loss after ``k`` updates like
    ``network.Run.losses``, and NaN after the network was frozen.
    """

    start: Batch
    final: Batch
    final_loss: np.ndarray
    epochs_run: np.ndarray
    epochs: int
    optimiser: Optimiser
    losses: np.ndarray | None = None


def mean_prediction_loss(y: np.ndarray) -> float:
    """The loss of always predicting the mean of ``y``: ½·mean((y − ȳ)²).

    >>> mean_prediction_loss(np.array([0.0, 1.0, 1.0, 0.0]))
    0.125
    """
    return float(0.5 * np.mean((y - y.mean()) ** 2))


def classify(final_loss: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each network's outcome: ``"fits"``, ``"stuck"`` (near the mean prediction) or ``"other"``.

    >>> classify(np.array([1e-9, 0.1249, 0.09, 0.1262]), np.array([0.0, 1.0, 1.0, 0.0]))
    array(['fits', 'stuck', 'other', 'other'], dtype='<U5')
    """
    loss = np.asarray(final_loss, dtype=float)
    stuck = np.abs(loss - mean_prediction_loss(y)) < STUCK_WITHIN
    return np.where(loss < FIT_BELOW, "fits", np.where(stuck, "stuck", "other"))


class _Trainer:
    """The training loop's state for the networks still being trained, one column per network.

    All weights live in one array ``p`` of shape ``(3·width + 1, N)``: rows ``w1``, then
    ``b1``, then ``w2``, then ``b2``; the gradients ``g`` and the optimiser's memory have the
    same layout, so a step is a few NumPy calls whatever the width. The per-point gradients
    are written straight into ``per_point`` (points, 3·width + 1, N), averaged in one go.
    """

    def __init__(self, start: Batch, x: np.ndarray, y: np.ndarray, opt: Optimiser) -> None:
        self.x = np.asarray(x, dtype=float)[:, None, None]  # (points, 1, 1)
        self.y = np.asarray(y, dtype=float)[:, None]  # (points, 1)
        self.opt = opt
        self.points, self.width = self.x.shape[0], start.width
        weights = [start.w1.T, start.b1.T, start.w2.T, start.b2[None, :]]
        self.p = np.ascontiguousarray(np.concatenate(weights, dtype=float))  # (3·width + 1, N)
        # the optimiser's memory: momentum's v, Adam's m and v
        slots = {"gd": 0, "momentum": 1, "adam": 2}[opt.name]
        self.memory = [np.zeros_like(self.p) for _ in range(slots)]
        self.active = np.arange(start.size)
        self._allocate()

    def _allocate(self) -> None:
        rows, n = self.p.shape
        w = self.width
        self.w1, self.b1, self.w2, self.b2 = (
            self.p[:w],
            self.p[w : 2 * w],
            self.p[2 * w : 3 * w],
            self.p[3 * w],
        )
        self.g, self.tmp = np.empty_like(self.p), np.empty_like(self.p)
        self.per_point = np.empty((self.points, rows, n))
        shape = (self.points, w, n)
        self.z, self.e, self.a, self.s, self.t = (np.empty(shape) for _ in range(5))
        self.y_hat = np.empty((self.points, n))
        self.r = self.per_point[:, 3 * w]  # ∂L/∂ŷ = ŷ − y, which is also ∂L/∂b₂ per point
        self.a_nets = np.empty((n, self.points, w))  # a₁ network by network, for matmul
        self.w2_nets = np.empty((n, w, 1))
        self.y_nets = np.empty((n, self.points, 1))

    def keep(self, mask: np.ndarray) -> None:
        """Drop the networks where ``mask`` is False from every array."""
        self.p = np.ascontiguousarray(self.p[:, mask])
        self.memory = [np.ascontiguousarray(m[:, mask]) for m in self.memory]
        self.active = self.active[mask]
        self._allocate()

    def forward(self) -> np.ndarray:
        """``network.forward`` then ``ŷ − y``; leaves a₁ in ``self.a`` and returns the residuals."""
        z, e, a = self.z, self.e, self.a
        np.multiply(self.x, self.w1, out=z)  # np.outer(x, w1)
        np.add(z, self.b1, out=z)  # + b1
        np.abs(z, out=e)
        np.negative(e, out=e)
        np.exp(e, out=e)  # e = exp(−|z|)
        # σ = 1/(1 + e) where z ≥ 0, e/(1 + e) elsewhere: the numerator is 1 or e, and since
        # e ≤ 1 it is max(e, [z ≥ 0]); one division instead of two and a np.where.
        np.greater_equal(z, 0.0, out=z)
        np.maximum(z, e, out=z)
        np.add(e, 1.0, out=e)
        np.divide(z, e, out=a)
        y_hat = self.y_hat
        if self.width == 1:  # a (points, 1) @ (1,) product is one multiplication
            np.multiply(a[:, 0], self.w2[0], out=y_hat)
        else:
            # ŷ = a1 @ w2 with the very matmul of network.forward, one (points, width) @
            # (width,) product per network, so that the sum comes out bit for bit the same.
            np.copyto(self.a_nets, a.transpose(2, 0, 1))
            np.copyto(self.w2_nets[..., 0], self.w2.T)
            np.matmul(self.a_nets, self.w2_nets, out=self.y_nets)
            np.copyto(y_hat, self.y_nets[..., 0].T)
        np.add(y_hat, self.b2, out=y_hat)  # + b2
        return np.subtract(y_hat, self.y, out=self.r)  # ∂L/∂ŷ = ŷ − y

    @staticmethod
    def loss(r: np.ndarray) -> np.ndarray:
        """``np.mean(loss(y_hat, y))`` for every network, from the residuals ``r``."""
        sq = 0.5 * r**2
        out = sq[0] + sq[1]
        for i in range(2, sq.shape[0]):
            out += sq[i]
        return out / sq.shape[0]

    def backward(self) -> None:
        """``network.backward`` then ``average``, from ``self.r``: the gradients into ``self.g``."""
        w = self.width
        a, s, t, pp = self.a, self.s, self.t, self.per_point
        r = self.r[:, None, :]
        dw1, db1, dw2 = pp[:, :w], pp[:, w : 2 * w], pp[:, 2 * w : 3 * w]
        np.multiply(r, a, out=dw2)  # ∂L/∂w₂ = ∂L/∂ŷ · a₁  (∂L/∂b₂ = ∂L/∂ŷ is r itself)
        np.multiply(r, self.w2, out=t)  # ∂L/∂a₁ = ∂L/∂ŷ · w₂
        np.subtract(1.0, a, out=s)
        np.multiply(a, s, out=s)  # σ′(z₁) = a₁·(1 − a₁)
        np.multiply(t, s, out=db1)  # ∂L/∂z₁ = ∂L/∂a₁ · σ′(z₁), which is ∂L/∂b₁
        np.multiply(db1, self.x, out=dw1)  # ∂L/∂w₁ = ∂L/∂z₁ · x
        # average over the points as np.mean does: summed first to last, then divided
        g = self.g
        np.add(pp[0], pp[1], out=g)
        for i in range(2, self.points):
            np.add(g, pp[i], out=g)
        np.divide(g, self.points, out=g)

    def step(self, epoch: int) -> None:
        """Move every weight: plain gradient descent, heavy-ball momentum or Adam."""
        opt, p, g, tmp = self.opt, self.p, self.g, self.tmp
        if opt.name == "gd":  # w ← w − η·g
            np.multiply(opt.lr, g, out=tmp)
        elif opt.name == "momentum":  # v ← β·v + g;  w ← w − η·v
            (v,) = self.memory
            np.multiply(opt.beta1, v, out=v)
            np.add(v, g, out=v)
            np.multiply(opt.lr, v, out=tmp)
        else:  # Adam with bias correction; step t = epoch + 1
            m, v = self.memory
            np.multiply(opt.beta1, m, out=m)
            np.multiply(1 - opt.beta1, g, out=tmp)
            np.add(m, tmp, out=m)  # m ← β₁·m + (1 − β₁)·g
            np.multiply(g, g, out=tmp)
            np.multiply(1 - opt.beta2, tmp, out=tmp)
            np.multiply(opt.beta2, v, out=v)
            np.add(v, tmp, out=v)  # v ← β₂·v + (1 − β₂)·g²
            np.divide(v, 1 - opt.beta2 ** (epoch + 1), out=tmp)  # v̂
            np.sqrt(tmp, out=tmp)
            np.add(tmp, opt.eps, out=tmp)  # √v̂ + ε
            np.divide(m, 1 - opt.beta1 ** (epoch + 1), out=g)  # m̂ (g is not needed any more)
            np.divide(g, tmp, out=tmp)  # m̂ / (√v̂ + ε)
            np.multiply(opt.lr, tmp, out=tmp)
        np.subtract(p, tmp, out=p)

    def weights(self, mask: np.ndarray) -> list[np.ndarray]:
        """``w1, b1, w2`` as (networks, width) and ``b2`` as (networks,), of the masked networks."""
        w, part = self.width, self.p[:, mask]
        return [part[:w].T, part[w : 2 * w].T, part[2 * w : 3 * w].T, part[3 * w]]


@dataclass(frozen=True)
class Evaluation:
    """One forward and backward pass of every network of a batch, arrays network-first.

    ``z1`` and ``a1`` have shape ``(N, points, width)``, ``y_hat`` ``(N, points)``, ``loss``
    ``(N,)``; ``gradients`` holds the averaged gradients shaped like the weights.
    """

    z1: np.ndarray
    a1: np.ndarray
    y_hat: np.ndarray
    loss: np.ndarray
    gradients: Batch


def evaluate(batch: Batch, x: np.ndarray, y: np.ndarray) -> Evaluation:
    """Forward, loss and averaged gradients of every network, by the training loop's code.

    >>> from snippets.lesson import START, X, Y
    >>> from snippets.network import gradients
    >>> e = evaluate(Batch.stack([START]), X, Y)
    >>> bool(e.gradients.w1[0, 0] == gradients(START, X, Y).dL_dw1[0])
    True
    >>> e.z1.shape, round(float(e.loss[0]), 6)
    ((1, 4, 1), 0.126712)
    """
    trainer = _Trainer(batch, x, y, OPTIMISERS["gd"])
    loss = trainer.loss(trainer.forward())
    trainer.backward()
    z1 = np.asarray(x, dtype=float)[None, :, None] * batch.w1[:, None, :] + batch.b1[:, None, :]
    w = trainer.width
    g = trainer.g
    grads = Batch(g[:w].T.copy(), g[w : 2 * w].T.copy(), g[2 * w : 3 * w].T.copy(), g[3 * w].copy())
    return Evaluation(z1, trainer.a.transpose(2, 0, 1).copy(), trainer.y_hat.T.copy(), loss, grads)


def train_batch(
    start: Batch,
    x: np.ndarray,
    y: np.ndarray,
    optimiser: OptimiserName | Optimiser = "gd",
    epochs: int = EPOCHS,
    *,
    skip: bool = True,
    record_losses: bool = False,
) -> BatchRun:
    """Train every network of ``start`` for ``epochs`` full-batch steps, all at once.

    With ``skip`` (the default) and an optimiser that allows it, every ``CHECK_EVERY`` epochs
    each network whose loss is below ``FREEZE_BELOW`` = 1e-6 is frozen: its weights, loss and
    epoch count are recorded and it leaves the arrays, so the remaining epochs cost nothing.
    Its class can only change if its loss later climbs a thousandfold, above ``FIT_BELOW``.

    Why that is safe, and only for gradient descent and momentum, is measured, not proved:

    * Plain gradient descent at η = 0.5 is *not* monotone: most of its runs have rising steps,
      and it settles at the edge of stability (the largest curvature of the minima it reaches
      is 2/η to three digits), so no linear-stability argument can vouch for it, and we saw
      one run climb from below 1e-5 back to 5e-3. But in 9,000 runs of 10,000 epochs (small,
      Xavier and He starts of widths 2-4) no run that had been below 1e-6, 1e-5 or 1e-4 ever
      climbed to ten times that level.
    * Heavy-ball momentum lands in minima whose curvature is a tenth to a fifth of what it can
      converge on; in 5,400 runs of 10,000 epochs none climbed tenfold from those levels.
    * Adam is never frozen. It divides by √v̂, which shrinks as the gradient vanishes, so its
      effective step grows until the minimum goes unstable, and converged runs spike: of the
      study's 15,000 Adam runs, 9,859 are below 1e-6 at some check before epoch 2000, and
      after that their loss climbs as high as 4.6e-4. No class changed, but a factor 2 from
      the 1e-3 line is too thin a margin to call safe. (Freezing them would save 29% of
      Adam's epochs.)

    ``tests/test_batch.py`` checks, network by network, that freezing leaves every outcome
    class as it is without it. Within the study's 2000 epochs no gradient-descent or
    momentum run is below 1e-6 at a check (their fits end between 1e-6 and 1e-3), so
    freezing never fires there; it pays off with longer budgets, or starts closer to a fit.

    >>> from snippets.lesson import BUMP_START, START, X, Y
    >>> run = train_batch(Batch.stack([START]), X, Y, "gd", epochs=2000, record_losses=True)
    >>> run.losses.shape, int(run.epochs_run[0])
    ((1, 2001), 2000)
    >>> bump = train_batch(Batch.stack([BUMP_START]), X, Y, "gd", epochs=2000)
    >>> int(bump.epochs_run[0]), bool(bump.final_loss[0] < 1e-6)  # frozen at a check
    (150, True)
    """
    opt = OPTIMISERS[optimiser] if isinstance(optimiser, str) else optimiser
    trainer = _Trainer(start, x, y, opt)
    n = start.size
    final = [np.empty((n, start.width)) for _ in range(3)] + [np.empty(n)]
    final_loss, epochs_run = np.empty(n), np.full(n, epochs)
    losses = np.full((n, epochs + 1), np.nan) if record_losses else None
    freezing = skip and opt.freeze

    def settle(mask: np.ndarray, loss: np.ndarray, epoch: int) -> None:
        ids = trainer.active[mask]
        for whole, part in zip(final, trainer.weights(mask)):
            whole[ids] = part
        final_loss[ids] = loss[mask]
        epochs_run[ids] = epoch

    for epoch in range(epochs):
        r = trainer.forward()
        checking = freezing and epoch % CHECK_EVERY == 0
        if record_losses or checking:
            loss = trainer.loss(r)
            if losses is not None:
                losses[trainer.active, epoch] = loss
            done = loss < FREEZE_BELOW
            if checking and done.any():
                settle(done, loss, epoch)
                trainer.keep(~done)
                if trainer.active.size == 0:
                    break
                r = trainer.forward()
        trainer.backward()
        trainer.step(epoch)
    if trainer.active.size:
        loss = trainer.loss(trainer.forward())
        if losses is not None:
            losses[trainer.active, epochs] = loss
        settle(np.ones(trainer.active.size, dtype=bool), loss, epochs)
    return BatchRun(start, Batch(*final), final_loss, epochs_run, epochs, opt, losses)
