"""snippets/book/figures.py: every figure accessible, true to its data, and the same every time.

The figure functions are run here without the results cache (``inspect.unwrap``), so that the
checks ``to_svg`` makes while drawing (:func:`figures.drawn_outside`) run on every panel; each
panel's axes are kept to be inspected.
"""

from __future__ import annotations

import inspect
import re
import xml.etree.ElementTree as ET
from fractions import Fraction

import numpy as np
import pytest

from snippets.book import cache, claims, figures, runs
from snippets.book.numbers import cost, num, signed, written
from snippets.book.views import point_chain
from snippets.lesson import BUMP_START, LR, START, X, Y
from snippets.network import forward, sigmoid
from snippets.outcomes import escape_epoch

SVG = "{http://www.w3.org/2000/svg}"
PREFIX = "snippets.book.figures."
FIGURES = sorted(
    name.removeprefix(PREFIX)
    for name in cache.REGISTRY
    if name.startswith(PREFIX) and name.endswith("_figure")
)
NEW = ["slope_figure", "stuck_slope_figure", "network2_figure", "xor_figure"]


class Drawn:
    """A figure function's output, and each panel as ``to_svg`` checked it."""

    def __init__(self, html: str, panels: list[tuple[object, str, list[str]]]) -> None:
        self.html = html
        self.panels = panels  # (matplotlib figure, description, problems found)
        self.root = ET.fromstring(html)  # the whole <figure> is well-formed XML

    @property
    def svgs(self) -> list[ET.Element]:
        return self.root.findall(f".//{SVG}svg")

    @property
    def caption(self) -> str:
        return "".join(self.root.find("figcaption").itertext())

    def texts(self, k: int | None = None) -> list[str]:
        """The text drawn in panel ``k`` (all panels if None), one string per <text>."""
        svgs = self.svgs if k is None else [self.svgs[k]]
        return ["".join(t.itertext()) for svg in svgs for t in svg.iter(f"{SVG}text")]

    def described(self, k: int) -> str:
        return self.svgs[k].find(f"{SVG}desc").text

    def axes(self, k: int):
        """The axes of panel ``k`` that have axes (diagrams have none)."""
        return [ax for ax in self.panels[k][0].axes if ax.axison]


def draw(name: str) -> Drawn:
    """Run figure function ``name`` past the cache, keeping what ``to_svg`` checked."""
    panels = []
    check = figures.drawn_outside

    def spy(fig, description):
        problems = check(fig, description)
        panels.append((fig, description, problems))
        return problems

    with pytest.MonkeyPatch.context() as m:
        m.setattr(figures, "drawn_outside", spy)
        html = inspect.unwrap(getattr(figures, name))()
    return Drawn(html, panels)


@pytest.fixture(scope="module")
def drawn() -> dict[str, Drawn]:
    return {name: draw(name) for name in FIGURES}


def test_the_figures_are_found():
    assert len(FIGURES) >= 13 and set(NEW) < set(FIGURES)


# ---- Accessible, in the page's colours ----


@pytest.mark.parametrize("name", FIGURES)
def test_each_panel_is_an_accessible_svg(drawn, name):
    d = drawn[name]
    assert d.root.tag == "figure" and d.caption.strip()
    assert len(d.svgs) == len(d.panels) >= 1
    for svg in d.svgs:
        assert svg.get("role") == "img"
        title, desc = list(svg)[:2]  # the first children: what a screen reader announces
        assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert len(title.text) > 10 and len(desc.text) > 40
        assert "width" not in svg.attrib and "height" not in svg.attrib  # scales with the column
        assert list(svg.iter(f"{SVG}text")), "text stays text"
        assert not list(svg.iter(f"{SVG}image"))


@pytest.mark.parametrize("name", FIGURES)
def test_drawn_in_the_pages_colour_not_in_black(drawn, name):
    """Axes, text and arrows take the page's text colour (light and dark); no fixed black or
    white, which would vanish on one of the two backgrounds."""
    html = drawn[name].html
    assert "currentColor" in html
    fixed = re.findall(r"#000000\b|#ffffff\b|\bblack\b|\bwhite\b|#010203", html, re.I)
    assert fixed == []


