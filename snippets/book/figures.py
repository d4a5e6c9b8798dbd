"""Figures as inline SVG: identical bytes on every build, readable in light and dark mode.

Axes and labels are drawn in a placeholder colour that becomes ``currentColor``, so they
take the page's text colour; data colours are mid-tones that read on white and on slate.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from functools import cache
from html import escape
from typing import TYPE_CHECKING

import numpy as np

from snippets.book import claims, runs
from snippets.book.cache import cached
from snippets.book.numbers import ROUNDING_LOSS, loss, num, written
from snippets.book.views import escape_words, point_chain
from snippets.lesson import START, X, Y
from snippets.linear import best_line
from snippets.network import Params, forward, sigmoid
from snippets.outcomes import FIT_BELOW

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
    """The figure's legend, above the axes: never on top of the data or the ticks."""
    fig.legend(loc="outside upper center", ncols=columns, fontsize=11, handlelength=1.6)


def to_svg(fig, name: str, title: str, description: str) -> str:
    """Serialise ``fig`` to an accessible inline ``<svg>``, ids prefixed with ``name``."""
    buf = io.StringIO()
    with pyplot().rc_context(STYLE):  # the salt and font type apply when saving
        fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None})
    pyplot().close(fig)
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
    ax.set(xlabel="x", ylabel=ylabel, ylim=YLIM, xticks=X)


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
        "Left: the best straight line. Right: the curve a network with two hidden neurons "
        "learns from the same four points.",
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
    """04-backprop.md: the chain for x = 1, values forward in the boxes, gradients back below."""
    g = point_chain(0)
    with styled():
        fig, ax = panel((4.6, 3.6))
        ax.set_axis_off()
        ax.set(xlim=(-0.5, 4.5), ylim=(-1.45, 2.45))
        nodes = [
            ("x", f"{g['x']:g}", None),
            ("z₁", num(g["z1"]), g["dL_dz1"]),
            ("a₁", num(g["a1"]), g["dL_da1"]),
            ("ŷ", num(g["y_hat"]), g["dL_dyhat"]),
            ("L", num(g["L"]), None),
        ]
        for k, (name, value, back) in enumerate(nodes):
            box = {"boxstyle": "round,pad=0.3", "fc": "none", "ec": INK}
            ax.text(k, 0, f"{name}\n{value}", ha="center", va="center", fontsize=11, bbox=box)
            if back is not None:
                text = f"∂L/∂{name}\n{num(back)}"
                ax.text(k, -1.0, text, ha="center", va="center", color=BACK, fontsize=11)
            if k < 4:
                arrow = {"arrowstyle": "->", "color": INK, "lw": 1.4}
                ax.annotate("", (k + 0.6, 0), (k + 0.4, 0), arrowprops=arrow)
        for at, pair in ((1, ("w1", "b1")), (3, ("w2", "b2"))):
            for row, name in enumerate(pair):
                label = f"{name[0]}{'₁₂'[int(name[1]) - 1]}"
                top = 2.15 - 0.8 * row
                ax.text(at, top, f"{label} = {written(g[name])}", ha="center", va="center")
                back = f"∂L/∂{label} = {num(g['dL_d' + name])}"
                ax.text(at, top - 0.33, back, ha="center", va="center", color=BACK, fontsize=11)
            ax.annotate("", (at, 0.42), (at, 0.85), arrowprops={"arrowstyle": "->", "color": INK})
    return figure(
        "graph",
        "The computation for x = 1. In the boxes, the values computed forward, left to right; "
        "in colour, the derivative of the loss with respect to each value and weight, computed "
        "backward.",
        (
            fig,
            "The chain of computations for one point, with its gradients",
            "Five boxes in a row, joined by arrows: x, z₁, a₁, ŷ and the loss L, each with its "
            "value for x = 1. Above z₁ the weights w₁ and b₁ that feed it, above ŷ the weights "
            "w₂ and b₂. Under each box and weight, the derivative of the loss with respect to it.",
        ),
    )


