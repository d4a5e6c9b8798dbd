"""Figures as inline SVG: identical bytes on every build, readable in light and dark mode.

Axes and labels are drawn in a placeholder colour that becomes ``currentColor``, so they
take the page's text colour; data colours are mid-tones that read on white and on slate.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from fractions import Fraction
from functools import cache
from html import escape
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from snippets.book import claims, runs
from snippets.book.cache import cached
from snippets.book.numbers import ROUNDING_LOSS, cost, num, signed, written
from snippets.book.views import escape_words, point_chain
from snippets.gradcheck import hessian
from snippets.lesson import BUMP_START, LR, START, STUCK_SEED, X, Y, small_random_start
from snippets.linear import best_line
from snippets.network import Params, forward, sigmoid
from snippets.outcomes import FIT_BELOW, escape_epoch
from snippets.portable import symmetric_eigenvalues

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INK = "#010203"  # placeholder for the page's text colour
ONE = "#e4572e"  # 1 hidden neuron
TWO = "#1f9e89"  # 2 hidden neurons
LINE = "#4f7cff"  # linear regression
BACK = "#c2410d"  # gradients, flowing back: text, so its colour follows the page (site.css)
GREY = "#8a8f98"  # references: floors, levels, earlier states
YLIM = (-0.35, 1.35)
STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, in the page's font
    "svg.hashsalt": "from-lines-to-neurons",  # stable ids
    "font.size": 12,
    "font.family": "sans-serif",
    **{
        k: INK
        for k in (
            "text.color",
            "axes.edgecolor",
            "axes.labelcolor",
            "xtick.color",
            "ytick.color",
            "grid.color",
            "legend.labelcolor",
        )
    },
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "figure.dpi": 72,
    "patch.edgecolor": INK,  # arrows and outlines drawn without a colour of their own
}


NUMBER = re.compile(r"-?\d+\.\d+")


def _tenth(m: re.Match) -> str:
    text = f"{float(m[0]):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@cache
def pyplot():
    """Import matplotlib once per process, with the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# Inches: a panel stays legible from a phone, where it fills the 358-px column (its 12-pt text
# then draws at 13 px, a log axis's exponents at 9.5 px), to a desk, side by side with another.
PANEL = (4.4, 3.2)


def figure(name: str, caption: str, *panels: tuple[Figure, str, str]) -> str:
    """A page's ``<figure>``: each panel (a figure, its title, its description) as an SVG of
    its own, side by side where the column is wide and one above the other on a phone."""
    svgs = "".join(
        f'<div class="panel">{to_svg(fig, f"{name}-{k}", title, description)}</div>'
        for k, (fig, title, description) in enumerate(panels, start=1)
    )
    caption = escape(caption, quote=False)
    return f'<figure class="figure">{svgs}<figcaption>{caption}</figcaption></figure>'


@contextmanager
def styled():
    """Matplotlib in the site's style (figures must be made and drawn inside this)."""
    plt = pyplot()
    with plt.rc_context(STYLE):
        yield plt


def panel(size: tuple[float, float] = PANEL):
    """A new figure with one pair of axes (inside :func:`styled`)."""
    return pyplot().subplots(figsize=size, layout="constrained")


def key(fig, columns: int = 2) -> None:
    """The figure's legend, above the axes: never on top of the data or the ticks; in fewer
    columns than asked if they would not fit across the figure."""
    renderer = fig.canvas.get_renderer()
    for ncols in range(columns, 0, -1):
        legend = fig.legend(loc="outside upper center", ncols=ncols, fontsize=11, handlelength=1.6)
        if ncols == 1 or legend.get_window_extent(renderer).width <= fig.bbox.width:
            return
        legend.remove()


class Misdrawn(AssertionError):
    """A figure hides some of what it draws without saying so (the build stops)."""


CUT = "site_cut"  # the attribute of an Axes that says what its view leaves out, and why


def cut(ax, why: str) -> None:
    """Declare that ``ax`` shows only part of its data; ``why`` must be in the description."""
    setattr(ax, CUT, why)


def drawn_outside(fig, description: str) -> list[str]:
    """What ``fig`` draws but does not show, unless its description says so (after drawing).

    - every pair of axes (diagrams without axes excepted) shows all its data: its view limits
      contain its data limits, or it declares a :func:`cut` that the description states;
    - nothing (a label, a legend, an arrow) reaches past the edge of the figure.
    """
    problems = []
    for k, ax in enumerate(fig.axes, start=1):
        if not ax.axison:
            continue
        data, view = ax.dataLim, ax.viewLim
        for axis, (lo, hi), (v0, v1) in (
            ("x", data.intervalx, view.intervalx),
            ("y", data.intervaly, view.intervaly),
        ):
            slack = 1e-9 * abs(v1 - v0)
            if lo <= hi and (lo < min(v0, v1) - slack or hi > max(v0, v1) + slack):
                why = getattr(ax, CUT, None)
                if why is None or why not in description:
                    problems.append(
                        f"axes {k}: {axis} data from {lo:.4g} to {hi:.4g}, shown {v0:.4g} to "
                        f"{v1:.4g}"
                        + ("" if why is None else f", and the description omits {why!r}")
                    )
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())
    canvas = fig.bbox_inches
    edge = 0.5 / 72  # half a point
    if (
        drawn.x0 < canvas.x0 - edge
        or drawn.y0 < canvas.y0 - edge
        or drawn.x1 > canvas.x1 + edge
        or drawn.y1 > canvas.y1 + edge
    ):
        inches = [f"{v:.2f}" for v in (drawn.x0, drawn.y0, drawn.x1, drawn.y1)]
        problems.append(f"drawn past the figure's {canvas.width}×{canvas.height} in: {inches}")
    return problems


