"""The built site: every page there, every number on it equal to what the code computes."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from ast import literal_eval
from html import unescape
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.etree import ElementTree

import numpy as np
import pytest

from conftest import (
    ROOT,
    SECTION_NUMBER,
    assert_shows,
    copy_checkout,
    glossary_entries,
    mkdocs_build,
    number,
    table_with,
    tables_of,
    text_of,
)
from snippets.book import claims, runs
from snippets.book.numbers import cost
from snippets.lesson import (
    BUMP_START,
    EPOCHS,
    LOG_EVERY,
    LR,
    SMALL_RANDOM_SCALE,
    START,
    STUCK_SEED,
    WIDTHS,
    X,
    Y,
    small_random_start,
)
from snippets.network import backward, forward, gradients, loss, to_vector
from snippets.optimisers import OPTIMISERS
from snippets.study.experiment import INITIALISATIONS, seed, starts
from snippets.study.findings import PRECISE

DIAGNOSIS_TEXT = (  # the diagnosis table's headers, as a reader (or a screen reader) gets them
    "setting",
    "stuck",
    "mean σ′",
    "with a unit in a flat tail",
    "largest ∣w1∣ (median)",  # KaTeX writes |…| as U+2223,
    "gradient length (median)",
    "w2 (median)",
)

PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
NOTEBOOK = "nn_from_scratch"


def page(site: Path, name: str) -> str:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return path.read_text(encoding="utf-8")


def equations(html: str) -> list[str]:
    """The text of every display equation, e.g. 'z1=w1·x+b1=0.5·1+(−0.1)=0.4000'."""
    found = []
    html = re.sub(r"<section[^>]*check-yourself.*?</section>", "", html, flags=re.S)
    for block in re.findall(r'<math[^>]*display="block"[^>]*>(.*?)</math>', html, re.S):
        rows = re.findall(r"<mtr>(.*?)</mtr>", block, re.S) or [block]  # an aligned derivation
        found += [unescape(re.sub(r"<[^>]+>|\s", "", row)) for row in rows]
    return found


def result(equation: str) -> str:
    """What an equation ends with: the number after its last '=' (or '≈', for rounded factors)."""
    return re.split("[=≈]", equation)[-1].replace("-", "\u2212")


def columns(rows: list[list[str]], *values) -> None:
    """Each column of ``rows`` (from the second on, unless values has as many) shows ``values``."""
    for k, column in enumerate(values):
        for row, v in zip(rows, column, strict=True):
            assert_shows(row[len(row) - len(values) + k], v)


def test_every_page_is_built(site):
    for name in [*PAGES, NOTEBOOK]:
        html = page(site, name)
        assert "<h1" in html, name
    nav = page(site, "index")
    for name in PAGES:
        if name != "index":
            assert f'href="{name}/"' in nav, f"{name} missing from the navigation"
    assert 'href="nn_from_scratch/"' in nav


def test_no_error_output_anywhere(site):
    markers = ("Traceback", "site-packages", "Error:", "ClaimFailed", "arithmatex", "--8", "<p>|")
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for marker in markers:
            assert marker not in text, f"{marker!r} in {path.relative_to(site)}"


def test_headings_go_down_one_level_at_a_time(site):
    """A screen reader's list of headings has no gaps (an h3 right under the h1 reads as lost)."""
    for path in site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        article = html[html.find("<article") : html.find("</article>")]
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", article)]
        skips = [(a, b) for a, b in pairwise(levels) if b > a + 1]
        assert levels[:1] == [1] and skips == [], f"{path.relative_to(site)}: {skips}"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("01-network", ["X = np.array(", "START = Params.of(", "LR = 0.5"]),
        ("02-forward", ["def sigmoid(z)", "def forward(p: Params, x: np.ndarray)"]),
        ("03-loss", ["def loss(", "def cost("]),
        ("04-backprop", ["def backward(", "dL_dz1 = dL_da1 * da1_dz1"]),
        ("05-gradient-descent", ["def average(", "def gradients(", "def update("]),
        ("06-training", ["def train("]),
        ("08-capacity", ["BUMP_START = Params.of("]),
    ],
)
def test_pages_show_the_code_that_ran(site, name, shown):
    """The included source is on the page, character for character as in snippets/."""
    code = " ".join(
        text_of(block) for block in re.findall(r"<pre.*?</pre>", page(site, name), re.S)
    )
    for text in shown:
        assert text in code, f"{text!r} not shown on {name}"


