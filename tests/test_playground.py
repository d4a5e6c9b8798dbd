"""Section 07's playground in Chromium: its maths equals the Python's, and every control works."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import numpy as np
import pytest

from conftest import ROOT, number
from snippets.book import runs
from snippets.book.numbers import value
from snippets.book.playground import as_json
from snippets.lesson import BUMP_START, LR, START, X, Y
from snippets.network import Params, average, backward, forward, gradients, loss, mean_loss, update

PG = "/07-playground/"
ASSETS = ROOT / "docs" / "assets" / "playground"
NN = "const nn = await import('/assets/playground/nn.js');"


def state(page) -> tuple[Params, list[float], float, int]:
    """The playground's exact state, read from the URL it keeps current."""
    # location.search, not page.url: Playwright learns of replaceState asynchronously
    q = {k: v[0] for k, v in parse_qs(page.evaluate("location.search")[1:]).items()}
    nums = {k: [float(t) for t in v.split(",")] for k, v in q.items()}
    p = Params.of(nums["w1"], nums["b1"], nums["w2"], nums["b2"][0])
    return p, nums["y"], nums["lr"][0], int(nums["h"][0])


def shown_loss(page) -> float:
    text = page.get_by_role("status").inner_text()
    assert re.fullmatch(r"Loss: \d+\.\d{4}|Loss: \d\.\d × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text), text
    return number(text.split(": ")[1])


def assert_params(a: Params, b: Params, tol: float = 1e-12) -> None:
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=0, atol=tol)


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def set_raw(box, text: str) -> None:
    """Put any text in a field, as pasting would, and fire the events typing fires."""
    box.evaluate(
        "(el, t) => { el.focus(); el.value = t; el.dispatchEvent(new Event('input', "
        "{bubbles: true})); }",
        text,
    )


def no_nan(page) -> None:
    body = page.locator("#playground").inner_text()
    assert "NaN" not in body and "Infinity" not in body


# ---- Parity: the JavaScript maths against the Python snippets ----


def random_cases(width: int, n: int = 10):
    rng = np.random.default_rng(width)
    for _ in range(n):
        p = Params.of(*rng.normal(0, 3, size=(3, width)), rng.normal(0, 3))
        yield p, rng.normal(0.5, 1, size=4), float(rng.uniform(0.01, 2))


@pytest.mark.parametrize("width", [1, 2])
def test_js_maths_equals_python(open_page, width):
    page = open_page(PG)
    cases = list(random_cases(width))
    got = page.evaluate(
        "async (cases) => {"
        + NN
        + """
        return cases.map(([p, ys, lr]) => {
          const xs = [1, 2, 3, 4];
          const f = nn.forward(p, xs);
          const b = nn.backward(p, xs, ys, f);
          const g = nn.average(b.grads);
          const zs = [-1e308, -1000, -40, 0, 40, 1000, 1e308];
          return {f, losses: nn.losses(f.yHat, ys), mean: nn.meanLoss(p, xs, ys), b, g,
                  next: nn.update(p, g, lr), sig: zs.map(nn.sigmoid)};
        });
      }""",
        [[as_json(p), ys.tolist(), lr] for p, ys, lr in cases],
    )
    for (p, ys, lr), js in zip(cases, got):
        z1, a1, y_hat = forward(p, X)
        b = backward(p, X, ys, z1, a1, y_hat)
        g = average(b.grads)
        close = lambda a, e: np.testing.assert_allclose(np.array(a, float), e, rtol=0, atol=1e-12)  # noqa: E731
        close(js["f"]["z1"], z1)
        close(js["f"]["a1"], a1)
        close(js["f"]["yHat"], y_hat)
        close(js["losses"], loss(y_hat, ys))
        close(js["mean"], mean_loss(p, X, ys))
        for key, python in zip(("w1", "b1", "w2", "b2"), b.grads):
            close(js["b"]["grads"][key], python)
        for key, python in zip(("w1", "b1", "w2", "b2"), g):
            close(js["g"][key], python)
        new = update(p, g, lr)
        for key, python in zip(("w1", "b1", "w2", "b2"), new):
            close(js["next"][key], python)
        assert js["sig"] == [
            0,
            0,
            pytest.approx(4.248354255291589e-18, rel=1e-12),
            0.5,
            pytest.approx(1.0),
            1,
            1,
        ]