def to_svg(fig, name: str, title: str, description: str) -> str:
    """Serialise ``fig`` to an accessible inline ``<svg>``, ids prefixed with ``name``."""
    buf = io.StringIO()
    with pyplot().rc_context(STYLE):  # the salt and font type apply when saving
        fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None})
        problems = drawn_outside(fig, description)  # laid out by the drawing just done
    pyplot().close(fig)
    if problems:
        raise Misdrawn(f"{name}: " + "; ".join(problems))
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'id="', f'id="{name}-', svg)
    svg = re.sub(r"url\(#", f"url(#{name}-", svg)
    svg = re.sub(r'href="#', f'href="#{name}-', svg)
    svg = svg.replace(INK, "currentColor").replace(BACK, "var(--figure-back)")
    # Coordinates to 0.1 pt (invisible at this size, a third of the bytes); text is untouched.
    svg = re.sub(r'\s(?:d|x|y)="[^"]*"', lambda m: NUMBER.sub(_tenth, m[0]), svg)
    svg = re.sub(r'<g id="[^"]*"', "<g", svg)  # only clip paths and markers are referenced
    svg = re.sub(r'\sd="[^"]*"', lambda m: " " + " ".join(m[0].split()), svg)
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)  # scale with the column
    end = svg.index(">") + 1  # end of the opening <svg ...> tag
    svg = (
        f'<svg role="img" aria-labelledby="{name}-title {name}-desc"{svg[4:end]}'
        f'<title id="{name}-title">{escape(title)}</title>'
        f'<desc id="{name}-desc">{escape(description)}</desc>{svg[end:]}'
    )
    return styles_to_classes(svg, name)


def styles_to_classes(svg: str, name: str) -> str:
    """Each distinct inline style once, as a class: matplotlib repeats them hundreds of times."""
    classes: dict[str, str] = {}

    def swap(m: re.Match) -> str:
        return f'class="{classes.setdefault(m[1], f"{name}-s{len(classes)}")}"'

    svg = re.sub(r'style="([^"]*)"', swap, svg)
    rules = "".join(f".{cls}{{{style}}}" for style, cls in classes.items())
    end = svg.index("</desc>") + len("</desc>")  # <title> and <desc> stay the first children
    return f"{svg[:end]}<style>{rules}</style>{svg[end:]}"


DRAWN = np.linspace(0.5, 4.5, 161)  # the x at which the figures draw a network's curve


def listed(values) -> str:
    """[1.0, 2.0, 3.0] → "1, 2 and 3"."""
    items = [f"{v:g}" for v in values]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def curve(p: Params, x: np.ndarray = DRAWN) -> np.ndarray:
    """The network's prediction at each x."""
    return forward(p, x)[2]


def data(ax, label: str = "data") -> None:
    """The four data points."""
    ax.plot(X, Y, "o", color=INK, ms=7, label=label, zorder=5)


def fit_axes(ax, ylabel: str = "prediction ŷ") -> None:
    """x and ŷ, every figure of curves on the same scale, widened where a curve goes beyond it
    (call after drawing)."""
    low, high = ax.dataLim.intervaly
    margin = 0.05 * (YLIM[1] - YLIM[0])
    ylim = (min(YLIM[0], low - margin), max(YLIM[1], high + margin))
    ax.set(xlabel="x", ylabel=ylabel, ylim=ylim, xticks=X)


@cached
def intuition_figure() -> str:
    """00-intuition.md: the best line against the curve a two-neuron network learns."""
    w, b = best_line(X, Y)
    with styled():
        line_fig, left = panel()
        left.plot(DRAWN, w * DRAWN + b, color=LINE, lw=2.5, label="best line")
        data(left)
        fit_axes(left, "y")
        key(line_fig)
        net_fig, right = panel()
        right.plot(DRAWN, curve(runs.two_neurons().final), color=TWO, lw=2.5, label="network")
        data(right)
        fit_axes(right, "y")
        key(net_fig)
    return figure(
        "intuition",
        "The best straight line through the four points, and the curve a network with two "
        "hidden neurons learns from the same points.",
        (
            line_fig,
            "The best straight line through the data",
            "The four data points and the least-squares line, which is flat at the mean of y.",
        ),
        (
            net_fig,
            "The curve a small network learns",
            "The same four points and the curve learned by a network with two hidden neurons: "
            "it rises through the two middle points and falls back through the outer ones.",
        ),
    )


@cached
def sigmoid_figure() -> str:
    """02-forward.md: σ(z), with the four z₁ of the starting weights marked."""
    z = np.linspace(-6.0, 6.0, 241)
    z1, a1, _ = forward(START, X)
    with styled():
        fig, ax = panel((4.6, 3.0))
        ax.plot(z, sigmoid(z), color=LINE, lw=2.5, label="σ(z)")
        label = "z₁ for x = " + ", ".join(f"{x:g}" for x in X)
        ax.plot(z1[:, 0], a1[:, 0], "o", color=ONE, ms=7, label=label)
        for x, zz, aa in zip(X, z1[:, 0], a1[:, 0]):
            ax.annotate(f"{x:g}", (zz, aa), (7, -11), textcoords="offset points")
        ax.axhline(0.5, color=GREY, lw=1, ls=":")
        ax.set(xlabel="z", ylabel="σ(z)", ylim=(-0.05, 1.05), yticks=[0, 0.5, 1])
        key(fig)
    return figure(
        "sigmoid",
        "The sigmoid, and where the four points land on it with the starting weights.",
        (
            fig,
            "The sigmoid function",
            "An S-shaped curve that rises from 0 on the far left, through 0.5 at z = 0, to 1 on "
            "the far right. With the starting weights the four points give z₁ = "
            + ", ".join(num(v, 1) for v in z1[:, 0])
            + ": all on the gently rising middle part, where the curve is nearly straight.",
        ),
    )