def test_nothing_is_fetched_from_another_host(site):
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href|action|poster)\s*=\s*["\']([^"\']*)', text):
            assert not re.match(r"^(?:[a-z]+:)?//", url, re.I), f"{url} in {path}"
        assert "cdnjs" not in text and "fonts.googleapis" not in text, path
    for path in site.rglob("*.css"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"@import|url\(\s*[\"']?(?:https?:)?//", text), path


def test_math_is_mathml(site):
    for name in ("02-forward", "03-loss", "04-backprop", "05-gradient-descent"):
        assert equations(page(site, name)), name
    assert "<script" not in "".join(
        re.findall(r"<article.*?</article>", page(site, "02-forward"), re.S)
    )


def test_01_data_and_start(site):
    html = page(site, "01-network")
    rows = table_with(html, "x (input)", "y (target)")
    columns(rows, X, Y)
    rows = table_with(html, "weight", "value")
    assert [r[0] for r in rows] == ["w1", "b1", "w2", "b2"]  # as maths: w₁ is w with a 1 below
    columns(rows, [START.w1[0], START.b1[0], START.w2[0], START.b2])


def equation(html: str, left: str) -> str:
    """The one display equation (or derivation line) whose text starts with ``left``."""
    found = [e for e in equations(html) if e.startswith(left)]
    assert len(found) == 1, (left, found)
    return found[0]


def test_02_walkthrough_and_forward_table(site):
    html = page(site, "02-forward")
    z1, a1, y_hat = forward(START, X)
    for left, value in (("z1=", z1[0, 0]), ("a1=", a1[0, 0]), ("y^=", y_hat[0])):
        assert_shows(result(equation(html, left)), value)
    columns(table_with(html, "x", "z1", "a1", "y^", "y"), X, z1[:, 0], a1[:, 0], y_hat, Y)
    shown = re.findall(r"z1 = ([\d.]+), a1 = ([\d.]+), y_hat = ([\d.]+)", text_of(html))
    for text, value in zip(shown[-1], (z1[0, 0], a1[0, 0], y_hat[0]), strict=True):  # forward_one
        assert_shows(text, value)


def test_03_loss_table_and_cost(site):
    html = page(site, "03-loss")
    y_hat = forward(START, X)[2]
    rows = table_with(html, "x", "y^", "y", "y^−y", "L=12(y^−y)2")
    columns(rows, X, y_hat, Y, y_hat - Y, loss(y_hat, Y))
    assert_shows(result(equation(html, "C=")), np.mean(loss(y_hat, Y)))


def test_04_chain_and_finite_differences(site):
    html = page(site, "04-backprop")
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    g = b.grads
    for left, value in (
        ("∂L∂y^=", b.dL_dyhat[0]),
        ("∂L∂w2=", g.dL_dw2[0, 0]),
        ("∂L∂b2=", g.dL_db2[0]),
        ("∂L∂a1=", b.dL_da1[0, 0]),
        ("∂a1∂z1=", b.da1_dz1[0, 0]),
        ("∂L∂z1=", b.dL_dz1[0, 0]),
        ("∂L∂b1=", g.dL_db1[0, 0]),
    ):
        assert_shows(result(equation(html, left)), value)
    # ∂L/∂w₁ twice: by the chain of steps, then as the whole product with its numbers
    both = [e for e in equations(html) if e.startswith("∂L∂w1=")]
    product = [e for e in equations(html) if e.startswith("=") and "⋅" in e]  # \cdot
    assert len(both) == 2 and len(product) == 1
    for eq in (both[0], product[0]):
        assert_shows(result(eq), g.dL_dw1[0, 0])
    rows = table_with(html, "gradient", "backprop", "finite difference", "difference")
    check = claims.gradient_check()
    exact = [float(np.ravel(v)[0]) for v in check.exact]
    estimate = [float(np.ravel(v)[0]) for v in check.estimate]
    columns(rows, exact, estimate, np.abs(np.subtract(exact, estimate)))
    steps = re.findall(r"<h3[^>]*>(.*?)</h3>", html, re.S)
    assert [text_of(h).split("·")[0].strip() for h in steps[:5]] == ["1", "2", "3", "4", "5"]