@cached
def step_figure() -> str:
    """05-gradient-descent.md: the prediction before and after one step of gradient descent."""
    step = claims.one_step()
    before, after = forward(START, X)[2], forward(step.params, X)[2]
    with styled():
        fig, ax = panel()
        ax.plot(DRAWN, curve(START), color=GREY, lw=2, label="before the step")
        ax.plot(DRAWN, curve(step.params), color=ONE, lw=2.5, label="after one step")
        for x, b, a in zip(X, before, after):
            ax.plot([x, x], [b, a], color=ONE, lw=1.5)
            ax.plot(x, a, "^" if a > b else "v", color=ONE, ms=6)
        data(ax)
        fit_axes(ax)
        key(fig, 3)
    moves = [
        f"{verb} the prediction at " + ("every point" if moved.all() else f"x = {listed(X[moved])}")
        for verb, moved in (("raises", after > before), ("lowers", after < before))
        if moved.any()
    ]
    return figure(
        "step",
        "One step moves every prediction a little (arrows): the step is a compromise between "
        "the four points' own gradients.",
        (
            fig,
            "The prediction before and after one step",
            f"Two nearly identical curves over x from {DRAWN[0]:g} to {DRAWN[-1]:g}. The step "
            f"{' and '.join(moves)}. The four data points are at heights "
            f"{', '.join(f'{y:g}' for y in Y)}.",
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
        left.axhline(plateau.floor, color=GREY, ls="--", lw=1.2, label="1/12: the floor")
        left.set(xlabel="epoch", ylabel="cost C", ylim=(0.08, 0.13))
        key(loss_fig)
        fit_fig, right = panel()
        right.plot(DRAWN, curve(START), color=GREY, lw=2, label="at the start")
        right.plot(DRAWN, curve(run.final), color=ONE, lw=2.5, label="after training")
        data(right)
        fit_axes(right)
        key(fit_fig, 3)
    return figure(
        "training",
        "Left: the cost falls fast, then ever more slowly towards 1/12 (dashed). Right: the "
        "trained network's curve rises and stays up.",
        (
            loss_fig,
            "The cost during training",
            f"Over {run.epochs} epochs the cost falls from {num(run.costs[0])} to "
            f"{num(run.costs[-1])}: steeply at first, then nearly flat, just above the dashed "
            f"line at 1/12 ≈ {num(plateau.floor)}.",
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
            + ".",
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
        a.axhline(claims.monotone_best()[1], color=GREY, ls="--", lw=1.2, label="1/12")
        a.set(xlabel="epoch", ylabel="cost C (linear scale)", ylim=(0, 0.14))
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
        "One hidden neuron against two. Left: the cost on a linear scale, where the one-neuron "
        "network's slow fall shows. Middle: the same on a log scale, where the two-neuron "
        "network's fall to rounding noise shows. Right: the curves they learn.",
        (
            linear,
            "The cost of both networks, linear scale",
            f"With one hidden neuron the cost falls from {num(one.costs[0])} to "
            f"{num(one.costs[-1])}, just above 1/12; with two it falls from "
            f"{num(two.costs[0])} to below {FIT_BELOW:g} by epoch "
            f"{int(np.argmax(two.costs < FIT_BELOW))}.",
        ),
        (
            log,
            "The cost of both networks, log scale",
            f"The one-neuron cost stays between {num(one.costs[-1])} and {num(one.costs[0])}; "
            f"the two-neuron cost falls to {loss(two.costs[-1])}, where its curve stops: below "
            "that it is rounding noise.",
        ),
        (
            fits,
            "The curves both networks learn",
            "The one-neuron curve rises and stays up, missing the last point; the two-neuron "
            "curve rises through the middle points and comes back down through the last one.",
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
            ax.annotate("", (end, 0), (start, 0), arrowprops={"arrowstyle": "->", "lw": 1.6})
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


@cached
def stuck_figure() -> str:
    """09-starts.md: the stuck run, trained ten times longer: on the plateau, then off it."""
    s = claims.stuck_at_mean()
    longer = runs.stuck_longer()
    epochs = np.arange(0, longer.costs.size, 10)
    with styled():
        fig, ax = panel((4.6, 3.0))
        ax.plot(epochs, longer.costs[epochs], color=TWO, lw=2, label="cost C")
        ax.axhline(s.plateau, color=GREY, ls="--", lw=1.2, label="predicting the mean")
        ax.axvline(runs.stuck().epochs, color=GREY, ls=":", lw=1.2, label="end of a normal run")
        ax.set(xlabel="epoch", ylabel="cost C", ylim=(-0.005, 0.14))
        key(fig)
    return figure(
        "stuck",
        f"The stuck network, trained {runs.LONGER} times as long as a normal run: it sits on "
        "the plateau of the mean prediction, then leaves it.",
        (
            fig,
            "The cost of the stuck network over a long run",
            f"By epoch {s.settled_epoch} the cost is at {num(s.plateau, 3)}, the cost of "
            f"predicting the mean, and it stays there through the end of a normal "
            f"{runs.stuck().epochs}-epoch run; later it leaves, and from "
            f"{escape_words()} on it stays below {FIT_BELOW:g}.",
        ),
    )