@cached
def graph_figure() -> str:
    """04-backprop.md: the chain for x = 1: values forward, left to right, in the boxes; the
    gradients backward, right to left, in the row below, and down to the weights' gradients."""
    g = point_chain(0)
    with styled():
        fig, ax = panel((4.6, 4.1))
        ax.set_axis_off()
        ax.set(xlim=(-0.5, 4.5), ylim=(-2.75, 1.95))
        forward_arrow = {"arrowstyle": "->", "color": INK, "lw": 1.4}
        back_arrow = {"arrowstyle": "->", "color": BACK, "lw": 1.6}
        nodes = [
            ("x", f"{g['x']:g}", None),
            ("z₁", num(g["z1"]), g["dL_dz1"]),
            ("a₁", num(g["a1"]), g["dL_da1"]),
            ("ŷ", num(g["y_hat"]), g["dL_dyhat"]),
            ("L", num(g["L"]), None),
        ]
        row = -1.05  # the backward pass
        for k, (name, value, back) in enumerate(nodes):
            box = {"boxstyle": "round,pad=0.3", "fc": "none", "ec": INK}
            ax.text(k, 0, f"{name}\n{value}", ha="center", va="center", fontsize=11, bbox=box)
            if back is not None:
                box = {"boxstyle": "round,pad=0.3", "fc": "none", "ec": BACK, "ls": "--"}
                text = f"∂L/∂{name}\n{num(back)}"
                ax.text(k, row, text, ha="center", va="center", color=BACK, fontsize=11, bbox=box)
            if k < 4:
                ax.annotate("", (k + 0.6, 0), (k + 0.4, 0), arrowprops=forward_arrow)
            if 1 <= k < 3:  # gradients flow back, right to left
                ax.annotate("", (k + 0.38, row), (k + 0.62, row), arrowprops=back_arrow)
        ax.annotate("", (3.42, row + 0.22), (3.85, -0.4), arrowprops=back_arrow)  # from L
        ax.text(0, 0.62, "forward →", ha="center", va="center", fontsize=11)
        ax.text(0, row, "← backward", ha="center", va="center", fontsize=11, color=BACK)
        for at, pair in ((1, ("w1", "b1")), (3, ("w2", "b2"))):
            names = [f"{n[0]}{'₁₂'[int(n[1]) - 1]}" for n in pair]
            values = "\n".join(f"{n} = {written(g[w])}" for n, w in zip(names, pair))
            ax.text(at, 1.35, values, ha="center", va="center")
            ax.annotate("", (at, 0.42), (at, 0.95), arrowprops=forward_arrow)
            grads = "\n".join(f"∂L/∂{n} = {num(g['dL_d' + w])}" for n, w in zip(names, pair))
            ax.text(at, -2.3, grads, ha="center", va="center", color=BACK, fontsize=11)
            ax.annotate("", (at, -1.92), (at, row - 0.42), arrowprops=back_arrow)
    return figure(
        "graph",
        "The computation for x = 1. Forward, along the plain arrows: the values in the boxes. "
        "Backward, along the coloured arrows, starting from the loss: the derivative of the loss "
        "with respect to each value, and from those, with respect to each weight.",
        (
            fig,
            "The chain of computations for one point, forward and backward",
            "Forward: five boxes in a row, joined by arrows pointing right: x, z₁, a₁, ŷ and the "
            "loss L, each with its value for x = 1; above z₁ the weights w₁ and b₁ that feed it, "
            "above ŷ the weights w₂ and b₂. Backward: from L, arrows pointing the other way "
            f"through a second row, under the boxes: ∂L/∂ŷ = {num(g['dL_dyhat'])}, then "
            f"∂L/∂a₁ = {num(g['dL_da1'])}, then ∂L/∂z₁ = {num(g['dL_dz1'])}. From ∂L/∂ŷ an "
            f"arrow down to ∂L/∂w₂ = {num(g['dL_dw2'])} and ∂L/∂b₂ = {num(g['dL_db2'])}; from "
            f"∂L/∂z₁ one down to ∂L/∂w₁ = {num(g['dL_dw1'])} and ∂L/∂b₁ = {num(g['dL_db1'])}.",
        ),
    )


