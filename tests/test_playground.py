"""The playground (07-playground.md) in Chromium: its maths is the Python's, bit for bit, and every
control, view and number works as a learner needs it to."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import numpy as np
import pytest
from playwright.sync_api import expect

from conftest import ROOT, number
from snippets import outcomes
from snippets.book import claims, runs
from snippets.book.numbers import LARGE, NEGLIGIBLE, shown, value
from snippets.book.playground import SEEDS, as_json
from snippets.book.runs import train_in_floats
from snippets.lesson import (
    BUMP_START,
    EPOCHS,
    LR,
    SMALL_RANDOM_SCALE,
    START,
    STUCK_SEED,
    WIDTHS,
    X,
    Y,
    small_random_start,
)
from snippets.linear import mean_prediction_loss
from snippets.network import (
    Params,
    average,
    backward,
    cost,
    forward,
    gradients,
    loss,
    to_vector,
    update,
)
from snippets.optimisers import OPTIMISERS
from snippets.study.trainer import Batch, train_batch

PG = "/07-playground/"
ASSETS = ROOT / "docs" / "assets" / "playground"
# the playground's modules, with e^x's constants taken from the page, as ui.js does
NN = """const nn = await import('/assets/playground/nn.js');
const config = JSON.parse(document.getElementById('playground-config').textContent);
nn.useArithmetic(config.exp);"""
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


def state(page) -> dict:
    """The playground's exact state, read from the URL it keeps current."""
    # location.search, not page.url: Playwright learns of replaceState asynchronously
    q = {k: v[0] for k, v in parse_qs(page.evaluate("location.search")[1:]).items()}
    nums = {k: [float(t) for t in q[k].split(",")] for k in ("w1", "b1", "w2", "b2", "y", "lr")}
    p = Params.of(nums["w1"], nums["b1"], nums["w2"], nums["b2"][0])
    return {**q, "p": p, "y": nums["y"], "lr": nums["lr"][0], "h": int(q["h"])}


def params(page) -> Params:
    return state(page)["p"]


def settle(page) -> None:
    """Wait for the next drawn frame: the playground draws once per display refresh."""
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def out(page, name: str) -> str:
    """The text of the element `data-out=name`, once drawn."""
    settle(page)
    return page.locator(f'[data-out="{name}"]').inner_text()


def status(page) -> str:
    settle(page)
    return page.get_by_role("status").inner_text()