def test_05_gradients_update_and_cost(site):
    html = page(site, "05-gradient-descent")
    g = backward(START, X, Y, *forward(START, X)).grads
    cols = [g.dL_dw1[:, 0], g.dL_db1[:, 0], g.dL_dw2[:, 0], g.dL_db2]
    rows = table_with(html, "x", "∂L/∂w1", "∂L/∂b1", "∂L/∂w2", "∂L/∂b2")
    assert rows[-1][0] == "average"
    columns(rows[:-1], X, *cols)
    columns([rows[-1]], *[[np.mean(c)] for c in cols])
    step = claims.one_step()
    rule, *updates = equations(html)
    assert rule == "w←w−η∂C∂w."  # the rule, in symbols, before any number
    assert len(updates) == 4  # then one line per weight: symbols, numbers, result
    for name, eq, new in zip(
        ("w1", "b1", "w2", "b2"),
        updates,
        (step.params.w1[0], step.params.b1[0], step.params.w2[0], step.params.b2),
        strict=True,
    ):
        assert eq.startswith(f"{name}←{name}−η∂C∂{name}=")
        assert_shows(result(eq), new)
    mean_grad = gradients(START, X, Y)
    assert_shows(result(updates[0]), START.w1[0] - LR * mean_grad.dL_dw1[0])
    columns(table_with(html, "", "C"), [step.before, step.after])
    assert step.after < step.before


def test_06_training_log_and_predictions(site):
    html = page(site, "06-training")
    log = re.findall(r"epoch +(\d+) +cost (\d\.\d+)", text_of(html))
    run = runs.one_neuron()
    assert [int(e) for e, _ in log] == list(range(0, EPOCHS + 1, LOG_EVERY))
    for epoch, shown in log:
        assert_shows(shown, run.costs[int(epoch)])
    columns(table_with(html, "x", "y", "y^ (trained)"), X, Y, forward(run.final, X)[2])
    assert 'href="../nn_from_scratch/"' in html  # the script a reader can download


def test_08_numbers(site):
    html = page(site, "08-capacity")
    text = text_of(html)
    one, two = runs.one_neuron(), runs.two_neurons()
    rows = table_with(html, "x", "y", "y^ (1 neuron)", "y^ (2 neurons)")
    columns(rows, X, Y, forward(one.final, X)[2], forward(two.final, X)[2])
    rows = table_with(html, "weight", "value")
    names = [f"{n}({j})" for n in ("w1", "b1", "w2") for j in (1, 2)] + ["b2"]
    assert [r[0] for r in rows] == names  # w₁⁽¹⁾, w₁⁽²⁾, …: neuron as a superscript
    columns(rows, [v for n in ("w1", "b1", "w2") for v in getattr(BUMP_START, n)] + [0.0])
    assert "exactly 1/12 ≈ 0.0833" in text
    assert two.costs[-1] < 1e-25 and "its cost is below 10⁻²⁵: zero" in text
    # its links open the playground in the state they speak of, with the controls they need
    links = {
        text_of(a): parse_qs(unescape(query))
        for query, a in re.findall(r'<a href="\.\./07-playground/\?([^"]+)">(.*?)</a>', html)
    }
    assert links == {
        "watch it press against the floor": {
            "start": ["lesson"],
            "more": ["1"],
            "speed": ["max"],
            "stop": [str(runs.LONGER_EPOCHS)],
        },
        "Take the bump apart in the playground": {"start": ["bump"], "h": ["2"], "more": ["1"]},
    }