@cached
def step_figure() -> str:
    """05-gradient-descent.md: the prediction before and after one step of gradient descent,
    and how far each prediction moved (at its true size, on an axis of its own)."""
    step = claims.one_step()
    before, after = forward(START, X)[2], forward(step.params, X)[2]
    moved = after - before
    with styled():
        fig, ax = panel()
        ax.plot(DRAWN, curve(START), color=GREY, lw=2, label="before the step")
        ax.plot(DRAWN, curve(step.params), color=ONE, lw=2.5, label="after one step")
        data(ax)
        fit_axes(ax)
        key(fig)
        change_fig, change = panel((4.4, 2.8))
        arrow = {"arrowstyle": "-|>", "color": ONE, "lw": 2.5, "mutation_scale": 16}
        arrow |= {"shrinkA": 0, "shrinkB": 0}  # from 0 to the very value
        for x, d in zip(X, moved):
            change.annotate("", (x, d), (x, 0), arrowprops=arrow)
            change.annotate(signed(d), (x, d), (0, 3 if d > 0 else -3), textcoords="offset points",
                            ha="center", va="bottom" if d > 0 else "top", fontsize=11)  # fmt: skip
        change.update_datalim(np.column_stack([X, moved]))  # the arrows are the data
        change.axhline(0, color=INK, lw=1)
        was = ["too high" if b > y else "too low" for b, y in zip(before, Y)]
        change.set(ylabel="change in ŷ", xlim=(0.5, 4.5), xlabel="x, and ŷ before the step")
        change.set_xticks(X, [f"{x:g}\n{w}" for x, w in zip(X, was)])
        reach = 1.3 * float(np.max(np.abs(moved)))  # room for the values at the tips
        change.set_ylim(-reach if (moved < 0).any() else 0, reach if (moved > 0).any() else 0)
    directions = [
        f"{verb} the prediction at " + ("every point" if which.all() else f"x = {listed(X[which])}")
        for verb, which in (("raises", moved > 0), ("lowers", moved < 0))
        if which.any()
    ]
    away = (moved > 0) == (before > Y)  # moved further from its target
    return figure(
        "step",
        "One step moves every prediction a little: the curves before and after it, nearly the "
        "same, and how far each prediction moved, on an axis of its own. The step is a "
        "compromise between the four points' own gradients.",
        (
            fig,
            "The prediction before and after one step",
            f"Two nearly identical curves over x from {DRAWN[0]:g} to {DRAWN[-1]:g}. The step "
            f"{' and '.join(directions)}. The four data points are at heights "
            f"{', '.join(f'{y:g}' for y in Y)}.",
        ),
        (
            change_fig,
            "How far one step moved each prediction",
            "One arrow per point, from 0 to the change in its prediction, at its true size: "
            + ", ".join(f"{signed(d)} at x = {x:g}" for x, d in zip(X, moved))
            + ". Under each, whether that prediction was too high or too low before the step"
            + (
                f". At x = {listed(X[away])} the step moves the prediction away from its "
                "target: the step is a compromise."
                if away.any()
                else "; every prediction moves towards its target."
            ),
        ),
    )


@cached
def training_figure() -> str:
    """06-training.md: the cost during training (with the floor) and the trained curve."""
    plateau = claims.one_neuron_plateau()
    run = plateau.run
    with styled():
        loss_fig, left = panel()
        left.plot(np.arange(run.costs.size), run.costs, color=ONE, lw=2, label="cost C")
        floor = f"{claims.monotone_best()[1]}: the floor"
        left.axhline(plateau.floor, color=GREY, ls="--", lw=1.2, label=floor)
        left.set(xlabel="epoch", ylabel="cost C")
        left.set_ylim(bottom=0)  # from 0: the floor is far from zero, and that is the point
        key(loss_fig)
        fit_fig, right = panel()
        right.plot(DRAWN, curve(START), color=GREY, lw=2, label="at the start")
        right.plot(DRAWN, curve(run.final), color=ONE, lw=2.5, label="after training")
        data(right)
        fit_axes(right)
        key(fit_fig, 3)
    return figure(
        "training",
        "The cost during training falls fast, then ever more slowly towards 1/12 (dashed), "
        "far from zero; the trained network's curve rises and stays up.",
        (
            loss_fig,
            "The cost during training",
            f"On an axis from 0, over {run.epochs} epochs the cost falls from "
            f"{cost(run.costs[0])} to {cost(run.costs[-1])}: steeply at first, then nearly flat, "
            f"just above the dashed line at 1/12 ≈ {cost(plateau.floor)}, far from zero.",
        ),
        (
            fit_fig,
            "The prediction before and after training",
            "At the start the curve predicts "
            + ", ".join(num(v, 2) for v in forward(START, X)[2])
            + " at x = 1, 2, 3, 4; after training it rises and predicts "
            + ", ".join(num(v, 2) for v in plateau.predictions)
            + ", against targets "
            + ", ".join(f"{y:g}" for y in Y)
            + f"; before x = 1 it falls steeply, to {num(curve(run.final)[0], 2)} at "
            + f"x = {DRAWN[0]:g}.",
        ),
    )


@cached
def bump_figure() -> str:
    """08-capacity.md: a rising sigmoid plus a falling one make a bump (two neurons)."""
    p = runs.two_neurons().final
    _, a1, y_hat = forward(p, DRAWN)
    switch = -p.b1 / p.w1  # where each neuron's z₁ is 0: the middle of its S
    way = ["rising" if s > 0 else "falling" for s in p.w1 * p.w2]
    with styled():
        fig, ax = panel((4.6, 3.4))
        for j, colour in ((0, LINE), (1, ONE)):
            term = p.w2[j] * a1[:, j]
            n = ("⁽¹⁾", "⁽²⁾")[j]
            label = f"neuron {j + 1}: w₂{n}σ(w₁{n}x + b₁{n})"
            ax.plot(DRAWN, term, color=colour, lw=2, ls="--", label=label)
        ax.axhline(p.b2, color=GREY, lw=1.2, ls=":", label="b₂")
        ax.plot(DRAWN, y_hat, color=TWO, lw=2.8, label="their sum: ŷ")
        data(ax)
        ax.set(xlabel="x", ylabel="contribution to ŷ", xticks=X)
        key(fig)
    return figure(
        "bump",
        "The trained two-neuron network, taken apart: one neuron's term rises, the other's "
        "falls, and with the bias b₂ they add up to the bump through the data.",
        (
            fig,
            "A bump made of two sigmoids",
            f"Dashed: the first hidden neuron's contribution, an S-curve {way[0]} around "
            f"x = {num(switch[0], 2)}, and the second's, an S-curve {way[1]} around "
            f"x = {num(switch[1], 2)}. Dotted: the output bias. Solid: their sum, which passes "
            "through all four data points.",
        ),
    )