def shown_cost(page) -> float:
    text = status(page)
    assert re.fullmatch(r"Cost C = \d+\.\d{4}|Cost C = \d\.\d × 10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text), text
    return number(text.split(" = ")[1])


def epoch(page) -> int:
    settle(page)
    return int(out(page, "epoch").replace(",", ""))


def same(a: Params, b: Params) -> None:
    """Equal to the last bit."""
    assert to_vector(a).tolist() == to_vector(b).tolist()


def close(a: Params, b: Params, tol: float = 1e-12) -> None:
    np.testing.assert_allclose(to_vector(a), to_vector(b), rtol=0, atol=tol)


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def box(page, name: str):
    return page.get_by_role("spinbutton", name=name, exact=True)


def combo(page, name: str):
    return page.get_by_role("combobox", name=name, exact=True)


def set_raw(field, text: str) -> None:
    """Put any text in a field, as pasting would, and fire the events typing fires."""
    field.evaluate(
        "(el, t) => { el.focus(); el.value = t; el.dispatchEvent(new Event('input', "
        "{bubbles: true})); }",
        text,
    )


def run_to(page, n: int) -> None:
    """Set "Stop at epoch" to n at the fastest speed and run there."""
    combo(page, "Speed").select_option(label="As fast as possible")
    box(page, "Stop at epoch").fill(str(n))
    button(page, "Run to epoch").click()
    page.wait_for_function(
        f"document.querySelector('#playground').dataset.epoch == {n} && "
        "document.querySelector('#playground').dataset.running == 'false'",
        timeout=60_000,
    )


def no_nan(page) -> None:
    body = page.locator("#playground").inner_text()
    assert "NaN" not in body and "Infinity" not in body and "undefined" not in body


# ---- Parity: the JavaScript maths against the Python snippets, to the last bit ----


def random_cases(width: int, n: int = 10):
    rng = np.random.default_rng(width)
    for _ in range(n):
        p = Params.of(*rng.normal(0, 3, size=(3, width)), rng.normal(0, 3))
        yield p, rng.normal(0.5, 1, size=4), float(rng.uniform(0.01, 2))


@pytest.mark.parametrize("width", [1, 2, 8])
def test_js_maths_equals_python_bit_for_bit(open_page, width):
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
          const zs = [-1e308, -1000, -40, -0.4, 0, 0.4, 40, 1000, 1e308];
          return {f, losses: nn.losses(f.yHat, ys), mean: nn.cost(p, xs, ys), b, g,
                  next: nn.step(p, g, {name: 'gd', lr}, {}).params, sig: zs.map(nn.sigmoid),
                  cost: nn.costOf(nn.flat(p), p.w1.length, xs, ys)};
        });
      }""",
        [[as_json(p), ys.tolist(), lr] for p, ys, lr in cases],
    )
    from snippets.network import sigmoid

    for (p, ys, lr), js in zip(cases, got):
        z1, a1, y_hat = forward(p, X)
        b = backward(p, X, ys, z1, a1, y_hat)
        g = average(b.grads)
        exact = lambda a, e: np.testing.assert_array_equal(np.array(a, float), e)  # noqa: E731
        exact(js["f"]["z1"], z1)
        exact(js["f"]["a1"], a1)
        exact(js["f"]["yHat"], y_hat)
        exact(js["losses"], loss(y_hat, ys))
        assert js["mean"] == js["cost"] == cost(p, X, ys)
        for key, python in zip(("w1", "b1", "w2", "b2"), b.grads):
            exact(js["b"]["grads"][key], python)
        for key, python in zip(("dL_dyhat", "dL_da1", "da1_dz1", "dL_dz1"), b.__dict__.values()):
            exact(js["b"][key], python)
        for key, python in zip(("w1", "b1", "w2", "b2"), g):
            exact(js["g"][key], python)
        for key, python in zip(("w1", "b1", "w2", "b2"), update(p, g, lr)):
            exact(js["next"][key], python)
        zs = np.array([-1e308, -1000, -40, -0.4, 0, 0.4, 40, 1000, 1e308])
        exact(js["sig"], sigmoid(zs))


def trainer_losses(page, p: Params, optimiser: str, epochs: int) -> dict:
    """The playground's training loop (nn.epoch, as Train runs it): the cost at every epoch,
    the final weights, and the weights after each of the first three epochs."""
    return page.evaluate(
        "async ([p, name, n]) => {"
        + NN
        + """
        const opt = {name, ...config.optimisers[name]};
        let mem = nn.memory(opt, nn.flat(p).length);
        const losses = [];
        const early = [];
        for (let k = 0; k < n; k++) {
          const e = nn.epoch(p, config.x, config.y, opt, mem);
          losses.push(e.cost);
          ({params: p, memory: mem} = e);
          if (k < 3) early.push(nn.flat(p));
        }
        losses.push(nn.cost(p, config.x, config.y));  // the cost after the last step
        return {losses, final: p, early};
      }""",
        [as_json(p), optimiser, epochs],
    )


@pytest.mark.parametrize(
    ("start", "run"), [(START, runs.one_neuron), (BUMP_START, runs.two_neurons)]
)
def test_2000_epochs_are_pythons_to_the_last_bit(open_page, start, run):
    page = open_page(PG)
    expected = run()
    got = trainer_losses(page, start, "gd", expected.epochs)
    assert got["losses"] == expected.costs.tolist()
    same(Params.of(**got["final"]), expected.final)


def test_one_registry_of_optimisers(open_page):
    """nn.js holds the same optimisers as snippets/optimisers.py, and refuses any other."""
    page = open_page(PG)
    names = page.evaluate(
        "async () => Object.keys((await import('/assets/playground/nn.js')).OPTIMISERS)"
    )
    assert names == list(OPTIMISERS)
    error = page.evaluate(
        """async () => {
          const nn = await import('/assets/playground/nn.js');
          try { nn.step({w1: [1], b1: [0], w2: [1], b2: 0}, {w1: [0], b1: [0], w2: [0], b2: 0},
                        {name: 'sgd', lr: 0.1}, {}); } catch (e) { return e.message; }
        }"""
    )
    assert error == 'unknown optimiser "sgd": known are gd, momentum, adam'


@pytest.mark.parametrize("optimiser", list(OPTIMISERS))
@pytest.mark.parametrize(("width", "seed"), [(1, 0), (2, STUCK_SEED), (8, 5)])
def test_every_optimiser_is_the_studys(open_page, optimiser, width, seed):
    """The study's batch trainer and the playground: same losses, same weights, every epoch."""
    page = open_page(PG)
    start = small_random_start(seed, width)
    python = train_batch(Batch.stack([start]), X, Y, optimiser, EPOCHS, record_costs=True)
    js = trainer_losses(page, start, optimiser, EPOCHS)
    assert js["losses"] == python.costs[0].tolist()
    same(Params.of(**js["final"]), python.final.network(0))
    for k, weights in enumerate(js["early"], 1):  # step by step, well within 1e-12: exactly
        assert (
            weights
            == to_vector(
                train_batch(Batch.stack([start]), X, Y, optimiser, k).final.network(0)
            ).tolist()
        )


