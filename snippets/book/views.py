"""What the pages show, as Markdown: one function per table, walkthrough or log.

This module's whole job is formatting (numbers as :mod:`snippets.book.numbers` writes them);
the numbers come from the lesson's code, ``runs`` and ``claims``. Math is written as ``$$…$$``
and typeset when the site is built.

>>> print(forward_table().splitlines()[2])
| 1.0 | 0.4000 | 0.5987 | 0.3796 | 0.0 |
>>> print(table(["x", "y"], [[1.0, 0.0], [2.0, 1.0]], [1, 1]))
| x | y |
|--:|--:|
| 1.0 | 0.0 |
| 2.0 | 1.0 |
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from snippets.book import claims
from snippets.book.numbers import DIGITS, given, num, out, sci, signed, tex, written
from snippets.lesson import LR, START, X, Y
from snippets.network import Gradients, Params, Run, backward, forward, gradients, loss
from snippets.portable import exp_scalar

D = DIGITS  # decimals of every computed value shown
SUBSCRIPT = str.maketrans("12", "₁₂")
WEIGHTS = ("w1", "b1", "w2", "b2")


def table(
    headers: Sequence[str], rows: Iterable[Sequence], digits: Sequence[int] | int = DIGITS
) -> str:
    """A right-aligned Markdown table; numbers are formatted with :func:`num`, text kept."""
    if isinstance(digits, int):
        digits = [digits] * len(headers)

    def cell(v, d):
        return v if isinstance(v, str) else num(v, d)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("--:" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell(v, d) for v, d in zip(row, digits, strict=True)) + " |")
    return "\n".join(lines)


def math(*lines: str) -> str:
    """Display equations, one per line."""
    return "\n\n".join(f"$$\n{line}\n$$" for line in lines)


def scalar(p: Params, name: str) -> float:
    """One weight of a 1-neuron network as a plain number."""
    return float(np.ravel(getattr(p, name))[0])


def data_table() -> str:
    return table(["x (input)", "y (target)"], zip(X, Y, strict=True), 1)


def weights_table(p: Params = START) -> str:
    """The weights of a network, one column per hidden neuron."""
    labels = [f"neuron {j + 1}" for j in range(p.width)] if p.width > 1 else ["value"]
    rows = [
        [name.translate(SUBSCRIPT), *(written(v) for v in np.ravel(getattr(p, name)))]
        for name in WEIGHTS[:3]
    ]
    rows.append(["b₂", written(p.b2), *([""] * (p.width - 1))])
    return table(["weight", *labels], rows)


def forward_walkthrough(i: int = 0) -> str:
    """Page 02: one point through the network, every value substituted."""
    z1, a1, y_hat = (np.ravel(v)[i] for v in forward(START, X))
    w1, b1, w2, b2 = (scalar(START, n) for n in WEIGHTS)
    x = X[i]
    return math(
        rf"z_1 = w_1 \cdot x + b_1 = {given(w1)} \cdot {given(x)} + {given(b1)} = {out(z1)}",
        rf"a_1 = \sigma(z_1) = \frac{{1}}{{1 + e^{{-{tex(z1)}}}}}"
        rf" = \frac{{1}}{{1 + {tex(exp_scalar(float(-z1)))}}} = {out(a1)}",
        rf"\hat{{y}} = w_2 \cdot a_1 + b_2 = {given(w2)} \cdot {tex(a1)} + {given(b2)}"
        rf" = {out(y_hat)}",
    )


def forward_table(p: Params = START) -> str:
    z1, a1, y_hat = forward(p, X)
    rows = zip(X, z1[:, 0], a1[:, 0], y_hat, Y, strict=True)
    return table(["x", "z₁", "a₁", "ŷ", "y"], rows, [1, D, D, D, 1])


def loss_table(p: Params = START) -> str:
    y_hat = forward(p, X)[2]
    losses = loss(y_hat, Y)
    rows = [[x, yh, y, signed(yh - y), ls] for x, yh, y, ls in zip(X, y_hat, Y, losses)]
    return table(["x", "ŷ", "y", "ŷ − y", "½(ŷ − y)²"], rows, [1, D, 1, D, D])


def mean_loss_line(p: Params = START) -> str:
    losses = loss(forward(p, X)[2], Y)
    terms = " + ".join(tex(v) for v in losses)
    return math(rf"L = \frac{{{terms}}}{{{len(X)}}} = {tex(np.mean(losses))}")


def dL(var: str) -> str:
    """∂L/∂var in TeX."""
    return rf"\frac{{\partial L}}{{\partial {var}}}"


def backprop_chain(i: int = 0) -> str:
    """Page 04: the chain rule for one point, right to left, every value substituted."""
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    x, y, a, w2 = X[i], Y[i], a1[i, 0], scalar(START, "w2")
    g = Gradients(*(np.ravel(v)[i] if np.ndim(v) == 1 else v[i, 0] for v in b.grads))
    d_yhat, d_a1, s, d_z1 = b.dL_dyhat[i], b.dL_da1[i, 0], b.da1_dz1[i, 0], b.dL_dz1[i, 0]
    # the hidden layer's gradients are small: one more decimal keeps four significant figures
    Ly, Lw2, Lb2, La, Lz, Lw1, Lb1 = (
        dL(v) for v in (r"\hat y", "w_2", "b_2", "a_1", "z_1", "w_1", "b_1")
    )
    return math(
        rf"{Ly} = \hat y - y = {tex(y_hat[i])} - {given(y)} = {out(d_yhat)}",
        rf"{Lw2} = {Ly} \cdot a_1 = {tex(d_yhat)} \cdot {tex(a)} = {out(g.dL_dw2)}",
        rf"{Lb2} = {Ly} \cdot 1 = {out(g.dL_db2)}",
        rf"{La} = {Ly} \cdot w_2 = {tex(d_yhat)} \cdot {given(w2)} = {out(d_a1)}",
        rf"\sigma'(z_1) = a_1 (1 - a_1) = {tex(a)} \cdot {tex(1 - a)} = {out(s)}",
        rf"{Lz} = {La} \cdot \sigma'(z_1) = {tex(d_a1)} \cdot {tex(s)} = {out(d_z1, D + 1)}",
        rf"{Lw1} = {Lz} \cdot x = {tex(d_z1, D + 1)} \cdot {given(x)} = {out(g.dL_dw1, D + 1)}",
        rf"{Lb1} = {Lz} \cdot 1 = {out(g.dL_db1, D + 1)}",
    )


def gradient_check_table() -> str:
    """Page 04: backprop beside central finite differences for the first point."""
    c = claims.gradient_check()
    rows = []
    for name, e, n in zip(WEIGHTS, c.exact, c.estimate, strict=True):
        exact, estimate = float(np.ravel(e)[0]), float(np.ravel(n)[0])
        rows.append(
            [
                f"∂L/∂{name.translate(SUBSCRIPT)}",
                f"{exact:.10f}",
                f"{estimate:.10f}",
                sci(abs(exact - estimate)),
            ]
        )
    return table(["gradient", "backprop", "finite difference", "difference (absolute)"], rows)


def gradient_table() -> str:
    """Page 05: the gradient of each point's loss, and their average."""
    z1, a1, y_hat = forward(START, X)
    g = backward(START, X, Y, z1, a1, y_hat).grads
    columns = [g.dL_dw1[:, 0], g.dL_db1[:, 0], g.dL_dw2[:, 0], g.dL_db2]
    rows = [[f"{x:.1f}", *(signed(c[k]) for c in columns)] for k, x in enumerate(X)]
    rows.append(["**average**", *(f"**{signed(np.mean(c))}**" for c in columns)])
    return table(["x", "∂L/∂w₁", "∂L/∂b₁", "∂L/∂w₂", "∂L/∂b₂"], rows)