def test_09_the_stuck_start(site):
    html = page(site, "09-starts")
    text = text_of(html)
    stuck = claims.stuck_at_mean()
    rows = table_with(html, "x", "y", "y^", "σ′(z1(1))", "σ′(z1(2))")
    columns(rows, X, Y, stuck.predictions, stuck.sigma_prime[:, 0], stuck.sigma_prime[:, 1])
    start = runs.stuck().start
    rows = table_with(html, "weight", "value")
    flat = [v for n in ("w1", "b1", "w2") for v in getattr(start, n)] + [start.b2]
    for row, v in zip(rows, flat, strict=True):
        assert abs(number(row[1]) - v) <= 5e-6 * max(1, abs(v))  # as written: six digits
    link = re.search(r'<a href="\.\./07-playground/\?([^"]+)">open this start', html)
    query = dict(part.split("=") for part in unescape(link[1]).split("&"))
    # that very start: the playground builds small_random_start(seed, h, scale) from these
    # with the controls to run it as long as the page did, flat out
    assert query == {
        "start": "random",
        "seed": str(STUCK_SEED),
        "h": "2",
        "scale": "0.1",
        "more": "1",
        "speed": "max",
        "stop": str(runs.stuck_longer().epochs),
    }
    again = small_random_start(STUCK_SEED, 2, float(query["scale"]))
    assert np.array_equal(to_vector(again), to_vector(start))
    assert f"from epoch {stuck.escape_epoch:,}" in text
    mantissa = re.search(r"curvature of the cost there is (−?\d\.\d)×10(−\d+)", text)
    assert mantissa, "the curvature is printed"
    shown = float(mantissa[1].replace("−", "-")) * 10 ** int(mantissa[2].replace("−", "-"))
    assert shown == pytest.approx(stuck.curvature, rel=0.05) and shown < 0


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("00-intuition", 2),
        ("01-network", 1),
        ("02-forward", 1),
        ("04-backprop", 2),
        ("05-gradient-descent", 2),
        ("06-training", 2),
        ("08-capacity", 7),
        ("09-starts", 3),
    ],
)
def test_figures_are_inline_accessible_svg(site, name, count):
    html = page(site, name)
    svgs = re.findall(
        r"<svg role=\"img\" aria-labelledby=\"([\w-]+)-title \1-desc\".*?</svg>", html, re.S
    )
    assert len(svgs) == count
    figure = re.search(r'<figure class="figure"><div class="panel"><svg.*?</figure>', html, re.S)[0]
    assert "<title id=" in figure and "<desc id=" in figure and "<figcaption>" in figure
    assert "currentColor" in figure and "<text" in figure  # follows the theme; text as text
    assert "<image" not in figure


def test_notebook_page(site):
    html = page(site, NOTEBOOK)
    assert 'href="nn_from_scratch.py" download' in html
    copied = site / NOTEBOOK / "nn_from_scratch.py"
    assert copied.read_bytes() == (ROOT / "scripts" / "nn_from_scratch.py").read_bytes()
    text = text_of(html)
    final = re.search(r"1 neuron  epoch +2000 +cost (\S+) +\(final\)", text)
    assert float(final[1]) == pytest.approx(runs.one_neuron().costs[-1], rel=1e-5)
    assert re.search(r"2 neurons epoch +2000 +cost below 10⁻²⁵ +\(final\)", text)
    assert "-0.0000" not in text
    assert "figure written to nn_from_scratch.png" in text and "/tmp" not in text
    assert "%config" not in text  # the notebook's own settings are hidden
    figure = re.search(
        r'<div class="jp-RenderedSVG[^"]*"[^>]*>\s*(<svg[^>]*>).*?</svg>', html, re.S
    )
    assert figure and "<text" in figure[0] and "<image" not in figure[0]  # compact, text as text
    assert 'role="img"' in figure[1] and 'aria-label="The comparison figure.' in figure[1]
    assert re.findall(r'id="cell-id=([^"]+)"', html)[:2] == ["cell-1", "cell-2"]
    assert "mathjax" not in html.lower() and "mermaid" not in html.lower()  # no loaders at all