def test_stuck_start_is_pythons_run_for_twenty_thousand_epochs(open_page):
    page = open_page(PG)
    longer = runs.stuck_longer()
    got = trainer_losses(page, small_random_start(STUCK_SEED), "gd", longer.epochs)
    assert got["losses"] == longer.costs.tolist()


def test_random_starts_are_small_random_start(open_page):
    """The build writes standard normal draws; the page scales them: Python's starts, exactly."""
    page = open_page(PG)
    cases = [(seed, w, scale) for seed in range(SEEDS) for w in WIDTHS for scale in (0.1, 1.3)]
    got = page.evaluate(
        "async (cases) => { const st = await import('/assets/playground/state.js');"
        "const config = JSON.parse(document.getElementById('playground-config').textContent);"
        "return cases.map(([seed, w, scale]) => st.startWeights(config, 'random', w, seed, scale));"
        "}",
        cases,
    )
    for (seed, w, scale), p in zip(cases, got, strict=True):
        same(Params.of(**p), small_random_start(seed, w, scale))


# ---- Starts, optimisers, training controls ----


def test_starts_at_the_lessons_start(open_page):
    page = open_page(PG)
    s = state(page)
    same(s["p"], START)
    assert (s["y"], s["lr"], s["h"], s["start"], s["opt"]) == (Y.tolist(), LR, 1, "article", "gd")
    assert status(page) == f"Cost C = {value(cost(START, X, Y))}"
    assert out(page, "epoch") == "0"
    formulas = out(page, "formulas")
    assert "z₁ = w₁·x + b₁ = 0.5000·1 + (\u22120.1000) = 0.4000" in formulas


def test_start_seed_scale_and_width_controls(open_page):
    page = open_page(PG)
    options = combo(page, "Start").locator("option").all_inner_texts()
    assert options == ["Article start", "Bump start", "Random start"]
    assert combo(page, "Hidden neurons").locator("option").all_inner_texts() == [
        "1",
        "2",
        "3",
        "4",
        "8",
    ]
    combo(page, "Start").select_option(label="Bump start")
    same(params(page), BUMP_START)
    combo(page, "Start").select_option(label="Random start")
    box(page, "Seed").fill("7")
    combo(page, "Hidden neurons").select_option("3")
    same(params(page), small_random_start(7, 3))
    box(page, "Scale").fill("0.5")
    same(params(page), small_random_start(7, 3, 0.5))
    assert page.get_by_role("slider", name="w₁⁽³⁾ slider").count() == 1  # 01-network.md's notation
    combo(page, "Hidden neurons").select_option("8")
    same(params(page), small_random_start(7, 8, 0.5))
    box(page, "Seed").fill(str(SEEDS))  # beyond the seeds the build wrote
    assert "Keeping 7" in page.locator("#pg-seed-e").inner_text()
    combo(page, "Start").select_option(label="Article start")
    same(params(page), START)


def test_stuck_start_sits_at_the_plateau_then_escapes_where_page_09_says(open_page):
    page = open_page(PG)
    button(page, "Stuck start").click()
    start = small_random_start(STUCK_SEED, 2, SMALL_RANDOM_SCALE)
    same(params(page), start)
    stuck = claims.stuck_at_mean()
    run_to(page, EPOCHS)
    assert abs(shown_cost(page) - mean_prediction_loss(Y)) < outcomes.STUCK_WITHIN
    same(params(page), runs.stuck().final)
    escape = stuck.escape_epoch
    run_to(page, escape - 1)
    before = params(page)
    same(before, train_in_floats(start, X, Y, LR, escape - 1).final)
    assert cost(before, X, Y) >= outcomes.FIT_BELOW  # not yet
    run_to(page, escape)
    assert cost(params(page), X, Y) < outcomes.FIT_BELOW  # from here on it fits
    assert shown_cost(page) <= outcomes.FIT_BELOW  # rounded to the four decimals shown


def test_run_to_epoch_stops_exactly_and_shows_the_training_pages_cost(open_page):
    page = open_page(PG)
    one = runs.one_neuron()
    run_to(page, EPOCHS)
    assert out(page, "epoch") == f"{EPOCHS:,}"
    assert status(page) == f"Cost C = {value(one.costs[-1])}"
    same(params(page), one.final)
    button(page, "Run to epoch").click()  # already there: it says so, and stays
    settle(page)
    assert "already at epoch" in page.get_by_role("alert").inner_text()
    assert epoch(page) == EPOCHS


def test_optimisers_use_the_studys_settings(open_page):
    page = open_page(PG)
    labels = combo(page, "Optimiser").locator("option").all_inner_texts()
    assert labels == ["Gradient descent", "Momentum", "Adam"]
    for name, label in (("momentum", "Momentum"), ("adam", "Adam")):
        combo(page, "Start").select_option(label="Bump start")
        combo(page, "Optimiser").select_option(label=label)
        assert state(page)["lr"] == OPTIMISERS[name].lr and state(page)["opt"] == name
        for _ in range(3):
            button(page, "Step").click()
        python = train_batch(Batch.stack([BUMP_START]), X, Y, name, 3).final.network(0)
        same(params(page), python)