@pytest.mark.parametrize(
    ("start", "run"), [(START, runs.one_neuron), (BUMP_START, runs.two_neurons)]
)
def test_2000_epochs_end_at_pythons_loss(open_page, start, run):
    page = open_page(PG)
    expected = run()
    losses = page.evaluate(
        "async ([p, lr, n]) => {"
        + NN
        + "return nn.train(p, [1, 2, 3, 4], [0, 1, 1, 0], lr, n).losses; }",
        [as_json(start), LR, expected.epochs],
    )
    assert len(losses) == expected.epochs + 1
    assert abs(losses[-1] - expected.losses[-1]) < 1e-9
    np.testing.assert_allclose(losses, expected.losses, rtol=1e-9, atol=1e-18)


# ---- Controls ----


def test_starts_at_the_lessons_start(open_page):
    page = open_page(PG)
    p, ys, lr, width = state(page)
    assert_params(p, START, 0)
    assert (ys, lr, width) == (Y.tolist(), LR, 1)
    assert shown_loss(page) == round(mean_loss(START, X, Y), 4)
    assert page.locator('[data-out="epoch"]').inner_text() == "0"
    rows = page.locator('[data-out="points"] tr')
    assert rows.count() == 4
    y_hat = forward(START, X)[2]
    assert rows.nth(1).inner_text().split() == [
        "2",
        f"{y_hat[1]:.4f}",
        "1.00",
        f"{loss(y_hat, Y)[1]:.4f}",
    ]
    formulas = page.locator('[data-out="formulas"]').inner_text()
    assert "z₁ = w₁·x + b₁ = 0.5000·1 + (\u22120.1000) = 0.4000" in formulas


def test_sliders_and_exact_fields_move_the_weights(open_page):
    page = open_page(PG)
    for name in ("w₁", "b₁", "w₂", "b₂"):
        assert page.get_by_role("slider", name=f"{name} slider").count() == 1
        assert page.get_by_role("spinbutton", name=name, exact=True).count() == 1
    page.get_by_role("slider", name="w₁ slider").fill("1.25")
    page.get_by_role("spinbutton", name="b₂", exact=True).fill("-0.375")
    p, *_ = state(page)
    expected = Params.of([1.25], [-0.1], [0.3], -0.375)
    assert_params(p, expected, 0)
    assert shown_loss(page) == round(mean_loss(expected, X, Y), 4)
    # the slider snaps to its 0.01 step; the exact value lives in the state (checked above)
    assert float(page.get_by_role("slider", name="b₂ slider").input_value()) == pytest.approx(
        -0.375, abs=0.01
    )


def test_step_equals_one_python_update(open_page):
    page = open_page(PG)
    button(page, "Step").click()
    p, *_ = state(page)
    assert_params(p, update(START, gradients(START, X, Y), LR))
    assert page.locator('[data-out="epoch"]').inner_text() == "1"


def test_step_phase_walks_one_epoch(open_page):
    page = open_page(PG)
    texts = []
    for phase in range(1, 6):
        button(page, "Step phase").click()
        assert page.locator("#playground").get_attribute("data-phase") == str(phase)
        texts.append(page.locator('[data-out="phase"]').inner_text())
        assert page.locator('[data-out="epoch"]').inner_text() == ("1" if phase == 5 else "0")
    assert [t.split(" · ")[0] for t in texts] == [f"Step phase {k} of 5" for k in range(1, 6)]
    assert [t.split(" · ")[1].split()[0].rstrip(":") for t in texts] == [
        "Forward",
        "Loss",
        "Per-point",
        "Average",
        "Update",
    ]
    p, *_ = state(page)
    assert_params(p, update(START, gradients(START, X, Y), LR))
    assert "w₁: 0.5000 → " in page.locator('[data-out="update"]').inner_text()


