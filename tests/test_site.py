"""The built site: every page there, every number on it equal to what the code computes."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from conftest import (
    ROOT,
    assert_shows,
    copy_checkout,
    mkdocs_build,
    table_with,
    tables_of,
    text_of,
)
from snippets.book import claims, runs
from snippets.book.numbers import sci
from snippets.lesson import BUMP_START, EPOCHS, LOG_EVERY, LR, START, X, Y
from snippets.network import backward, forward, gradients, loss
from snippets.study import findings
from snippets.study.experiment import results
from snippets.study.findings import PRECISE
from snippets.study.views import DIAGNOSIS_HEADERS

PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
NOTEBOOK = "nn_from_scratch"


def page(site: Path, name: str) -> str:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return path.read_text(encoding="utf-8")


def equations(html: str) -> list[str]:
    """The text of every display equation, e.g. 'z1=w1·x+b1=0.5·1+(−0.1)=0.4000'."""
    blocks = re.findall(r'<math[^>]*display="block"[^>]*>(.*?)</math>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>|\s", "", b)) for b in blocks]


def result(equation: str) -> str:
    """What an equation ends with: the number after its last '='."""
    return equation.rsplit("=", 1)[1].replace("-", "\u2212")


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


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("01-network", ["X = np.array(", "START = Params.of(", "LR = 0.5"]),
        ("02-forward", ["def sigmoid(z)", "def forward(p: Params, x: np.ndarray)"]),
        ("03-loss", ["def loss(", "def mean_loss("]),
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
    assert [r[0] for r in rows] == ["w₁", "b₁", "w₂", "b₂"]
    columns(rows, [START.w1[0], START.b1[0], START.w2[0], START.b2])


def test_02_walkthrough_and_forward_table(site):
    html = page(site, "02-forward")
    z1, a1, y_hat = forward(START, X)
    for eq, value in zip(equations(html), (z1[0, 0], a1[0, 0], y_hat[0]), strict=True):
        assert_shows(result(eq), value)
    columns(table_with(html, "x", "z₁", "a₁", "ŷ", "y"), X, z1[:, 0], a1[:, 0], y_hat, Y)


def test_03_loss_table_and_mean(site):
    html = page(site, "03-loss")
    y_hat = forward(START, X)[2]
    rows = table_with(html, "x", "ŷ", "y", "ŷ − y", "½(ŷ − y)²")
    columns(rows, X, y_hat, Y, y_hat - Y, loss(y_hat, Y))
    mean = equations(html)[-1]  # after the definition of L
    assert_shows(result(mean), np.mean(loss(y_hat, Y)))


def test_04_chain_and_finite_differences(site):
    html = page(site, "04-backprop")
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    g = b.grads
    chain = [
        b.dL_dyhat[0],
        g.dL_dw2[0, 0],
        g.dL_db2[0],
        b.dL_da1[0, 0],
        b.da1_dz1[0, 0],
        b.dL_dz1[0, 0],
        g.dL_dw1[0, 0],
        g.dL_db1[0, 0],
    ]
    eqs = [e for e in equations(html) if "≈" not in e]
    for eq, value in zip(eqs, chain, strict=True):
        assert_shows(result(eq), value)
    rows = table_with(html, "gradient", "backprop", "finite difference", "difference (absolute)")
    check = claims.gradient_check()
    exact = [float(np.ravel(v)[0]) for v in check.exact]
    estimate = [float(np.ravel(v)[0]) for v in check.estimate]
    columns(rows, exact, estimate, np.abs(np.subtract(exact, estimate)))


def test_05_gradients_update_and_loss(site):
    html = page(site, "05-gradient-descent")
    g = backward(START, X, Y, *forward(START, X)).grads
    cols = [g.dL_dw1[:, 0], g.dL_db1[:, 0], g.dL_dw2[:, 0], g.dL_db2]
    rows = table_with(html, "x", "∂L/∂w₁", "∂L/∂b₁", "∂L/∂w₂", "∂L/∂b₂")
    assert rows[-1][0] == "average"
    columns(rows[:-1], X, *cols)
    columns([rows[-1]], *[[np.mean(c)] for c in cols])
    step = claims.one_step()
    updates = equations(html)
    assert len(updates) == 4 + 1  # the update rule, then one line per weight
    for eq, new in zip(
        updates[1:],
        (step.params.w1[0], step.params.b1[0], step.params.w2[0], step.params.b2),
        strict=True,
    ):
        assert_shows(result(eq), new)
    mean_grad = gradients(START, X, Y)
    assert_shows(result(updates[1]), START.w1[0] - LR * mean_grad.dL_dw1[0])
    columns(table_with(html, "", "mean loss"), [step.before, step.after])
    assert step.after < step.before


def test_06_training_log_and_predictions(site):
    html = page(site, "06-training")
    log = re.findall(r"epoch +(\d+) +loss (\d\.\d+)", text_of(html))
    run = runs.one_neuron()
    assert [int(e) for e, _ in log] == list(range(0, EPOCHS + 1, LOG_EVERY))
    for epoch, shown in log:
        assert_shows(shown, run.losses[int(epoch)])
    columns(table_with(html, "x", "y", "ŷ (trained)"), X, Y, forward(run.final, X)[2])


def test_08_numbers(site):
    html = page(site, "08-capacity")
    text = text_of(html)
    one, two = runs.one_neuron(), runs.two_neurons()
    rows = table_with(html, "x", "y", "ŷ (1 neuron)", "ŷ (2 neurons)")
    columns(rows, X, Y, forward(one.final, X)[2], forward(two.final, X)[2])
    rows = table_with(html, "weight", "neuron 1", "neuron 2")
    columns(rows[:3], *[[getattr(BUMP_START, n)[j] for n in ("w1", "b1", "w2")] for j in (0, 1)])
    assert "exactly 1/12 ≈ 0.0833" in text
    assert two.losses[-1] < 1e-25 and "its loss is below 10⁻²⁵: zero" in text
    stuck = claims.stuck_at_mean()
    rows = table_with(html, "x", "y", "ŷ", "σ′(z₁) neuron 1", "σ′(z₁) neuron 2")
    columns(rows, X, Y, stuck.predictions, stuck.sigma_prime[:, 0], stuck.sigma_prime[:, 1])
    assert f"from epoch {stuck.escape_epoch:,}" in text
    assert f"{sci(stuck.curvature)}" in text  # the saddle's negative curvature, as computed


@pytest.mark.parametrize(("name", "count"), [("00-intuition", 1), ("08-capacity", 1)])
def test_figures_are_inline_accessible_svg(site, name, count):
    html = page(site, name)
    svgs = re.findall(
        r"<svg role=\"img\" aria-labelledby=\"([\w-]+)-title \1-desc\".*?</svg>", html, re.S
    )
    assert len(svgs) == count
    figure = re.search(r'<figure class="figure"><svg.*?</figure>', html, re.S)[0]
    assert "<title id=" in figure and "<desc id=" in figure and "<figcaption>" in figure
    assert "currentColor" in figure and "<text" in figure  # follows the theme; text as text
    assert "<image" not in figure


def test_notebook_page(site):
    html = page(site, NOTEBOOK)
    assert 'href="nn_from_scratch.py" download' in html
    copied = site / NOTEBOOK / "nn_from_scratch.py"
    assert copied.read_bytes() == (ROOT / "scripts" / "nn_from_scratch.py").read_bytes()
    text = text_of(html)
    final = re.search(r"1 neuron  epoch +2000 +loss (\S+) +\(final\)", text)
    assert float(final[1]) == pytest.approx(runs.one_neuron().losses[-1], rel=1e-5)
    assert re.search(r"2 neurons epoch +2000 +loss below 1e-25 +\(final\)", text)
    assert "-0.0000" not in text
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
    assert config["starts"]["1"] == {"w1": [0.5], "b1": [-0.1], "w2": [0.3], "b2": 0.2}
    assert config["starts"]["2"]["w1"] == BUMP_START.w1.tolist()
    assert '<script type="module" src="../assets/playground/ui.js">' in html


@pytest.mark.parametrize(
    "broken", ["[gone](no-such-page.md)", "[gone](03-loss.md#no-such-anchor)", "[gone](#nowhere)"]
)
def test_a_broken_link_or_anchor_fails_the_build(tmp_path, broken):
    copy = copy_checkout(tmp_path / "copy")
    page_md = copy / "docs" / "01-network.md"
    page_md.write_text(page_md.read_text() + f"\n\nSee {broken}.\n")
    result = mkdocs_build(copy / "mkdocs.noexec.yml", tmp_path / "out", copy)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "01-network.md" in output and "Aborted" in output, output[-3000:]


INTERVAL = re.compile(r"([\d.]+) % \(([\d.]+)–([\d.]+)\)")


def shows_share(cell: str, share) -> None:
    """``cell`` reads "39.7 % (36.7–42.8)": the share and its interval, each to 0.1 %."""
    shown = INTERVAL.fullmatch(cell)
    assert shown, cell
    for text, value in zip(shown.groups(), (share.share, share.low, share.high), strict=True):
        assert_shows(text, 100 * value)


def test_09_floor_and_study_tables(site):
    html = page(site, "09-measured")
    approach = claims.floor_approach()
    rows = table_with(html, "epochs", "mean loss", "above the floor")
    assert [int(r[0].replace(",", "")) for r in rows] == list(approach.epochs)
    columns(rows, approach.losses, approach.gaps)
    study = results()
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
    assert f"{findings.diagnosis(study).small_networks:,} stuck networks" in text
    assert '<svg role="img" aria-labelledby="study-title study-desc"' in html


def test_09_diagnosis_table(site):
    rows = table_with(page(site, "09-measured"), *DIAGNOSIS_HEADERS)
    shown = [s for s in results().settings if s.diagnosis and s.diagnosis.networks >= PRECISE]
    assert len(rows) == len(shown) > 10
    for row, s in zip(rows, shown, strict=True):
        assert row[1] == str(s.diagnosis.networks)
        assert_shows(row[2], s.diagnosis.sigma_prime_mean)
        assert_shows(row[3].removesuffix(" %"), 100 * s.diagnosis.in_a_tail / s.diagnosis.networks)
        assert_shows(row[5], s.diagnosis.gradient_norm_median)