def test_speed_control_runs_from_one_epoch_a_second_to_flat_out(open_page):
    page = open_page(PG)
    speeds = combo(page, "Speed").locator("option").all_inner_texts()
    assert speeds[0] == "1 epoch/s" and speeds[-1] == "As fast as possible"
    combo(page, "Speed").select_option(label="1 epoch/s")
    button(page, "Train").click()
    page.wait_for_timeout(1500)
    button(page, "Pause").click()
    assert 1 <= epoch(page) <= 2
    combo(page, "Speed").select_option(label="As fast as possible")
    button(page, "Train").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch > 20000")
    button(page, "Pause").click()


def test_history_and_epoch_reset_when_the_run_changes(open_page):
    page = open_page(PG)

    def trained():
        run_to(page, 300)
        assert epoch(page) == 300

    def fresh():
        assert epoch(page) == 0
        assert page.locator('[data-chart="cost"] .pg-curve').get_attribute("points").count(" ") == 0

    trained()
    box(page, "w₂").fill("0.25")
    fresh()
    trained()
    box(page, "y at x = 2").fill("0.5")
    fresh()
    trained()
    combo(page, "Optimiser").select_option(label="Adam")
    fresh()
    trained()
    combo(page, "Hidden neurons").select_option("2")
    fresh()
    trained()
    button(page, "Reset").click()
    fresh()


def test_step_equals_one_python_update(open_page):
    page = open_page(PG)
    button(page, "Step").click()
    same(params(page), update(START, gradients(START, X, Y), LR))
    assert epoch(page) == 1


def cells(page, label: str) -> list[str]:
    """The texts of the epoch table's row `label`: four points, then the mean."""
    row = page.locator(".pg-epoch tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)
    )
    return row.locator("td").all_inner_texts()


def test_step_phase_shows_each_value_when_it_is_computed(open_page):
    page = open_page(PG)
    z1, a1, y_hat = forward(START, X)
    b = backward(START, X, Y, z1, a1, y_hat)
    g = gradients(START, X, Y)
    phases = []
    for phase in range(1, 6):
        button(page, "Step phase").click()
        settle(page)
        assert page.locator("#playground").get_attribute("data-phase") == str(phase)
        phases.append(out(page, "phase"))
        z, lo, grad = cells(page, "z₁"), cells(page, "L = ½(ŷ − y)²"), cells(page, "∂L/∂w₁")
        assert z[:4] == [value(v) for v in z1[:, 0]]  # phase 1 on: the forward pass
        assert lo[:4] == ([value(v) for v in loss(y_hat, Y)] if phase >= 2 else ["·"] * 4)
        assert lo[4] == (value(cost(START, X, Y)) if phase >= 2 else "·")
        assert grad[:4] == ([shown(v) for v in b.grads.dL_dw1[:, 0]] if phase >= 3 else ["·"] * 4)
        assert grad[4] == (shown(g.dL_dw1[0]) if phase >= 4 else "·")
        assert epoch(page) == (1 if phase == 5 else 0)
        flow = page.locator(".pg-diagram svg").get_attribute("data-flow")
        assert flow == {1: "forward", 3: "backward"}.get(phase, "")
        formulas = out(page, "formulas")
        if phase == 3:  # the chain for the selected point, numbers in (04-backprop.md)
            assert f"∂L/∂ŷ = ŷ − y = {value(y_hat[0])} − 0 = {value(b.dL_dyhat[0])}" in formulas
            assert f"·1 = {value(b.grads.dL_dw1[0, 0])}" in formulas
        if phase == 5:  # the update with the very gradient of phase 4
            new = update(START, g, LR)
            assert (
                f"w₁ ← w₁ − η·∂C/∂w₁ = 0.5000 − 0.5·({value(g.dL_dw1[0])}) = {value(new.w1[0])}"
            ) in formulas
    assert [t.split(" · ")[0] for t in phases] == [f"Step phase {k} of 5" for k in range(1, 6)]
    same(params(page), update(START, g, LR))
    button(page, "Reset").click()
    assert out(page, "phase").startswith("Step phase walks")
    button(page, "Step phase").click()
    button(page, "Train").click()
    assert out(page, "phase").startswith("Step phase walks")


def test_controls_diagram_and_active_table_fit_one_screen(open_page):
    page = open_page(PG, **DESKTOP)
    combo(page, "Start").select_option(label="Bump start")
    page.evaluate("window.scrollTo(0, document.querySelector('#playground').offsetTop - 60)")
    for phase in range(1, 4):
        button(page, "Step phase").click()
        active = page.locator(f".pg-epoch tbody[data-section='{phase}']")
        for thing in (
            button(page, "Step phase"),
            page.get_by_role("img", name=re.compile("network diagram")),
            active,
        ):
            b = thing.bounding_box()
            assert b["y"] >= 48 and b["y"] + b["height"] <= 900, (phase, b)