@cached
def comparison_figure() -> str:
    """08-capacity.md: one against two hidden neurons: the loss (linear, then log) and the fit."""
    one, two = claims.one_neuron_plateau().run, claims.two_neurons_fit()
    labels = ((one, ONE, "1 hidden neuron"), (two, TWO, "2 hidden neurons"))
    epochs = np.arange(0, one.costs.size, 5)
    with styled():
        linear, a = panel()
        for run, colour, label in labels:
            a.plot(epochs, run.costs[epochs], color=colour, lw=2, label=label)
        floor = claims.monotone_best()[1]
        a.axhline(floor, color=GREY, ls="--", lw=1.2, label=f"{floor}")
        a.set(xlabel="epoch", ylabel="cost C")
        a.set_ylim(bottom=0)
        key(linear)
        log, b = panel()
        for run, colour, label in labels:
            noise = np.flatnonzero(run.costs < ROUNDING_LOSS)  # stop where noise begins
            shown = epochs[epochs < (noise[0] if noise.size else run.costs.size)]
            b.semilogy(shown, run.costs[shown], color=colour, lw=2, label=label)
        b.set(xlabel="epoch", ylabel="cost C (log scale)")
        key(log)
        fits, c = panel()
        for run, colour, label in labels:
            c.plot(DRAWN, curve(run.final), color=colour, lw=2.5, label=label)
        data(c)
        fit_axes(c)
        key(fits)
    return figure(
        "comparison",
        "One hidden neuron against two: their costs on a linear scale, where the one-neuron "
        "network's slow fall shows; the same costs on a log scale, where the two-neuron "
        "network's fall to rounding noise shows; and the curves they learn.",
        (
            linear,
            "The cost of both networks, linear scale",
            f"On a linear axis from 0: with one hidden neuron the cost falls from "
            f"{cost(one.costs[0])} to "
            f"{cost(one.costs[-1])}, just above 1/12; with two it falls from "
            f"{cost(two.costs[0])} to below {FIT_BELOW:g} by epoch "
            f"{int(np.argmax(two.costs < FIT_BELOW))}.",
        ),
        (
            log,
            "The cost of both networks, log scale",
            f"The one-neuron cost stays between {cost(one.costs[-1])} and {cost(one.costs[0])}; "
            f"the two-neuron cost falls to {cost(two.costs[-1])}, where its curve stops: below "
            "that it is rounding noise.",
        ),
        (
            fits,
            "The curves both networks learn",
            "The one-neuron curve rises and stays up, missing the last point (before x = 1 it "
            f"falls to {num(curve(one.final)[0], 2)} at x = {DRAWN[0]:g}); the two-neuron curve "
            "rises through the middle points and comes back down through the last one.",
        ),
    )


@cached
def network_figure() -> str:
    """01-network.md: the tiny network as a diagram: input, one hidden neuron, output."""
    with styled():
        fig, ax = panel((4.6, 2.3))
        ax.set_axis_off()
        ax.set(xlim=(-0.5, 4.5), ylim=(-1.3, 1.0), aspect="equal")
        for at, name, below in (
            (0, "x", "input"),
            (2, "σ", "hidden neuron\nz₁ = w₁x + b₁\na₁ = σ(z₁)"),
            (4, "ŷ", "output\nŷ = w₂a₁ + b₂"),
        ):
            ax.add_patch(pyplot().Circle((at, 0), 0.42, fill=False, ec=INK, lw=1.6))
            ax.text(at, 0, name, ha="center", va="center", fontsize=15)
            ax.text(at, -0.55, below, ha="center", va="top", fontsize=10.5)
        for start, end, label in ((0.45, 1.55, "× w₁, + b₁"), (2.45, 3.55, "× w₂, + b₂")):
            arrow = {"arrowstyle": "->", "lw": 1.6, "color": INK}
            ax.annotate("", (end, 0), (start, 0), arrowprops=arrow)
            ax.text((start + end) / 2, 0.18, label, ha="center", fontsize=10.5)
    return figure(
        "network",
        "The tiny network: one input, one hidden neuron, one output.",
        (
            fig,
            "Diagram of the tiny network",
            "Three circles from left to right joined by arrows: the input x; the hidden neuron, "
            "which computes z₁ = w₁x + b₁ and its activation a₁ = σ(z₁); and the output, which "
            "computes ŷ = w₂a₁ + b₂.",
        ),
    )


def extremes(values: np.ndarray, every: int) -> np.ndarray:
    """Which of ``values`` to draw: in each run of ``every``, the first, the lowest and the
    highest, in order. The line looks the same as one through all of them (no spike is lost
    between samples), with a fraction of the points.

    >>> extremes(np.array([3.0, 9.0, 1.0, 4.0, 4.0, 4.0, 2.0]), 3).tolist()  # 4, 5: flat
    [0, 1, 2, 3, 6]
    """
    keep = {values.size - 1}
    for at in range(0, values.size, every):
        run = values[at : at + every]
        keep |= {at, at + int(np.argmin(run)), at + int(np.argmax(run))}
    return np.array(sorted(keep))