def test_ids_are_unique_across_figures(drawn):
    """Several figures share a page (08 shows four): no id may repeat."""
    ids = [el.get("id") for d in drawn.values() for el in d.root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


# ---- Words that are true whatever the layout ----

PLACE = re.compile(r"\b(left|right|middle|top|bottom|above|below)\b", re.I)
SIDE = r"(?:left|right|middle|top|bottom)"
# "Left: …", "in the right panel": a panel called by its place (directions inside a panel, such
# as "arrows pointing right", are fine)
PANEL_BY_PLACE = re.compile(
    rf"(?:^|[.;]\s*){SIDE}\s*:|\b{SIDE}\s+(?:panel|figure|plot|chart|one)\b", re.I
)


@pytest.mark.parametrize("name", FIGURES)
def test_captions_name_panels_not_places(drawn, name):
    """The panels stack or sit side by side depending on the screen: a caption for several
    panels does not say where they are, and no text calls a panel by its place."""
    d = drawn[name]
    if len(d.svgs) > 1:
        assert PLACE.findall(d.caption) == [], d.caption
    descriptions = [d.described(k) for k in range(len(d.svgs))]
    assert [PANEL_BY_PLACE.findall(t) for t in (d.caption, *descriptions)] == [[]] * (
        1 + len(descriptions)
    )


def test_the_caption_check_can_fail():
    assert PLACE.findall("Left: the cost. Right: the fit.") == ["Left", "Right"]
    assert PANEL_BY_PLACE.findall("Left: the cost. Right: the fit.") == ["Left:", ". Right:"]
    assert PANEL_BY_PLACE.findall("as in the middle panel") == ["middle panel"]
    assert PANEL_BY_PLACE.findall("it rises from left to right; arrows pointing right: x") == []


# ---- Every axis shows all it draws ----


@pytest.mark.parametrize("name", FIGURES)
def test_every_axis_range_contains_the_data(drawn, name):
    """``to_svg`` refuses a figure that hides data without saying so (it would stop the
    build); here, every panel was checked and none hid anything."""
    d = drawn[name]
    assert [problems for _, _, problems in d.panels] == [[]] * len(d.panels)
    for fig, _, _ in d.panels:
        for ax in fig.axes:
            if not ax.axison:
                continue
            (lo, hi), (v0, v1) = ax.dataLim.intervaly, ax.viewLim.intervaly
            assert v0 <= lo and hi <= v1, f"{name}: y from {lo} to {hi} shown {v0} to {v1}"


def test_the_axis_check_can_fail():
    with figures.styled():
        fig, ax = figures.panel()
        ax.plot([0, 1, 2], [0, 5, 1])
        ax.set_ylim(0, 2)  # hides the peak
    assert figures.drawn_outside(fig, "A peak.") == ["axes 1: y data from 0 to 5, shown 0 to 2"]
    figures.cut(ax, "the peak at 5 is above the axis")
    assert "omits" in figures.drawn_outside(fig, "A peak.")[0]  # declared, but not said
    assert figures.drawn_outside(fig, "A peak; the peak at 5 is above the axis.") == []
    with pytest.raises(figures.Misdrawn, match="y data from 0 to 5"):
        figures.to_svg(fig, "test", "A peak", "A peak.")


def test_the_edge_check_can_fail():
    """A label longer than its panel is cut by the edge of the SVG (08's cost label was)."""
    with figures.styled():
        fig, ax = figures.panel((4.4, 1.6))
        ax.plot([0, 1], [0, 1])
        ax.set_ylabel("a label far too long to fit along the side of so short a panel")
        with pytest.raises(figures.Misdrawn, match="past the figure's"):
            figures.to_svg(fig, "test", "A line", "A line.")


def test_a_legend_too_wide_for_its_columns_takes_fewer():
    with figures.styled():
        fig, ax = figures.panel((3.0, 2.4))
        for k in range(3):
            ax.plot([0, 1], [k, k], label=f"a rather long label, number {k + 1}")
        figures.key(fig, 3)
        [legend] = fig.legends
        assert legend.get_window_extent(fig.canvas.get_renderer()).width <= fig.bbox.width
        figures.to_svg(fig, "test", "Three lines", "Three lines.")  # nothing cut: no error


def test_the_stuck_run_is_shown_whole(drawn):
    """09: the start (above the plateau) and the spike on the way down are inside the axes."""
    costs = runs.stuck_longer().costs
    [ax] = drawn["stuck_figure"].axes(0)
    v0, v1 = ax.viewLim.intervaly
    assert v0 <= 0 and v1 >= costs.max() > costs[0] > claims.stuck_at_mean().plateau
    assert ax.get_yscale() == "linear"


@pytest.mark.parametrize(("name", "k"), [("training_figure", 0), ("comparison_figure", 0)])
def test_linear_cost_axes_start_at_zero(drawn, name, k):
    [ax] = drawn[name].axes(k)
    assert ax.viewLim.intervaly[0] == 0


# ---- The same bytes every time ----


@pytest.mark.parametrize("name", FIGURES)
def test_the_same_bytes_every_time(drawn, name):
    assert inspect.unwrap(getattr(figures, name))() == drawn[name].html


# ---- The new pictures: their numbers come from the lesson's code ----


def sigma_prime(z: float) -> float:
    s = float(sigmoid(np.array([z]))[0])
    return s * (1 - s)


def test_slope_figure(drawn):
    d = drawn["slope_figure"]
    top = sigma_prime(0.0)
    assert top == 0.25 == max(sigma_prime(z) for z in np.linspace(-6, 6, 241))
    assert f"largest: σ′(0) = {Fraction(top)}" in d.texts()
    desc = d.described(0)
    assert f"σ′ = {Fraction(top)} = {num(top, 2)}" in desc
    z1 = forward(START, X)[0][:, 0]
    assert ", ".join(num(sigma_prime(z), 4) for z in z1) in desc
    [ax] = d.axes(0)
    marked = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert any(np.allclose(line.get_xdata(), z1) for line in marked)


def test_stuck_slope_figure(drawn):
    d = drawn["stuck_slope_figure"]
    s = claims.stuck_at_mean()
    z1 = forward(s.run.final, X)[0]
    desc = d.described(0)
    assert f"{num(z1.min(), 3)} and {num(z1.max(), 3)}" in desc
    assert num(min(sigma_prime(z) for z in z1.ravel()), 4) in desc
    assert f"σ′ = {Fraction(sigma_prime(0.0))}" in desc


def test_two_neuron_diagram(drawn):
    d = drawn["network2_figure"]
    texts = d.texts()
    for j, sup in enumerate(("⁽¹⁾", "⁽²⁾")):
        for label, value in (("w₁", BUMP_START.w1[j]), ("b₁", BUMP_START.b1[j])):
            assert f"{label}{sup} = {written(value)}" in texts
        assert f"w₂{sup} = {written(BUMP_START.w2[j])}" in texts
    assert f"b₂ = {written(BUMP_START.b2)}" in texts
    assert "w₁⁽²⁾ = " + written(BUMP_START.w1[1]) in d.described(0)


def test_xor_figure(drawn):
    d = drawn["xor_figure"]
    for a in (0, 1):
        for b in (0, 1):
            assert f"({a}, {b}) → {a ^ b}" in d.texts(0)
    [ax] = d.axes(1)
    assert [t.get_text() for t in ax.texts] == [f"{y:g}" for y in Y]
    assert [t.xy[0] for t in ax.texts] == X.tolist()
    assert "low, high, high, low" in d.caption


def test_step_figure_shows_each_change_at_its_true_size(drawn):
    d = drawn["step_figure"]
    before = forward(START, X)[2]
    moved = forward(claims.one_step().params, X)[2] - before
    for change in moved:
        assert signed(change) in d.texts(1)
    [ax] = d.axes(1)
    # the arrows run from 0 to each change: no magnification
    arrows = [a for a in ax.texts if a.arrow_patch is not None]
    assert sorted((a.xy, a.xyann) for a in arrows) == sorted(
        ((x, c), (x, 0.0)) for x, c in zip(X.tolist(), moved.tolist())
    )
    assert ax.viewLim.height < 2 * np.max(np.abs(moved))  # tall enough to see: its own axis


def test_graph_figure_draws_the_backward_pass(drawn):
    d = drawn["graph_figure"]
    html = d.html
    back_styles = re.findall(r"\.(graph-1-s\d+)\{[^}]*stroke:\s*var\(--figure-back\)", html)
    back_paths = sum(html.count(f'class="{cls}"') for cls in back_styles)
    assert back_paths >= 2 * 6  # six arrows (L to ŷ, ŷ to a₁, a₁ to z₁, two down): shaft, head
    texts = " ".join(d.texts())
    g = point_chain(0)
    for key in ("dL_dyhat", "dL_da1", "dL_dz1", "dL_dw1", "dL_db1", "dL_dw2", "dL_db2"):
        assert num(g[key]) in texts


def test_stuck_figure_explains_the_spike(drawn):
    """09: the spike's epoch and values in the text come from the run."""
    costs = runs.stuck_longer().costs
    settled = claims.stuck_at_mean().settled_epoch
    peak = settled + int(np.argmax(costs[settled:]))
    low = int(np.argmin(costs[:peak]))
    d = drawn["stuck_figure"]
    text = d.described(0) + d.described(1)
    assert f"to {cost(costs[low])} at epoch {low:,}" in text
    assert f"epoch {peak:,} it is back up at {cost(costs[peak])}" in text
    assert f"spike, epoch {peak:,}" in d.texts(0)
    assert escape_epoch(costs) > peak
    o = figures.overshoot()
    assert (o.low_epoch, o.peak_epoch) == (low, peak) and o.curvature > o.limit == 2 / LR
    assert f"largest curvature is {num(o.curvature, 2)}, more than 2/η = {2 / LR:g}" in text
    [ax] = d.axes(1)  # the close-up: every epoch around the spike
    [line] = [line for line in ax.get_lines() if line.get_marker() == "o"]
    epochs = line.get_xdata()
    assert epochs[0] < low < peak < epochs[-1] and np.all(np.diff(epochs) == 1)