# ---- The views ----


def test_network_diagram_draws_every_weight(open_page):
    page = open_page(PG + "?start=bump&h=2&w1=3,-3&b1=-4.5,7.5")
    diagram = page.get_by_role("img", name=re.compile("network diagram"))
    assert "feeds 2 hidden sigmoid neuron" in diagram.get_attribute("aria-label")
    edges = page.locator(".pg-diagram .pg-edge")
    assert edges.count() == 4
    widths = {
        e.get_attribute("data-key"): float(e.get_attribute("stroke-width")) for e in edges.all()
    }
    assert widths["w1:0"] > widths["w2:0"]  # |3| > |2|: thicker
    negative = page.locator(".pg-diagram .pg-edge.pg-neg")
    assert sorted(e.get_attribute("data-key") for e in negative.all()) == ["w1:1", "w2:1"]
    # each hidden neuron's own curve: neuron 2 (w₁ = −3) falls, neuron 1 rises
    ys = [
        [float(pt.split(",")[1]) for pt in t.get_attribute("points").split()]
        for t in page.locator(".pg-thumb").all()
    ]
    assert ys[0][0] > ys[0][-1] and ys[1][0] < ys[1][-1]  # SVG's y grows downwards
    handle = page.get_by_role("button", name="w₁⁽²⁾ = −3.0000")
    handle.focus()
    assert "w₁⁽²⁾ = −3.0000" in out(page, "net-readout")
    page.keyboard.press("Enter")
    settle(page)
    assert handle.get_attribute("aria-pressed") == "true"
    assert combo(page, "across").input_value() == "w1:1"
    page.get_by_role("button", name="b₂ = 0.0000").hover()
    assert "bias of the output" in out(page, "net-readout")


def test_fit_chart_takes_the_bump_apart_and_clips_nothing(open_page):
    page = open_page(PG + "?start=bump&h=2")
    chart = page.locator('[data-chart="fit"]')
    page.get_by_label("each neuron's part").check()
    settle(page)
    assert chart.locator(".pg-part").count() == 2
    xs = np.linspace(0.5, 4.5, 81)
    _, a1, y_hat = forward(BUMP_START, xs)
    parts = a1 * BUMP_START.w2
    lo, hi = (float(v) for v in chart.get_attribute("data-range").split(","))
    assert lo <= min(parts.min(), y_hat.min()) and hi >= max(parts.max(), y_hat.max())
    assert y_hat.max() > 1.8  # the bump's true top (the old chart cut it at 1.71)
    # each part in its neuron's colour in the network diagram
    colours = [e.get_attribute("style") for e in chart.locator(".pg-part").all()]
    boxes = [e.get_attribute("style") for e in page.locator(".pg-diagram rect").all()]
    assert colours == boxes and len(set(colours)) == 2
    page.get_by_label("each neuron's part").uncheck()
    settle(page)
    assert all(p.get_attribute("points") == "" for p in chart.locator(".pg-part").all())


def test_loss_landscape_is_the_cost_and_follows_training(open_page):
    page = open_page(PG)
    assert page.get_by_role("img", name=re.compile("cost landscape")).count() == 1
    grid = page.evaluate(
        "async () => {"
        + NN
        + """
        const ls = await import('/assets/playground/landscape.js');
        const out = new Float64Array(100 * 100);
        const w = nn.flat(config.starts.article);
        ls.lossGrid(w, 1, config.x, config.y, [0, 2], [[-1, 2], [-2, 3]], 100, out);
        return Array.from(out);
      }"""
    )
    for r, c in ((0, 0), (37, 81), (99, 99)):
        p = Params.of([-1 + (c + 0.5) * 3 / 100], [-0.1], [3 - (r + 0.5) * 5 / 100], 0.2)
        assert grid[r * 100 + c] == cost(p, X, Y)
    picture = "document.querySelector('.pg-map canvas').toDataURL()"
    page.wait_for_timeout(200)
    before = page.evaluate(picture)
    box(page, "b₁").fill("1.5")  # a held weight: the map is recomputed
    page.wait_for_timeout(200)
    assert page.evaluate(picture) != before
    run_to(page, 500)
    path = page.locator(".pg-path").get_attribute("points").split()
    assert len(path) > 100
    combo(page, "up").select_option(label="b₂")
    landscape = page.get_by_role("img", name=re.compile("cost landscape"))
    expect(landscape).to_have_attribute("aria-label", re.compile(r"b₂ \(up"))


