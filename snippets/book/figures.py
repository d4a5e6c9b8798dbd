"""Figures as inline SVG: identical bytes on every build, readable in light and dark mode.

Axes and labels are drawn in a placeholder colour that becomes ``currentColor``, so they
take the page's text colour; data colours are mid-tones that read on white and on slate.
"""

from __future__ import annotations

import io
import re
from functools import cache
from html import escape
from typing import TYPE_CHECKING

import numpy as np

from snippets.book import claims, runs
from snippets.book.cache import cached
from snippets.book.numbers import ROUNDING_LOSS, loss, num
from snippets.lesson import X, Y
from snippets.linear import best_line
from snippets.network import Params, Run, forward

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INK = "#010203"  # placeholder for the page's text colour
ONE = "#e4572e"  # 1 hidden neuron
TWO = "#1f9e89"  # 2 hidden neurons
LINE = "#4f7cff"  # linear regression
YLIM = (-0.3, 1.7)  # room above the curves for the legend
STYLE = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, in the page's font
    "svg.hashsalt": "from-lines-to-neurons",  # stable ids
    "font.size": 11,
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


def figure(fig, name: str, title: str, description: str, caption: str) -> str:
    """A page's ``<figure>``: the SVG of ``fig`` (see :func:`to_svg`) and its caption."""
    svg = to_svg(fig, name, title, description)
    caption = escape(caption, quote=False)
    return f'<figure class="figure">{svg}<figcaption>{caption}</figcaption></figure>'


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
    svg = svg.replace(INK, "currentColor")
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


def curve(p: Params, x: np.ndarray) -> np.ndarray:
    """The network's prediction at each x."""
    return forward(p, x)[2]


def intuition(x, y, line: tuple[float, float], net: Params) -> Figure:
    """Left to right: the best straight line and the curve a 2-neuron network learns."""
    plt = pyplot()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True, layout="constrained")
        for ax, label, values, colour in (
            (axes[0], "best line", line[0] * DRAWN + line[1], LINE),
            (axes[1], "network (2 hidden neurons)", curve(net, DRAWN), TWO),
        ):
            ax.plot(DRAWN, values, color=colour, lw=2.5, label=label)
            ax.plot(x, y, "o", color=INK, ms=7, label="data")
            ax.set_xlabel("x")
            ax.legend(loc="upper center", ncols=2)
        axes[0].set(ylabel="y", ylim=YLIM)
    return fig


def comparison(one: Run, two: Run, x, y) -> Figure:
    """Left: both loss curves, log scale. Right: both learned functions and the data."""
    plt = pyplot()
    with plt.rc_context(STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
        for run, colour, label in ((one, ONE, "1 hidden neuron"), (two, TWO, "2 hidden neurons")):
            # every 5th epoch is smooth enough; stop where the loss becomes rounding noise
            noise = np.flatnonzero(run.losses < ROUNDING_LOSS)
            end = noise[0] if noise.size else run.losses.size
            epochs = np.arange(0, end, 5)
            left.semilogy(epochs, run.losses[epochs], color=colour, lw=2, label=label)
            right.plot(DRAWN, curve(run.final, DRAWN), color=colour, lw=2.5, label=label)
        right.plot(x, y, "o", color=INK, ms=7, label="data")
        left.set(xlabel="epoch", ylabel="mean loss (log scale)")
        right.set(xlabel="x", ylabel="prediction ŷ", ylim=YLIM)
        left.legend(loc="lower left")
        right.legend(loc="upper center", ncols=3, fontsize="small", handlelength=1.2)
    return fig


@cached
def intuition_figure() -> str:
    """Page 00: the best line against the curve a two-neuron network learns."""
    return figure(
        intuition(X, Y, best_line(X, Y), runs.two_neurons().final),
        "intuition",
        "The best line versus a small network's curve",
        "Left: the four data points and the least-squares line, which is flat at the mean of y. "
        "Right: the same points and the curve learned by a network with two hidden neurons, "
        "which rises through the two middle points and falls back through the outer ones.",
        "Left: the best straight line. Right: the curve a two-neuron network learns.",
    )


@cached
def comparison_figure() -> str:
    """Page 08: loss curves and learned functions of one and two hidden neurons."""
    one, two = claims.one_neuron_plateau().run, claims.two_neurons_fit()
    return figure(
        comparison(one, two, X, Y),
        "comparison",
        "Training one versus two hidden neurons",
        "Left: mean loss per epoch on a logarithmic scale. With one hidden neuron it goes from "
        f"{num(one.losses[0])} to {num(one.losses[-1])} and flattens out; with two it falls "
        f"to {loss(two.losses[-1])}. Right: the learned functions with the four data points. "
        "The one-neuron curve rises and stays up, missing the last point; the two-neuron curve "
        "rises through the middle points and comes back down through the last one.",
        "Left: the loss during training, log scale. Right: the functions learned, with the data.",
    )
