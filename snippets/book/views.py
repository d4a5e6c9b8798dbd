"""What the pages show, as Markdown: one function per table, walkthrough or log.

This module's whole job is formatting (numbers as :mod:`snippets.book.numbers` writes them);
the numbers come from the lesson's code, ``runs`` and ``claims``. Maths is written as TeX
(``$…$``, ``$$…$$``) and typeset when the site is built; symbols in tables are maths too, so
that they look the same everywhere on the page.

>>> print(forward_table().splitlines()[2])
| 1.0 | 0.4000 | 0.5987 | 0.3796 | 0.0 |
>>> print(table(["x", "y"], [[1.0, 0.0], [2.0, 1.0]], [1, 1]))
| x | y |
|--:|--:|
| 1.0 | 0.0 |
| 2.0 | 1.0 |
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from snippets.book import claims
from snippets.book.numbers import COST_DIGITS, DIGITS, given, num, out, sci, signed, tex, written
from snippets.lesson import LR, START, X, Y
from snippets.network import Params, Run, backward, forward, gradients, loss
from snippets.portable import exp_scalar

D = DIGITS  # decimals of every computed value shown
WEIGHTS = ("w1", "b1", "w2", "b2")


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    digits: Sequence[int] | int = DIGITS,
    align: str = "",
) -> str:
    """A Markdown table, right-aligned but for the columns ``align`` marks "l"; numbers are
    formatted with :func:`num`, text kept."""
    if isinstance(digits, int):
        digits = [digits] * len(headers)
    marks = [":--" if a == "l" else "--:" for a in align.ljust(len(headers), "r")]

    def cell(v, d):
        return v if isinstance(v, str) else num(v, d)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(marks) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell(v, d) for v, d in zip(row, digits, strict=True)) + " |")
    return "\n".join(lines)


def symbol(name: str, neuron: int | None = None) -> str:
    """A weight's TeX: ``w1`` → ``w_1``; of hidden neuron ``j`` → ``w_1^{(j)}`` (b₂ has none).

    >>> symbol("w1"), symbol("b1", 2), symbol("b2", 1)
    ('w_1', 'b_1^{(2)}', 'b_2')
    """
    tex_name = f"{name[0]}_{name[1]}"
    return tex_name if neuron is None or name == "b2" else f"{tex_name}^{{({neuron})}}"


def m(tex_code: str) -> str:
    """Inline maths."""
    return f"${tex_code}$"


def display(*rows: str) -> str:
    """Display maths; several rows are one derivation, aligned at their first ``&``."""
    if len(rows) == 1 and "&" not in rows[0]:
        return f"$$\n{rows[0]}\n$$"
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n$$"


def d(of: str, by: str) -> str:
    """∂of/∂by in TeX."""
    return rf"\frac{{\partial {of}}}{{\partial {by}}}"


def scalar(p: Params, name: str) -> float:
    """One weight of a 1-neuron network as a plain number."""
    return float(np.ravel(getattr(p, name))[0])


def data_table() -> str:
    return table([m("x") + " (input)", m("y") + " (target)"], zip(X, Y, strict=True), 1)


def weights_table(p: Params = START) -> str:
    """The weights of a network: one row each, in the notation of 01-network.md."""
    rows = [
        [m(symbol(name, j + 1 if p.width > 1 else None)), written(v)]
        for name in WEIGHTS[:3]
        for j, v in enumerate(np.ravel(getattr(p, name)))
    ]
    rows.append([m("b_2"), written(p.b2)])
    return table(["weight", "value"], rows)


def point_chain(i: int = 0) -> dict[str, float]:
    """Every value of the forward pass and of the chain rule for data point ``i`` (1 neuron)."""
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    values = {name: scalar(START, name) for name in WEIGHTS}
    values |= {"x": float(X[i]), "y": float(Y[i]), "z1": float(z1[i, 0]), "a1": float(a1[i, 0])}
    values |= {"y_hat": float(y_hat[i]), "L": float(loss(y_hat, Y)[i])}
    values |= {"dL_dyhat": float(b.dL_dyhat[i]), "dL_da1": float(b.dL_da1[i, 0])}
    values |= {"da1_dz1": float(b.da1_dz1[i, 0]), "dL_dz1": float(b.dL_dz1[i, 0])}
    for name, g in zip(WEIGHTS, b.grads, strict=True):
        values[f"dL_d{name}"] = float(np.ravel(g[i])[0])
    return values


def forward_walkthrough(i: int = 0) -> str:
    """02-forward.md: one point through the network, every value substituted."""
    v = point_chain(i)
    e = exp_scalar(-v["z1"])
    return display(
        rf"z_1 &= w_1 x + b_1 = {given(v['w1'])} \cdot {given(v['x'])} + {given(v['b1'])}"
        rf" = {out(v['z1'])}",
        rf"a_1 &= \sigma(z_1) = \frac{{1}}{{1 + e^{{-{tex(v['z1'])}}}}}"
        rf" = \frac{{1}}{{1 + {tex(e)}}} = {out(v['a1'])}",
        rf"\hat y &= w_2 a_1 + b_2 = {given(v['w2'])} \cdot {tex(v['a1'])} + {given(v['b2'])}"
        rf" = {out(v['y_hat'])}",
    )


def forward_table(p: Params = START) -> str:
    z1, a1, y_hat = forward(p, X)
    rows = zip(X, z1[:, 0], a1[:, 0], y_hat, Y, strict=True)
    headers = [m(v) for v in ("x", "z_1", "a_1", r"\hat y", "y")]
    return table(headers, rows, [1, D, D, D, 1])


def loss_table(p: Params = START) -> str:
    y_hat = forward(p, X)[2]
    losses = loss(y_hat, Y)
    rows = [[x, yh, y, signed(yh - y), ls] for x, yh, y, ls in zip(X, y_hat, Y, losses)]
    headers = [m(v) for v in ("x", r"\hat y", "y", r"\hat y - y", r"L = \tfrac12 (\hat y - y)^2")]
    return table(headers, rows, [1, D, 1, D, D])


def cost_line(p: Params = START) -> str:
    """03-loss.md: the cost C, the average of the four losses, with the numbers (≈ where the
    printed losses do not average to the printed cost)."""
    losses = loss(forward(p, X)[2], Y)
    terms = " + ".join(tex(v) for v in losses)
    n = len(X)
    shown = sum(float(tex(v)) for v in losses) / n
    c = float(np.mean(losses))
    sign = "=" if out(shown, COST_DIGITS) == out(c, COST_DIGITS) else r"\approx"
    average = rf"\frac{{{terms}}}{{{n}}}"
    return display(
        rf"C = \frac{{1}}{{{n}}} \sum_{{x}} L(x) = {average} {sign} {out(c, COST_DIGITS)}"
    )


def times(*factors: str, result: float, digits: int = DIGITS) -> str:
    """``a \\cdot b = r`` in TeX, or ``≈ r`` where the factors as printed do not multiply to the
    result as printed (the result is the exact value's, rounded).

    >>> times("0.1139", "0.2403", result=0.02736, digits=5)  # the printed factors give 0.02737
    '0.1139 \\\\cdot 0.2403 \\\\approx 0.02736'
    """
    shown = math.prod(float(f.strip("()").replace("\u2212", "-")) for f in factors)
    sign = "=" if out(shown, digits) == out(result, digits) else r"\approx"
    return " \\cdot ".join(factors) + f" {sign} {out(result, digits)}"


def backprop_step(k: int, i: int = 0) -> str:
    """04-backprop.md: step ``k`` (1–5) of the chain rule for data point ``i``: its local
    derivatives, then the gradients they give, every value substituted."""
    v = point_chain(i)
    Ly, La, Lz = d("L", r"\hat y"), d("L", "a_1"), d("L", "z_1")
    Yw2, Yb2, Ya1 = d(r"\hat y", "w_2"), d(r"\hat y", "b_2"), d(r"\hat y", "a_1")
    steps = {
        1: [rf"{Ly} &= \hat y - y = {tex(v['y_hat'])} - {given(v['y'])} = {out(v['dL_dyhat'])}"],
        2: [
            rf"{Yw2} &= a_1 = {out(v['a1'])}, \qquad {Yb2} = 1",
            rf"{d('L', 'w_2')} &= {Ly} \cdot {Yw2} = "
            + times(tex(v["dL_dyhat"]), tex(v["a1"]), result=v["dL_dw2"]),
            rf"{d('L', 'b_2')} &= {Ly} \cdot 1 = {out(v['dL_db2'])}",
        ],
        3: [
            rf"{Ya1} &= w_2 = {given(v['w2'])}",
            rf"{La} &= {Ly} \cdot {Ya1} = "
            + times(tex(v["dL_dyhat"]), given(v["w2"]), result=v["dL_da1"]),
        ],
        4: [
            rf"{d('a_1', 'z_1')} &= \sigma'(z_1) = a_1 (1 - a_1) = "
            + times(tex(v["a1"]), tex(1 - v["a1"]), result=v["da1_dz1"]),
            rf"{Lz} &= {La} \cdot {d('a_1', 'z_1')} = "
            + times(tex(v["dL_da1"]), tex(v["da1_dz1"]), result=v["dL_dz1"], digits=D + 1),
        ],
        5: [
            rf"{d('z_1', 'w_1')} &= x = {given(v['x'])}, \qquad {d('z_1', 'b_1')} = 1",
            rf"{d('L', 'w_1')} &= {Lz} \cdot {d('z_1', 'w_1')} = "
            + times(tex(v["dL_dz1"], D + 1), given(v["x"]), result=v["dL_dw1"], digits=D + 1),
            rf"{d('L', 'b_1')} &= {Lz} \cdot 1 = {out(v['dL_db1'], D + 1)}",
        ],
    }
    return display(*steps[k])


def backprop_product(i: int = 0) -> str:
    """04-backprop.md: ∂L/∂w₁ written once as the whole product of the chain, with its numbers."""
    v = point_chain(i)
    factors = (tex(v["dL_dyhat"]), given(v["w2"]), tex(v["a1"]), tex(1 - v["a1"]), given(v["x"]))
    return display(
        rf"{d('L', 'w_1')} &= (\hat y - y) \cdot w_2 \cdot a_1 (1 - a_1) \cdot x",
        "&= " + times(*factors, result=v["dL_dw1"], digits=D + 1),
    )


def gradient_check_table() -> str:
    """04-backprop.md: backprop beside central finite differences for the first point."""
    c = claims.gradient_check()
    rows = []
    for name, e, n in zip(WEIGHTS, c.exact, c.estimate, strict=True):
        exact, estimate = float(np.ravel(e)[0]), float(np.ravel(n)[0])
        rows.append(
            [
                m(d("L", symbol(name))),
                f"{exact:.10f}",
                f"{estimate:.10f}",
                sci(abs(exact - estimate)),
            ]
        )
    return table(["gradient", "backprop", "finite difference", "difference"], rows)


def gradient_table() -> str:
    """05-gradient-descent.md: each point's gradient, and their average, the cost's gradient."""
    z1, a1, y_hat = forward(START, X)
    g = backward(START, X, Y, z1, a1, y_hat).grads
    columns = [g.dL_dw1[:, 0], g.dL_db1[:, 0], g.dL_dw2[:, 0], g.dL_db2]
    rows = [[f"{x:.1f}", *(signed(c[k]) for c in columns)] for k, x in enumerate(X)]
    rows.append(["**average**", *(f"**{signed(np.mean(c))}**" for c in columns)])
    headers = [m("x"), *(m(rf"\partial L/\partial {symbol(n)}") for n in WEIGHTS)]
    return table(headers, rows)


def update_lines() -> str:
    """05-gradient-descent.md: each weight's update, the rule first, then its numbers."""
    step = claims.one_step()
    mean = gradients(START, X, Y)
    lines = []
    for name in WEIGHTS:
        w = symbol(name)
        old, grad = scalar(START, name), float(np.ravel(getattr(mean, "dL_d" + name))[0])
        new = scalar(step.params, name)
        lines.append(
            rf"{w} &\leftarrow {w} - \eta\,{d('C', w)}"
            rf" = {given(old)} - {given(LR)} \cdot {tex(grad)} = {out(new)}"
        )
    return display(*lines)


def predictions_table(*named_runs: tuple[str, Run]) -> str:
    """x, y and each run's final prediction."""
    preds = [forward(run.final, X)[2] for _, run in named_runs]
    rows = [[x, y, *(p[k] for p in preds)] for k, (x, y) in enumerate(zip(X, Y))]
    y_hat = m(r"\hat y")
    return table(
        [m("x"), m("y"), *(f"{y_hat} ({name})" for name, _ in named_runs)],
        rows,
        [1, 1, *([D] * len(named_runs))],
    )


def stuck_table() -> str:
    """09-starts.md: what the stuck network looks like at the end of its run."""
    s = claims.stuck_at_mean()
    rows = [[x, y, yh, *sp] for x, y, yh, sp in zip(X, Y, s.predictions, s.sigma_prime)]
    slopes = [m(rf"\sigma'(z_1^{{({j + 1})}})") for j in range(s.sigma_prime.shape[1])]
    return table([m("x"), m("y"), m(r"\hat y"), *slopes], rows, [1, 1, D, D, D])


def one_step_table() -> str:
    """05-gradient-descent.md: the cost before and after one step."""
    step = claims.one_step()
    return table(
        ["", m("C")], [["before", step.before], ["after one step", step.after]], COST_DIGITS
    )


def floor_table() -> str:
    """10-measured.md: the one-neuron run's cost at each checkpoint, and the gap to the floor."""
    a = claims.floor_approach()
    rows = [[f"{e:,}", num(v, 6), sci(g, 2)] for e, v, g in zip(a.epochs, a.costs, a.gaps)]
    return table(["epochs", m("C"), "above the floor"], rows)


def escape_words() -> str:
    """When the stuck run escapes, and how firmly that epoch belongs to its exact start.

    A long run magnifies the last bit of its start: the escape epoch is printed with what
    moving any one starting weight by one rounding step does to it.
    """
    s = claims.stuck_at_mean()
    low, high = s.nudged
    if low == high == s.escape_epoch:
        how = "the same epoch with any one starting weight moved by one rounding step"
    else:
        how = (
            "for these exact starting weights; with any one of them moved by one rounding step, "
            f"it comes at epoch {low:,}" + ("" if low == high else f" to {high:,}")
        )
    return f"epoch {s.escape_epoch:,} ({how})"