def update_lines() -> str:
    """Page 05: old → new for each weight after one step."""
    step = claims.one_step()
    mean = gradients(START, X, Y)
    lines = []
    for name in WEIGHTS:
        sym = name[0] + "_" + name[1]
        old, grad = scalar(START, name), float(np.ravel(getattr(mean, "dL_d" + name))[0])
        new = scalar(step.params, name)
        lines.append(rf"{sym} \leftarrow {given(old)} - {given(LR)} \cdot {tex(grad)} = {out(new)}")
    return math(*lines)


def predictions_table(*named_runs: tuple[str, Run]) -> str:
    """x, y and each run's final prediction."""
    preds = [forward(run.final, X)[2] for _, run in named_runs]
    rows = [[x, y, *(p[k] for p in preds)] for k, (x, y) in enumerate(zip(X, Y))]
    return table(
        ["x", "y", *(f"ŷ ({name})" for name, _ in named_runs)],
        rows,
        [1, 1, *([D] * len(named_runs))],
    )


def stuck_table() -> str:
    """Page 08: what the stuck network looks like at the end of its run."""
    s = claims.stuck_at_mean()
    rows = [[x, y, yh, *sp] for x, y, yh, sp in zip(X, Y, s.predictions, s.sigma_prime)]
    return table(["x", "y", "ŷ", "σ′(z₁) neuron 1", "σ′(z₁) neuron 2"], rows, [1, 1, D, D, D])


def one_step_table() -> str:
    """Page 05: the mean loss before and after one step."""
    step = claims.one_step()
    return table(["", "mean loss"], [["before", step.before], ["after one step", step.after]], 6)


def floor_table() -> str:
    """Page 09: the one-neuron run's loss at each checkpoint, and its distance to the floor."""
    a = claims.floor_approach()
    rows = [[f"{e:,}", num(v, 6), sci(g, 2)] for e, v, g in zip(a.epochs, a.losses, a.gaps)]
    return table(["epochs", "mean loss", "above the floor"], rows)