def test_train_pause_and_reset(open_page):
    page = open_page(PG)
    button(page, "Train").click()
    assert button(page, "Pause").is_visible()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch > 300")
    button(page, "Pause").click()
    epoch = page.locator('[data-out="epoch"]').inner_text()
    page.wait_for_timeout(300)
    assert page.locator('[data-out="epoch"]').inner_text() == epoch
    assert shown_loss(page) < mean_loss(START, X, Y)
    button(page, "Reset").click()
    p, *_ = state(page)
    assert_params(p, START, 0)
    assert page.get_by_role("status").inner_text() == "Loss: 0.1267"
    assert page.locator('[data-out="epoch"]').inner_text() == "0"


def test_two_neurons_start_at_the_bump(open_page):
    page = open_page(PG)
    page.get_by_label("Hidden neurons").select_option("2")
    p, _, _, width = state(page)
    assert width == 2
    assert_params(p, BUMP_START, 0)
    assert page.get_by_role("slider", name="w₁⁽²⁾ slider").count() == 1  # page 01's notation
    assert shown_loss(page) == round(mean_loss(BUMP_START, X, Y), 4)
    button(page, "Step").click()
    p, *_ = state(page)
    assert_params(p, update(BUMP_START, gradients(BUMP_START, X, Y), LR))


def test_learning_rate_and_log_scale(open_page):
    page = open_page(PG)
    page.get_by_role("spinbutton", name="learning rate η").fill("0.125")
    button(page, "Step").click()
    p, _, lr, _ = state(page)
    assert lr == 0.125
    assert_params(p, update(START, gradients(START, X, Y), 0.125))
    chart = page.locator('[data-chart="loss"]')
    assert chart.get_attribute("data-scale") == "linear"
    page.get_by_label("log scale").check()
    assert chart.get_attribute("data-scale") == "log"


def test_edit_drag_and_reset_the_data(open_page):
    page = open_page(PG)
    page.get_by_role("spinbutton", name="y at x = 4").fill("1")
    ys = [0.0, 1.0, 1.0, 1.0]
    assert state(page)[1] == ys
    assert shown_loss(page) == round(mean_loss(START, X, np.array(ys)), 4)
    point = page.locator(".pg-point").nth(0)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 60, steps=5)
    page.mouse.up()
    assert state(page)[1][0] > 0.3
    button(page, "Reset data").click()
    assert state(page)[1] == Y.tolist()