def test_notebook_styles_are_one_linked_file(site):
    """hooks/notebook.py's assumption: mkdocs-jupyter inlines its CSS, which the hook links."""
    html = page(site, NOTEBOOK)
    assert '<style type="text/css">' not in html
    [href] = re.findall(r'<link rel="stylesheet" href="\.\./(assets/notebook-\w+\.css)">', html)
    css = (site / href).read_text()
    assert ".jp-OutputArea" in css and len(css) > 100_000


def test_light_and_dark_palettes(site):
    html = page(site, "index")
    assert 'data-md-color-media="(prefers-color-scheme: light)"' in html
    assert 'data-md-color-media="(prefers-color-scheme: dark)"' in html
    assert html.count('data-md-color-scheme="') >= 2


def test_playground_reads_the_lessons_inputs(site):
    import json

    html = page(site, "07-playground")
    config = json.loads(re.search(r'id="playground-config">(.*?)</script>', html, re.S)[1])
    assert config["x"] == X.tolist() and config["y"] == Y.tolist() and config["lr"] == LR
    assert config["starts"]["lesson"] == {"w1": [0.5], "b1": [-0.1], "w2": [0.3], "b2": 0.2}
    assert config["starts"]["bump"]["w1"] == BUMP_START.w1.tolist()
    assert config["stuck"] == {"seed": STUCK_SEED, "width": 2, "scale": SMALL_RANDOM_SCALE}
    assert config["optimisers"]["gd"]["lr"] == LR and config["widths"] == list(WIDTHS)
    assert '<script type="module" src="../assets/playground/ui.js">' in html


BROKEN = ("no-such-page.md", "03-loss.md#no-such-anchor", "#nowhere")


def test_a_broken_link_or_anchor_fails_the_build(tmp_path):
    """Each kind of broken link in the Markdown is named, and the strict build stops."""
    copy = copy_checkout(tmp_path / "copy")
    page_md = copy / "docs" / "01-network.md"
    links = "".join(f"\n\nSee [gone]({target}).\n" for target in BROKEN)
    page_md.write_text(page_md.read_text() + links)
    result = mkdocs_build(copy / "mkdocs.noexec.yml", tmp_path / "out", copy)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Aborted" in output, output[-3000:]
    for target in BROKEN:
        name = target.split("#")[-1] if "#" in target else target
        assert re.search(rf"01-network\.md.*{re.escape(name)}", output), (target, output[-3000:])


INTERVAL = re.compile(r"([\d.]+) % \(([\d.]+)–([\d.]+)\)")


def shows_share(cell: str, share) -> None:
    """``cell`` reads "39.7 % (36.7–42.8)": the share and its interval, each to 0.1 %."""
    shown = INTERVAL.fullmatch(cell)
    assert shown, cell
    for text, value in zip(shown.groups(), (share.share, share.low, share.high), strict=True):
        assert_shows(text, 100 * value)


def test_10_floor_and_study_tables(site, study):
    html = page(site, "10-measured")
    approach = claims.floor_approach()
    rows = table_with(html, "epochs", "C", "above the floor")
    assert [int(r[0].replace(",", "")) for r in rows] == list(approach.epochs)
    columns(rows, approach.costs, approach.gaps)
    headed = [
        t[1:] for t in tables_of(html) if t and t[0] == ["start", "width", "fits", "stuck", "other"]
    ]
    assert len(headed) == 3  # one per optimiser, in the study's order
    for rows, optimiser in zip(headed, ("gd", "momentum", "adam"), strict=True):
        expected = [s for s in study.settings if s.optimiser == optimiser]
        assert len(rows) == len(expected) == 15
        for row, s in zip(rows, expected, strict=True):
            assert row[1] == str(s.width)
            for cell, share in zip(row[2:], (s.fits, s.stuck, s.other), strict=True):
                shows_share(cell, share)
    text = text_of(html)
    small = sum(s.stuck.count for s in study.settings if s.init == "small")
    assert f"Of the {small:,} stuck networks that began from small weights" in " ".join(
        text.split()
    )
    for k in (1, 2, 3):  # one panel per optimiser
        assert f'<svg role="img" aria-labelledby="study-{k}-title study-{k}-desc"' in html