def test_loss_chart_has_real_axes_reference_lines_and_a_readout(open_page):
    page = open_page(PG, **DESKTOP)
    button(page, "Stuck start").click()
    run_to(page, 11_807)
    chart = page.locator('[data-chart="cost"]')
    frame = chart.bounding_box()
    labels = chart.locator(".pg-axes text")
    for t in labels.all():  # no label cut off by the chart's edge
        b = t.bounding_box()
        assert (
            b["x"] >= frame["x"] - 0.5 and b["x"] + b["width"] <= frame["x"] + frame["width"] + 0.5
        )
    texts = [t.text_content() for t in labels.all()]
    assert "10k" in texts and "epoch" in texts
    refs = [t.text_content() for t in chart.locator(".pg-refs text").all()]
    assert any(t.startswith("1/12") for t in refs) and any(t.startswith("0.125") for t in refs)
    slider = page.get_by_role("slider", name="Read the cost at an epoch")
    slider.focus()
    page.keyboard.press("Home")
    assert out(page, "readout") == (
        f"Epoch 0: C = {value(cost(small_random_start(STUCK_SEED), X, Y))}"
    )
    page.get_by_label("log scale").check()
    settle(page)
    assert chart.get_attribute("data-scale") == "log"
    settle(page)
    ticks = [t.text_content() for t in chart.locator(".pg-axes text").all()]
    assert any(re.fullmatch("10⁻[¹²³⁴⁵⁶⁷⁸⁹⁰]+", t or "") for t in ticks)
    box_ = chart.bounding_box()
    page.mouse.move(box_["x"] + box_["width"] * 0.5, box_["y"] + box_["height"] * 0.5)
    readout = out(page, "readout")
    assert re.fullmatch(r"Epoch [\d,]+: C = .+", readout) and readout != "Epoch 0"


# ---- Honest numbers ----


def test_numbers_are_written_as_on_the_other_pages(open_page):
    """format.js's fmt and shown and snippets/book/numbers.py's value and shown: one rule."""
    rng = np.random.default_rng(3)
    values = [0.0, -0.0, 0.5, -0.1, 1e-4, -1e-4, 9.99e-5, 0.00005, -0.00004999, 123.456789]
    values += [-2.26e-18, 4.14e-16, 1e-300, -7.5e-9, 0.085321, -0.0975, 2.0, 1e12]
    values += [433014195357.6355, LARGE, -LARGE * 3.3, NEGLIGIBLE, -NEGLIGIBLE / 2]
    values += (rng.normal(0, 1, 40) * 10.0 ** rng.integers(-14, 9, 40)).tolist()
    page = open_page(PG)
    for digits in (4, 2):
        got = page.evaluate(
            "async ([vs, d]) => { const f = await import('/assets/playground/format.js');"
            " return vs.map((v) => [f.fmt(v, d), f.shown(v, d)]); }",
            [values, digits],
        )
        assert got == [[value(v, digits), shown(v, digits)] for v in values]


def test_tables_write_noise_as_zero_and_never_wrap_a_number(open_page):
    page = open_page(PG + "?start=bump&h=2", **PHONE)
    run_to(page, EPOCHS)  # fitted: the gradients are rounding noise
    fitted = runs.two_neurons().final
    z1, a1, y_hat = forward(fitted, X)
    b = backward(fitted, X, Y, z1, a1, y_hat)
    for j, n in enumerate(("⁽¹⁾", "⁽²⁾")):
        expected = [shown(v) for v in b.grads.dL_dw1[:, j]]
        assert cells(page, f"∂L/∂w₁{n}")[:4] == expected
    assert "≈ 0" in page.locator(".pg-epoch").inner_text()
    heights = page.evaluate(
        """() => [...document.querySelectorAll('.pg-epoch td')].map((td) =>
             td.getBoundingClientRect().height / parseFloat(getComputedStyle(td).fontSize))"""
    )
    assert max(heights) < 2.2  # one line each (padding included)
    assert "e-" not in page.locator(".pg-epoch").inner_text()


@pytest.mark.parametrize(("lr", "why"), [("5", "reached"), ("2", "risen for")])
def test_divergence_stops_training_and_says_so(open_page, lr, why):
    page = open_page(PG)
    box(page, "learning rate η").fill(lr)
    combo(page, "Speed").select_option(label="As fast as possible")
    button(page, "Train").click()
    alert = page.get_by_role("alert")
    alert.wait_for(state="visible", timeout=30_000)
    assert "diverged" in alert.inner_text() and why in alert.inner_text()
    assert button(page, "Train").is_visible()
    text = status(page)
    assert len(text) < 20, text  # never a twelve-digit loss
    assert all(np.all(np.isfinite(v)) for v in params(page))
    no_nan(page)


# ---- Fields, keyboard, bad input, sharing ----