class Overshoot(NamedTuple):
    """The spike in the stuck run's cost after it leaves the plateau."""

    low_epoch: int  # the lowest cost before the spike…
    low: float
    peak_epoch: int  # …and the spike's top
    peak: float
    curvature: float  # the cost's largest curvature at low_epoch
    limit: float  # 2/η: above it, a step of gradient descent overshoots
    echo_epoch: int  # a second, smaller bump soon after
    echo: float


@cached
def overshoot() -> Overshoot:
    """Where the stuck run's cost, on its way down from the plateau, jumps up, and why.

    Gradient descent with step η shrinks the distance to the bottom of a valley whose curvature
    is λ only while ηλ < 2: beyond, each step lands on the far side, further than it started.
    """
    s = claims.stuck_at_mean()
    costs = runs.stuck_longer().costs
    peak = s.settled_epoch + int(np.argmax(costs[s.settled_epoch :]))
    low = int(np.argmin(costs[:peak]))
    at_low = runs.train_in_floats(small_random_start(STUCK_SEED), X, Y, LR, low).final
    curvature = float(symmetric_eigenvalues(hessian(at_low, X, Y))[-1])
    limit = 2 / LR
    after = costs[peak + 10 : peak + 61]
    echo = peak + 10 + int(np.argmax(after))
    claims.check(costs[peak] > costs[0], "the spike rises above the cost at the start")
    claims.check(curvature > limit, "before the spike, the valley is too steep for the step")
    claims.check(escape_epoch(costs) > peak, "the spike comes before the run fits")
    dip = float(np.min(costs[peak:echo]))
    claims.check(2 * dip < costs[echo] < costs[peak] / 2, "then a second bump, a smaller one")
    return Overshoot(
        low, float(costs[low]), peak, float(costs[peak]), curvature, limit, echo, float(costs[echo])
    )


@cached
def stuck_figure() -> str:
    """09-starts.md: the stuck run, trained ten times longer: on the plateau, then off it, with
    a close-up of the spike on the way down."""
    s = claims.stuck_at_mean()
    longer = runs.stuck_longer()
    costs = longer.costs
    o = overshoot()
    shown = extremes(costs, 10)
    near = np.arange(o.low_epoch - 60, o.peak_epoch + 61)  # the close-up: every epoch
    with styled():
        fig, ax = panel((4.6, 3.4))
        ax.plot(shown, costs[shown], color=TWO, lw=1.8, label="cost C")
        ax.axhline(s.plateau, color=GREY, ls="--", lw=1.2, label="predicting the mean")
        ax.axvline(runs.stuck().epochs, color=GREY, ls=":", lw=1.2, label="end of a normal run")
        ax.annotate(
            f"spike, epoch {o.peak_epoch:,}",
            (o.peak_epoch, o.peak),
            (8, -4),
            textcoords="offset points",
            va="top",
            fontsize=11,
        )
        ax.set(xlabel="epoch", ylabel="cost C")
        ax.set_ylim(bottom=0)
        key(fig)
        zoom_fig, zoom = panel((4.6, 3.0))
        zoom.plot(near, costs[near], "-o", color=TWO, lw=1.2, ms=3, label="cost C, every epoch")
        zoom.axhline(s.plateau, color=GREY, ls="--", lw=1.2, label="predicting the mean")
        zoom.set(xlabel="epoch", ylabel="cost C")
        zoom.set_ylim(bottom=0)
        key(zoom_fig)
    return figure(
        "stuck",
        f"The stuck network, trained {runs.LONGER} times as long as a normal run: it sits on "
        "the plateau of the mean prediction, then leaves it, spikes on the way down (an "
        f"overshoot), and falls for good. The close-up shows epochs {near[0]:,} to "
        f"{near[-1]:,}, one point per epoch.",
        (
            fig,
            "The cost of the stuck network over a long run",
            f"The cost starts at {cost(costs[0])}; by epoch {s.settled_epoch} it is at "
            f"{cost(s.plateau)}, the cost of predicting the mean, and it stays there through "
            f"the end of a normal {runs.stuck().epochs}-epoch run and long after. Then it falls, "
            f"to {cost(o.low)} at epoch {o.low_epoch:,}, and spikes: by epoch {o.peak_epoch:,} it "
            f"is back up at {cost(o.peak)}, higher than where it started. After the spike it "
            f"falls again; from {escape_words()} on it stays below {FIT_BELOW:g}, and it ends "
            f"at {cost(costs[-1])} at epoch {longer.epochs:,}.",
        ),
        (
            zoom_fig,
            "Close-up of the spike: an overshoot",
            f"Epochs {near[0]:,} to {near[-1]:,}, one point per epoch. Leaving the plateau, "
            "gradient descent has come down into a narrow valley: at epoch "
            f"{o.low_epoch:,} the cost's largest curvature is {num(o.curvature, 2)}, more than "
            f"2/η = {o.limit:g}, beyond which a step of η = {LR:g} lands on the far side of the "
            "valley, further from its floor than it started. So the weights bounce from side to "
            "side, further each time, and the cost zigzags up from one epoch to the next, from "
            f"{cost(o.low)} to {cost(o.peak)} at epoch {o.peak_epoch:,}. Then the bouncing stops "
            f"growing: a second, smaller bump reaches {cost(o.echo)} at epoch {o.echo_epoch:,}, "
            "and the cost comes down again, still zigzagging a little.",
        ),
    )