def test_10_diagnosis_table(site, study):
    rows = table_with(page(site, "10-measured"), *DIAGNOSIS_TEXT)
    shown = [s for s in study.settings if s.diagnosis and s.diagnosis.networks >= PRECISE]
    assert len(rows) == len(shown) > 10
    for row, s in zip(rows, shown, strict=True):
        assert row[1] == str(s.diagnosis.networks)
        assert_shows(row[2], s.diagnosis.sigma_prime_mean)
        assert_shows(row[3].removesuffix(" %"), 100 * s.diagnosis.in_a_tail / s.diagnosis.networks)
        assert_shows(row[5], s.diagnosis.gradient_norm_median)


def test_no_tex_is_left_untypeset(site):
    """Every $…$, \\(…\\) and \\[…\\] became maths: none is left as text for the reader."""
    for name in PAGES:
        html = page(site, name)
        article = re.search(r"<article.*?</article>", html, re.S)[0]
        article = re.sub(r"<(pre|code|math|svg)\b.*?</\1>", "", article, flags=re.S)
        text = text_of(article)
        for mark in ("$", "\\(", "\\[", "\\frac", "\\hat"):
            assert mark not in text, (
                f"{mark!r} left on {name}: …{text[text.find(mark) - 40 :][:80]}…"
            )


def test_every_glossary_link_lands_on_a_term(site):
    terms = glossary_entries(site)
    assert len(terms) > 20
    linked = set()
    for name in PAGES:
        for term in re.findall(r'href="(?:\.\./)?glossary/#([\w-]+)"', page(site, name)):
            assert term in terms, f"{name} links to glossary#{term}, which does not exist"
            linked.add(term)
    assert len(linked) >= 15  # the lessons do link their terms