def test_sliders_and_exact_fields_move_the_weights(open_page):
    page = open_page(PG)
    for name in ("w₁", "b₁", "w₂", "b₂"):
        assert page.get_by_role("slider", name=f"{name} slider").count() == 1
        assert box(page, name).count() == 1
    page.get_by_role("slider", name="w₁ slider").fill("1.25")
    box(page, "b₂").fill("-0.375")
    expected = Params.of([1.25], [-0.1], [0.3], -0.375)
    same(params(page), expected)
    assert status(page) == f"Cost C = {value(cost(expected, X, Y))}"
    # a long value is readable whole in its box
    box(page, "b₂").fill("-12.6787712")
    box(page, "b₂").press("Tab")  # once the reader leaves it, the box shows six decimals
    settle(page)
    assert box(page, "b₂").input_value() == "-12.678771"
    assert box(page, "b₂").evaluate("(el) => el.scrollWidth <= el.clientWidth")


def test_edit_drag_and_reset_the_data(open_page):
    page = open_page(PG)
    box(page, "y at x = 4").fill("1")
    ys = [0.0, 1.0, 1.0, 1.0]
    assert state(page)["y"] == ys
    point = page.locator(".pg-point").nth(0)
    b = point.bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] - 60, steps=5)
    page.mouse.up()
    assert state(page)["y"][0] > 0.3
    button(page, "Reset data").click()
    assert state(page)["y"] == Y.tolist()


def test_keyboard_only(open_page):
    page = open_page(PG)
    slider = page.get_by_role("slider", name="w₁ slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert params(page).w1[0] == pytest.approx(0.51, abs=1e-12)
    button(page, "Step").focus()
    page.keyboard.press("Enter")
    assert epoch(page) == 1
    button(page, "Reset").focus()
    page.keyboard.press("Space")
    assert epoch(page) == 0
    combo(page, "Start").focus()
    page.keyboard.press("ArrowDown")  # to "Bump start"
    assert state(page)["h"] == 2


@pytest.mark.parametrize(
    "text", ["abc", "", "NaN", "Infinity", "-Infinity", "1e309", "--1", "0x10"]
)
def test_invalid_weight_is_refused_and_explained(open_page, text):
    page = open_page(PG)
    field = box(page, "w₂")
    set_raw(field, text)
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator("#pg-w2-0-e").inner_text()
    assert "Keeping 0.3000" in error and len(error) > len("Keeping 0.3000.")
    same(params(page), START)
    no_nan(page)
    set_raw(field, "0.25")
    assert field.get_attribute("aria-invalid") is None
    assert params(page).w2[0] == 0.25


@pytest.mark.parametrize("text", ["1e9", "0", "-1", "NaN"])
def test_absurd_learning_rates_are_refused(open_page, text):
    page = open_page(PG)
    set_raw(box(page, "learning rate η"), text)
    assert "Keeping 0.5000" in page.locator("#pg-lr-e").inner_text()
    assert state(page)["lr"] == LR


def test_url_round_trip(open_page):
    page = open_page(PG)
    combo(page, "Start").select_option(label="Random start")
    box(page, "Seed").fill("11")
    combo(page, "Hidden neurons").select_option("4")
    combo(page, "Optimiser").select_option(label="Momentum")
    box(page, "b₁⁽²⁾").fill("-9.875")
    box(page, "y at x = 3").fill("0.5")
    box(page, "learning rate η").fill("0.3")
    button(page, "Step").click()
    link = page.get_by_role("link", name="Link to this exact state").get_attribute("href")
    assert link.startswith("?") and link == page.evaluate("location.search")
    before = state(page)
    again = open_page(PG + link)
    after = state(again)
    same(before["p"], after["p"])
    assert {k: v for k, v in before.items() if k != "p"} == {
        k: v for k, v in after.items() if k != "p"
    }
    assert status(again) == status(page)
    assert combo(again, "Optimiser").input_value() == "momentum"


def test_old_links_still_open_their_network(open_page):
    """Links written before random starts existed (?h=2&w1=…) open the same weights."""
    page = open_page(PG + "?h=2&w1=3,3&b1=-4.5,-10.5&w2=2,-2&b2=0&y=0,1,1,0&lr=0.5")
    assert state(page)["start"] == "bump"
    same(params(page), BUMP_START)


@pytest.mark.parametrize(
    "query",
    [
        "?h=2&w1=<img src=x onerror=alert(1)>,1&b1=NaN,Infinity&w2=1e309,2&b2=abc&y=1,2,3&lr=-5",
        "?h=<script>alert(1)</script>&w1=1,2&y=0,1,1,0,9&lr=1e999&seed=-1&scale=1e99",
        "?w1=%3Csvg%20onload%3Dalert(1)%3E&y=%22%3E%3Cimg%20src%3Dx%3E,1,1,0&start=__proto__",
        "?start=random&seed=1.5&h=8&opt=constructor&scale=abc",
    ],
)
def test_hostile_urls_fall_back_to_defaults(open_page, query):
    page = open_page(PG + query)
    s = state(page)
    if "start=random" in query:
        same(s["p"], small_random_start(0, 8))
    else:
        same(s["p"], BUMP_START if s["h"] == 2 else START)
    assert (s["y"], s["lr"], s["opt"]) == (Y.tolist(), LR, "gd")
    hostile = "#playground img, #playground script, #playground [onerror], #playground [onload]"
    assert page.locator(hostile).count() == 0
    no_nan(page)


# ---- People and devices ----


def test_reduced_motion_trains_in_chunks(open_page):
    page = open_page(PG, reduced_motion="reduce")
    combo(page, "Speed").select_option(label="1,000 epochs/s")
    button(page, "Train").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch >= 1000")
    button(page, "Pause").click()
    assert epoch(page) % 500 == 0  # whole chunks, no per-frame animation
    button(page, "Step phase").click()  # the forward pass: values flow, but nothing moves
    settle(page)
    assert page.locator(".pg-diagram svg").get_attribute("data-flow") == "forward"
    flow = page.evaluate("getComputedStyle(document.querySelector('.pg-flow')).animationName")
    assert flow == "none"


def test_one_frame_per_display_refresh(open_page):
    page = open_page(PG)
    combo(page, "Speed").select_option(label="As fast as possible")
    counted = page.evaluate(
        """() => new Promise((done) => {
          const root = document.querySelector('#playground');
          let refreshes = 0;
          const tick = () => { refreshes++; if (refreshes < 60) requestAnimationFrame(tick); };
          const f0 = Number(root.dataset.frames);
          document.querySelector('[data-action="train"]').click();
          requestAnimationFrame(tick);
          setTimeout(() => done([Number(root.dataset.frames) - f0, refreshes]), 1000);
        })"""
    )
    drawn, refreshes = counted
    assert 0 < drawn <= refreshes + 2


def test_phone_width_has_no_horizontal_overflow(open_page):
    page = open_page(PG, **PHONE)
    for _ in range(3):
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        button(page, "Step phase").tap()
    for name in ("Train", "Step", "Step phase", "Reset", "Run to epoch", "Stuck start"):
        assert button(page, name).is_visible()


def contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        r, g, b_ = (float(v) / 255 for v in re.findall(r"[\d.]+", c)[:3])
        f = lambda v: v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b_)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


