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

from snippets.network import Params, Run, forward
from snippets.render import ROUNDING_LOSS

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


GRID = np.linspace(0.5, 4.5, 161)  # the x at which the figures draw a network's curve


def curve(p: Params, x: np.ndarray) -> np.ndarray:
    """The network's prediction at each x."""
    return forward(p, x)[2]


def intuition(x, y, line: tuple[float, float], net: Params) -> Figure:
    """Left to right: the best straight line and the curve a 2-neuron network learns."""
    plt = pyplot()
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True, layout="constrained")
        for ax, label, values, colour in (
            (axes[0], "best line", line[0] * GRID + line[1], LINE),
            (axes[1], "network (2 hidden neurons)", curve(net, GRID), TWO),
        ):
            ax.plot(GRID, values, color=colour, lw=2.5, label=label)
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
            right.plot(GRID, curve(run.final, GRID), color=colour, lw=2.5, label=label)
        right.plot(x, y, "o", color=INK, ms=7, label="data")
        left.set(xlabel="epoch", ylabel="mean loss (log scale)")
        right.set(xlabel="x", ylabel="prediction ŷ", ylim=YLIM)
        left.legend(loc="lower left")
        right.legend(loc="upper center", ncols=3, fontsize="small", handlelength=1.2)
    return fig


INIT_COLOURS = {"small": "#e4572e", "xavier": "#4f7cff", "he": "#1f9e89"}


def study(result) -> Figure:
    """One panel per optimiser: share fitting (solid) and stuck (dashed) against width."""
    plt = pyplot()
    optimisers = sorted(
        {s.optimiser for s in result.settings}, key=["gd", "momentum", "adam"].index
    )
    widths = sorted({s.width for s in result.settings})
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            1, len(optimisers), figsize=(9, 3.4), sharey=True, layout="constrained"
        )
        for ax, opt in zip(axes, optimisers):
            for init, colour in INIT_COLOURS.items():
                rows = [result.setting(init, w, opt) for w in widths]
                for outcome, style in (("fits", "-"), ("stuck", "--")):
                    shares = [getattr(r, outcome) for r in rows]
                    y = [100 * s.share for s in shares]
                    err = [
                        [100 * (s.share - s.low) for s in shares],
                        [100 * (s.high - s.share) for s in shares],
                    ]
                    ax.errorbar(
                        range(len(widths)),
                        y,
                        yerr=err,
                        color=colour,
                        ls=style,
                        marker="o",
                        ms=4,
                        capsize=2,
                        label=f"{init}, {outcome}",
                    )
            ax.set(
                title={"gd": "Gradient descent"}.get(opt, opt.capitalize()),
                xlabel="hidden neurons",
                xticks=range(len(widths)),
                xticklabels=widths,
                ylim=(-3, 103),
            )
        axes[0].set_ylabel("share of 1000 starts (%)")
        handles, labels = axes[-1].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=6, fontsize="small")
    return fig