ADDRESS = re.compile(r'\s(?:href|src)="([^"]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
IDS = re.compile(r'\s(?:id|name)="([^"]+)"')


def broken_links(site: Path) -> list[str]:
    """Every link, image, script or font address in the built site that leads nowhere."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for file in sorted([*site.rglob("*.html"), *site.rglob("*.css")]):
        text = file.read_text(encoding="utf-8")
        pattern = CSS_URL if file.suffix == ".css" else ADDRESS
        for raw in pattern.findall(text):
            url = urlsplit(unescape(raw))
            if url.scheme or url.netloc or (raw.startswith(("#", "data:")) and not url.fragment):
                continue  # another site (tested elsewhere: there are none), or inline data
            if url.path.startswith("/"):  # from the site's root (Material's 404 page)
                where = (site / url.path.lstrip("/")).resolve()
            else:
                where = (file.parent / url.path).resolve() if url.path else file
            if where.is_dir():
                where = where / "index.html"
            if not where.is_file():
                broken.append(f"{file.relative_to(site)}: {raw}")
            elif url.fragment and where.suffix == ".html":
                if where not in ids:
                    ids[where] = set(IDS.findall(where.read_text(encoding="utf-8")))
                if unquote(url.fragment) not in ids[where]:
                    broken.append(f"{file.relative_to(site)}: {raw} (no such anchor)")
    return broken


def test_every_internal_link_resolves(site):
    """Every href and src of every page (exec output and the playground's sentences included),
    and every url() of every stylesheet, leads to a file of the site and, with #, to an anchor."""
    assert broken_links(site) == []


def test_the_link_check_can_fail(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page_html = copy / "05-gradient-descent" / "index.html"
    page_html.write_text(
        page_html.read_text().replace(
            "</article>",
            '<a href="04-backprop.md">x</a><a href="../glossary/#no-such-term">y</a></article>',
            1,
        )
    )
    assert broken_links(copy) == [
        "05-gradient-descent/index.html: 04-backprop.md",
        "05-gradient-descent/index.html: ../glossary/#no-such-term (no such anchor)",
    ]


def test_section_numbers_come_from_the_nav(site):
    """Every section number on a page is a link whose number hooks/links.py took from the nav."""
    for name in PAGES:
        article = re.search(r"<article.*?</article>", page(site, name), re.S)[0]
        article = re.sub(r"<a\b[^>]*\bdata-section\b[^>]*>.*?</a>", "", article, flags=re.S)
        article = re.sub(r"<(pre|code)\b.*?</\1>", "", article, flags=re.S)
        assert SECTION_NUMBER.findall(text_of(article)) == [], name
    numbered = re.findall(
        r'<a href="\.\./(\d\d)-[\w-]+/[^"]*" data-section>(\d\d)</a>', page(site, "10-measured")
    )
    assert numbered and all(a == b for a, b in numbered)  # the number is the page's


def code_blocks(html: str) -> list[str]:
    """The text of every code block a page shows, in order."""
    blocks = re.findall(r"<pre><span></span><code>(.*?)</code></pre>", html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks]


@pytest.fixture(scope="module")
def lesson_files(site, tmp_path_factory) -> Path:
    """The site's downloadable lesson code, unzipped where a reader would."""
    folder = tmp_path_factory.mktemp("reader")
    with zipfile.ZipFile(site / "downloads" / "lesson.zip") as z:
        z.extractall(folder)
    return folder / "from-lines-to-neurons"


def run_fresh(code: str, where: Path) -> str:
    """``code`` in a fresh Python that sees only ``where`` (and NumPy): as a reader runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, '.')\n{code}"],
        cwd=where, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_recipe_on_the_page_draws_the_studys_starts(site, lesson_files):
    """The block 10-measured.md shows, run by a reader with the downloaded lesson files, prints the
    study's start; the same function gives every other start the study trained."""
    [recipe] = [b for b in code_blocks(page(site, "10-measured")) if "def start(" in b]
    shown = run_fresh(recipe, lesson_files)
    assert literal_eval(shown) == as_dict(starts("he", 2, [17]).network(0))
    picks = [(i, w, r) for i in INITIALISATIONS for w in WIDTHS for r in (0, 417, 999)]
    out = run_fresh(f"{recipe}\nprint([start(*p) for p in {picks!r}])", lesson_files)
    drawn = literal_eval(out.splitlines()[-1])
    for (init, width, run), got in zip(picks, drawn, strict=True):
        assert got == as_dict(starts(init, width, [run]).network(0)), (init, width, run)


def as_dict(p) -> dict:
    return {k: np.ravel(getattr(p, k)).tolist() for k in ("w1", "b1", "w2")} | {"b2": p.b2}


def test_the_lesson_zip_is_the_lesson(site):
    with zipfile.ZipFile(site / "downloads" / "lesson.zip") as z:
        names = sorted(z.namelist())
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        lesson = z.read("from-lines-to-neurons/snippets/network.py")
    expected = {
        f"from-lines-to-neurons/snippets/{p.name}" for p in (ROOT / "snippets").glob("*.py")
    }
    assert expected <= set(names)
    assert "from-lines-to-neurons/README.txt" in names
    assert not [n for n in names if "/book/" in n or "/study/" in n]  # the lesson only
    assert lesson == (ROOT / "snippets" / "network.py").read_bytes()


def test_every_run_of_the_study_is_in_the_table(site, study):
    rows = list(csv.reader(io.StringIO((site / "downloads" / "study-runs.csv").read_text())))
    assert rows[0] == ["initialisation", "width", "optimiser", "run", "seed", "class", "final cost"]
    assert len(rows) - 1 == sum(s.starts for s in study.settings)
    by_setting = {}
    for init, width, opt, run, drawn_from, outcome, final in rows[1:]:
        by_setting.setdefault((init, int(width), opt), []).append(
            (int(run), drawn_from, outcome, final)
        )
    for s in study.settings:
        got = by_setting[(s.init, s.width, s.optimiser)]
        assert [r for r, *_ in got] == list(range(s.starts))
        assert [o[0] for _, _, o, _ in got] == list(s.outcomes)
        assert [float(c) for *_, c in got] == list(s.final_costs)
        assert sum(o == "stuck" for _, _, o, _ in got) == s.stuck.count
        assert got[17][1] == " ".join(map(str, seed(s.init, s.width, 17)))


def test_each_replay_link_opens_the_playground_at_that_start(site, followed):
    html = page(site, "10-measured")
    links = re.findall(r'href="\.\./07-playground/\?([^"]+)">replay</a>', html)
    assert len(links) >= len(followed)
    for query in links:
        q = parse_qs(unescape(query))
        assert q["start"] == ["linked"]
        init, width, run = re.fullmatch(
            r"(\w+) start, (\d) hidden, run (\d+)", q["from"][0]
        ).groups()
        key = {i.label: i.name for i in INITIALISATIONS.values()}[init]
        p = as_dict(starts(key, int(width), [int(run)]).network(0))
        for k in ("w1", "b1", "w2"):
            assert [float(v) for v in q[k][0].split(",")] == p[k]
        assert float(q["b2"][0]) == p["b2"] and q["h"] == [width]
        assert float(q["lr"][0]) == OPTIMISERS[q["opt"][0]].lr


def linear(node) -> str:
    """A MathML element as a one-line formula: fractions as (a)/(b), scripts as _ and ^."""
    tag = node.tag.rsplit("}", 1)[-1]
    kids = list(node)
    if tag == "annotation":
        return ""
    if tag == "mfrac":
        return f"(({linear(kids[0])})/({linear(kids[1])}))"
    if tag in ("msub", "msup", "msubsup", "munder", "mover"):
        return linear(kids[0]) + "".join(f"_{{{linear(k)}}}" for k in kids[1:])
    if tag == "msqrt":
        return f"sqrt({''.join(linear(k) for k in kids)})"
    return (node.text or "").strip() + "".join(linear(k) + (k.tail or "").strip() for k in kids)


def substituted(html: str) -> list[tuple[str, str]]:
    """Every (arithmetic on printed numbers, its printed result) in the page's equations."""
    found = []
    for math in re.findall(r'<math xmlns="[^"]+" display="block">.*?</math>', html, re.S):
        root = ElementTree.fromstring(math)
        rows = [r for r in root.iter() if r.tag.endswith("}mtr")] or [root]
        for row in rows:
            text = linear(row).replace("\u2212", "-").replace("⋅", "*").replace(" ", "")
            parts = re.split(r"(=|≈)", text)
            for left, sign, right in zip(parts[::2], parts[1::2], parts[2::2]):
                numeric = re.fullmatch(r"[\d.+\-*/()]+", left) and re.search(r"[+\-*/]", left[1:])
                if numeric and sign == "=" and re.fullmatch(r"-?\d+\.\d+", right):
                    found.append((left, right))
    return found


def test_arithmetic_on_printed_numbers_gives_the_printed_result(site):
    """'0.1139⋅0.2403 = 0.02737': a reader who multiplies the printed factors gets the printed
    result, to its last digit (where they would not, the page writes ≈)."""
    checked = 0
    for name in ("02-forward", "03-loss", "04-backprop", "05-gradient-descent"):
        for left, right in substituted(page(site, name)):
            expression = re.sub(r"\)\(", ")*(", left)
            value = eval(expression, {"__builtins__": {}})  # digits and + − × ÷ only
            decimals = len(right.split(".")[1])
            assert abs(value - float(right)) <= 0.5 * 10**-decimals + 1e-12, (name, left, right)
            checked += 1
    assert checked >= 20


def test_a_cost_reads_the_same_on_every_page_that_prints_it(site):
    """One rule per quantity: the training log's costs, in 06-training.md and in the notebook."""
    log = text_of(page(site, "06-training"))
    notebook = text_of(page(site, NOTEBOOK))
    for epoch in range(0, EPOCHS + 1, LOG_EVERY):
        [on_page] = re.findall(rf"epoch +{epoch} +cost (\S+)", log)
        [in_notebook] = re.findall(rf"1 neuron  epoch +{epoch} +cost (\S+)", notebook)
        assert on_page == in_notebook == cost(runs.one_neuron().costs[epoch])