COLOURS = """(el) => { const s = getComputedStyle(el);
  let bg = s.backgroundColor, p = el;
  while (bg === 'rgba(0, 0, 0, 0)' && p.parentElement) {
    p = p.parentElement; bg = getComputedStyle(p).backgroundColor; }
  return [s.color, bg]; }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_buttons_stay_readable_when_focused_or_hovered(open_page, scheme, device):
    page = open_page(PG, color_scheme=scheme, **(PHONE if device == "phone" else DESKTOP))
    for name in ("Step", "Step phase", "Reset"):
        b = button(page, name)
        if device == "phone":
            b.tap()  # after a tap the button keeps focus (the old page became unreadable here)
        else:
            b.hover()
        page.wait_for_timeout(400)  # Material's colour transition
        fg, bg = b.evaluate(COLOURS)
        assert contrast(fg, bg) >= 4.5, (name, fg, bg)
        b.focus()
        page.wait_for_timeout(400)
        fg, bg = b.evaluate(COLOURS)
        assert contrast(fg, bg) >= 4.5, (name, fg, bg)


def test_dark_mode_charts_follow_the_text_colour(open_page):
    light = open_page(PG, color_scheme="light")
    dark = open_page(PG, color_scheme="dark")
    colour = "getComputedStyle(document.querySelector('[data-chart=fit]')).color"
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert light.evaluate(colour) != dark.evaluate(colour)
    for page in (light, dark):
        stroke = page.evaluate("getComputedStyle(document.querySelector('.pg-axes path')).stroke")
        assert stroke == page.evaluate(colour)


def test_neuron_colours_stand_out_in_both_schemes(open_page):
    page = open_page(PG)
    palette = page.evaluate("async () => (await import('/assets/playground/chart.js')).PALETTE")
    for background in ("rgb(255, 255, 255)", "rgb(30, 33, 41)"):  # Material's light and slate
        for c in palette:
            rgb = f"rgb({int(c[1:3], 16)}, {int(c[3:5], 16)}, {int(c[5:7], 16)})"
            assert contrast(rgb, background) >= 3, (c, background)


def test_own_script_and_styles_stay_small():
    total = sum(f.stat().st_size for f in ASSETS.iterdir())
    assert total < 80 * 1024, total  # the playground's own JS and CSS, unminified
    scripts = "".join(f.read_text() for f in ASSETS.glob("*.js"))
    assert not re.search(r"^\s*import .* from ['\"](?!\./)", scripts, re.M)  # no framework
    assert "Math.exp" not in scripts  # e^x is portable.py's, not the browser's own