def test_keyboard_only(open_page):
    page = open_page(PG)
    slider = page.get_by_role("slider", name="w₁ slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert state(page)[0].w1[0] == pytest.approx(0.51, abs=1e-12)
    button(page, "Step").focus()
    page.keyboard.press("Enter")
    assert page.locator('[data-out="epoch"]').inner_text() == "1"
    button(page, "Reset").focus()
    page.keyboard.press("Space")
    assert page.locator('[data-out="epoch"]').inner_text() == "0"


# ---- Bad input ----


@pytest.mark.parametrize(
    "text", ["abc", "", "NaN", "Infinity", "-Infinity", "1e309", "--1", "0x10"]
)
def test_invalid_weight_is_refused_and_explained(open_page, text):
    page = open_page(PG)
    box = page.get_by_role("spinbutton", name="w₂", exact=True)
    set_raw(box, text)
    assert box.get_attribute("aria-invalid") == "true"
    error = page.locator("#pg-w2-0-e").inner_text()
    assert "Keeping 0.3000" in error and len(error) > len("Keeping 0.3000.")
    assert_params(state(page)[0], START, 0)
    assert page.get_by_role("status").inner_text() == "Loss: 0.1267"
    no_nan(page)
    set_raw(box, "0.25")
    assert box.get_attribute("aria-invalid") is None
    assert state(page)[0].w2[0] == 0.25


@pytest.mark.parametrize("text", ["1e9", "0", "-1", "NaN"])
def test_absurd_learning_rates_are_refused(open_page, text):
    page = open_page(PG)
    set_raw(page.get_by_role("spinbutton", name="learning rate η"), text)
    assert "Keeping 0.5000" in page.locator("#pg-lr-e").inner_text()
    assert state(page)[2] == LR


def test_divergence_stops_training_and_says_so(open_page):
    page = open_page(PG)
    page.get_by_role("spinbutton", name="learning rate η").fill("100")
    button(page, "Train").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible")
    assert "diverged" in alert.inner_text()
    assert button(page, "Train").is_visible()
    assert np.isfinite(shown_loss(page))
    assert all(np.all(np.isfinite(v)) for v in state(page)[0])
    no_nan(page)


# ---- Sharing ----


def test_url_round_trip(open_page):
    page = open_page(PG)
    page.get_by_label("Hidden neurons").select_option("2")
    page.get_by_role("spinbutton", name="b₁⁽²⁾").fill("-9.875")
    page.get_by_role("spinbutton", name="y at x = 3").fill("0.5")
    page.get_by_role("spinbutton", name="learning rate η").fill("0.3")
    button(page, "Step").click()
    link = page.get_by_role("link", name="Link to this exact state").get_attribute("href")
    assert link.startswith("?") and link == page.evaluate("location.search")
    before = state(page)
    again = open_page(PG + link)
    after = state(again)
    assert_params(before[0], after[0], 0)
    assert before[1:] == after[1:]
    assert again.get_by_role("status").inner_text() == page.get_by_role("status").inner_text()


@pytest.mark.parametrize(
    "query",
    [
        "?h=2&w1=<img src=x onerror=alert(1)>,1&b1=NaN,Infinity&w2=1e309,2&b2=abc&y=1,2,3&lr=-5",
        "?h=<script>alert(1)</script>&w1=1,2&y=0,1,1,0,9&lr=1e999",
        "?w1=%3Csvg%20onload%3Dalert(1)%3E&y=%22%3E%3Cimg%20src%3Dx%3E,1,1,0",
    ],
)
def test_hostile_urls_fall_back_to_defaults(open_page, query):
    page = open_page(PG + query)
    p, ys, lr, width = state(page)
    expected_width = 2 if query.startswith("?h=2") else 1
    assert width == expected_width
    assert_params(p, BUMP_START if width == 2 else START, 0)
    assert (ys, lr) == (Y.tolist(), LR)
    assert (
        page.locator(
            "#playground img, #playground script, #playground [onerror], #playground [onload]"
        ).count()
        == 0
    )
    no_nan(page)


# ---- People and devices ----


def test_reduced_motion_trains_in_chunks(open_page):
    page = open_page(PG, reduced_motion="reduce")
    button(page, "Train").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch >= 1500")
    button(page, "Pause").click()
    epoch = int(page.locator('[data-out="epoch"]').inner_text())
    assert epoch % 750 == 0  # whole chunks, no per-frame animation


def test_phone_width_has_no_horizontal_overflow(open_page):
    page = open_page(
        PG,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for name in ("Train", "Step", "Step phase", "Reset"):
        assert button(page, name).is_visible()


def test_dark_mode_charts_follow_the_text_colour(open_page):
    light = open_page(PG, color_scheme="light")
    dark = open_page(PG, color_scheme="dark")
    colour = "getComputedStyle(document.querySelector('[data-chart=fit]')).color"
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert light.evaluate(colour) != dark.evaluate(colour)
    for page in (light, dark):
        stroke = page.evaluate("getComputedStyle(document.querySelector('.pg-axes path')).stroke")
        assert stroke == page.evaluate(colour)


def test_own_script_and_styles_stay_small():
    total = sum(f.stat().st_size for f in ASSETS.iterdir())
    assert total < 30 * 1024, total
    assert not re.search(
        r"^\s*import .* from ['\"](?!\./)",
        "".join(f.read_text() for f in ASSETS.glob("*.js")),
        re.M,
    )


def test_numbers_are_written_as_on_the_other_pages(open_page):
    """The playground's fmt and snippets/book/numbers.py's value: one rule, the same text."""
    rng = np.random.default_rng(3)
    values = [0.0, -0.0, 0.5, -0.1, 1e-4, -1e-4, 9.99e-5, 0.00005, -0.00004999, 123.456789]
    values += [-2.26e-18, 4.14e-16, 1e-300, -7.5e-9, 0.085321, -0.0975, 2.0, 1e12]
    values += (rng.normal(0, 1, 40) * 10.0 ** rng.integers(-12, 3, 40)).tolist()
    page = open_page(PG)
    for digits in (4, 2):
        shown = page.evaluate(
            "async ([vs, d]) => { const ui = await import('/assets/playground/ui.js');"
            " return vs.map((v) => ui.fmt(v, d)); }",
            [values, digits],
        )
        assert shown == [value(v, digits) for v in values]