SLOPE_Z = np.linspace(-6.0, 6.0, 241)  # where the figures draw σ′


def sigma_prime(z: np.ndarray) -> np.ndarray:
    """σ′(z) = σ(z)(1 − σ(z)), from the lesson's sigmoid, as ``backward`` computes it."""
    s = sigmoid(np.asarray(z, dtype=float))
    return s * (1 - s)


def slope_top() -> tuple[float, float]:
    """Where σ′ is largest on the drawn range, and its value there: (z, σ′(z))."""
    slope = sigma_prime(SLOPE_Z)
    top = int(np.argmax(slope))
    return float(SLOPE_Z[top]), float(slope[top])


def slope_panel(z: np.ndarray, label: str, tails: bool = False):
    """σ′ over ``SLOPE_Z``, its largest value marked, and the points ``z`` on it (inside
    :func:`styled`)."""
    grid, slope = SLOPE_Z, sigma_prime(SLOPE_Z)
    at, value = slope_top()
    fig, ax = panel((4.6, 3.2))
    ax.plot(grid, slope, color=LINE, lw=2.5, label="σ′(z) = σ(z)(1 − σ(z))")
    ax.plot(z, sigma_prime(z), "o", color=ONE, ms=7, label=label, zorder=4)
    ax.plot(at, value, "o", color=INK, ms=5, zorder=3)
    ax.axhline(value, color=GREY, lw=1, ls=":")
    ax.annotate(
        f"largest: σ′({at:g}) = {Fraction(value)}",
        (at, value),
        (0, 14),
        textcoords="offset points",
        ha="center",
        fontsize=11,
    )
    if tails:  # where the sigmoid is flat: its slope all but gone
        for end, ha in ((grid[0], "left"), (grid[-1], "right")):
            ax.annotate(
                "flat tail:\nσ′ near 0", (end, slope[0]), (0, 10), textcoords="offset points",
                ha=ha, va="bottom", fontsize=11,
            )  # fmt: skip
    ax.set(xlabel="z", ylabel="σ′(z)", ylim=(-0.015, 0.32), yticks=[0, 0.1, 0.2])
    key(fig, 1)
    return fig


@cached
def slope_figure() -> str:
    """04-backprop.md: σ′(z), largest at z = 0, with the four z₁ of the starting weights."""
    z1 = forward(START, X)[0][:, 0]
    at, top = slope_top()
    with styled():
        fig = slope_panel(z1, "z₁ for x = " + ", ".join(f"{x:g}" for x in X))
    return figure(
        "slope",
        "The slope of the sigmoid, σ′(z) = σ(z)(1 − σ(z)): never more than "
        f"{Fraction(top)}, which it reaches at z = {at:g}; marked on it, the four points at the "
        "starting weights.",
        (
            fig,
            "The slope of the sigmoid",
            f"A bell-shaped curve, highest at z = {at:g}, where σ′ = {Fraction(top)} = "
            f"{num(top, 2)}, and falling towards 0 on both sides: at z = ±{SLOPE_Z[-1]:g} it is "
            f"{num(sigma_prime(SLOPE_Z[-1:])[0], 4)}. The starting weights put the four points "
            "at z₁ = "
            + ", ".join(num(v, 1) for v in z1)
            + ", where σ′ = "
            + ", ".join(num(v, 4) for v in sigma_prime(z1))
            + ".",
        ),
    )


@cached
def stuck_slope_figure() -> str:
    """09-starts.md: the stuck network's sigmoids work near the top of σ′, not in its tails."""
    s = claims.stuck_at_mean()
    z1 = forward(s.run.final, X)[0]
    at, top = slope_top()
    with styled():
        label = f"the stuck network's z₁⁽ʲ⁾, epoch {s.run.epochs}"
        fig = slope_panel(z1.ravel(), label, tails=True)
    return figure(
        "stuck-slope",
        f"Where the stuck network's sigmoids work: all {z1.size} of their inputs (two neurons, "
        "four points) sit at the top of σ′, not in the flat tails.",
        (
            fig,
            "The slope of the sigmoid, and where the stuck network uses it",
            f"A bell-shaped curve σ′(z), highest at z = {at:g}, where σ′ = {Fraction(top)}, and "
            f"near 0 in the tails on both sides. After {s.run.epochs} epochs the stuck "
            f"network's {z1.size} inputs z₁⁽ʲ⁾ lie between {num(z1.min(), 3)} and "
            f"{num(z1.max(), 3)}, all at the top of the curve, where σ′ is between "
            f"{num(s.sigma_prime.min(), 4)} and {num(s.sigma_prime.max(), 4)}.",
        ),
    )


@cached
def network2_figure() -> str:
    """08-capacity.md: the network with two hidden neurons, labelled with the bump start."""
    p = BUMP_START
    sup = ("⁽¹⁾", "⁽²⁾")
    with styled():
        fig, ax = panel((4.6, 3.3))
        ax.set_axis_off()
        ax.set(xlim=(-0.6, 4.6), ylim=(-1.85, 1.85), aspect="equal")
        radius = 0.36
        where = {"x": (0.0, 0.0), "h0": (2.0, 0.95), "h1": (2.0, -0.95), "y": (4.0, 0.0)}
        for node, name in (("x", "x"), ("h0", "σ"), ("h1", "σ"), ("y", "ŷ")):
            ax.add_patch(pyplot().Circle(where[node], radius, fill=False, ec=INK, lw=1.6))
            ax.text(*where[node], name, ha="center", va="center", fontsize=15)
        arrow = {"arrowstyle": "->", "lw": 1.6, "color": INK, "shrinkA": 0, "shrinkB": 0}
        for j in range(2):
            hx, hy = where[f"h{j}"]
            side = 1 if hy > 0 else -1
            for (ax0, ay0), (ax1, ay1), name, v in (
                ((0, 0), (hx, hy), f"w₁{sup[j]}", p.w1[j]),
                ((hx, hy), (4, 0), f"w₂{sup[j]}", p.w2[j]),
            ):
                d = np.sqrt((ax1 - ax0) ** 2 + (ay1 - ay0) ** 2)
                ux, uy = (ax1 - ax0) / d, (ay1 - ay0) / d
                start = (ax0 + radius * ux, ay0 + radius * uy)
                end = (ax1 - radius * ux, ay1 - radius * uy)
                ax.annotate("", end, start, arrowprops=arrow)
                nx, ny = (-uy, ux) if ux * side > 0 else (uy, -ux)  # away from the middle
                mx, my = (ax0 + ax1) / 2 + 0.3 * nx, (ay0 + ay1) / 2 + 0.3 * ny
                ax.text(mx, my, f"{name} = {written(v)}", ha="center", va="center", fontsize=11)
            ax.text(hx, hy + side * (radius + 0.08), f"b₁{sup[j]} = {written(p.b1[j])}",
                    ha="center", va="bottom" if side > 0 else "top", fontsize=11)  # fmt: skip
        ax.text(4, -(radius + 0.08), f"b₂ = {written(p.b2)}", ha="center", va="top", fontsize=11)
    weights = "; ".join(
        f"neuron {j + 1}: w₁{sup[j]} = {written(p.w1[j])}, b₁{sup[j]} = {written(p.b1[j])}, "
        f"w₂{sup[j]} = {written(p.w2[j])}"
        for j in range(2)
    )
    return figure(
        "network2",
        "The network with two hidden neurons, each with its own weights (superscripts number the "
        "neurons), labelled with the bump start: the weights it is trained from below.",
        (
            fig,
            "Diagram of the network with two hidden neurons",
            "The input x feeds two hidden sigmoid neurons, one above the other; each computes "
            "z₁⁽ʲ⁾ = w₁⁽ʲ⁾x + b₁⁽ʲ⁾ and a₁⁽ʲ⁾ = σ(z₁⁽ʲ⁾), and the output adds them: "
            f"ŷ = w₂⁽¹⁾a₁⁽¹⁾ + w₂⁽²⁾a₁⁽²⁾ + b₂. The bump start's weights: {weights}; "
            f"b₂ = {written(p.b2)}.",
        ),
    )


@cached
def xor_figure() -> str:
    """08-capacity.md: XOR on the corners of a square, and the lesson's data: the same pattern,
    low, high, high, low, on one axis."""
    corners = [(a, b, a ^ b) for a in (0, 1) for b in (0, 1)]
    with styled():
        square_fig, sq = panel((4.0, 3.6))
        labelled = {0: "label 0", 1: "label 1"}
        for a, b, label in corners:
            fill = INK if label else "none"
            sq.plot(a, b, "o", ms=13, mec=INK, mfc=fill, mew=2, label=labelled.pop(label, None))
            sq.annotate(f"({a}, {b}) → {label}", (a, b), (0, -16), textcoords="offset points",
                        ha="center", va="top", fontsize=11)  # fmt: skip
        sq.set(xlabel="x₁", ylabel="x₂", xticks=[0, 1], yticks=[0, 1], aspect="equal")
        sq.set(xlim=(-0.6, 1.6), ylim=(-0.55, 1.35))
        key(square_fig)
        line_fig, line = panel((4.4, 1.9))
        for x, y in zip(X, Y):
            fill = INK if y else "none"
            line.plot(x, 0, "o", ms=13, mec=INK, mfc=fill, mew=2)
            line.annotate(f"{y:g}", (x, 0), (0, 12), textcoords="offset points", ha="center",
                          va="bottom", fontsize=12)  # fmt: skip
        line.set(
            xlabel="x (above each point, its target y)",
            xticks=X,
            xlim=(0.4, 4.6),
            ylim=(-0.5, 1.0),
            yticks=[],
        )
        line.spines["left"].set_visible(False)
        line.grid(False)
        line.axhline(0, color=INK, lw=1, zorder=0)
    ones = [f"({a}, {b})" for a, b, label in corners if label]
    zeros = [f"({a}, {b})" for a, b, label in corners if not label]
    return figure(
        "xor",
        "XOR: no straight line separates the corners labelled 1 from those labelled 0. The "
        "lesson's four points have the same pattern on one axis: low, high, high, low.",
        (
            square_fig,
            "XOR on the corners of a square",
            f"Four points at the corners of the unit square: {' and '.join(ones)} labelled 1 "
            f"(filled), {' and '.join(zeros)} labelled 0 (open). The 1s sit on one diagonal and "
            "the 0s on the other, so no single straight line has the 1s on one side and the 0s "
            "on the other.",
        ),
        (
            line_fig,
            "The lesson's data on one axis",
            "The four inputs x = "
            + ", ".join(f"{x:g}" for x in X)
            + " on a line, with targets "
            + ", ".join(f"{y:g}" for y in Y)
            + " (filled for 1, open for 0): low, high, high, low.",
        ),
    )
