"""The playground (07-playground.md) in Chromium: its maths is the Python's, bit for bit, and every
control, view and number works as a learner needs it to: a first screen with only what the
lessons before it taught, nothing that misleads, every replaced value said, predictions before
results."""

from __future__ import annotations

import math
import re
from html import unescape
from urllib.parse import parse_qs

import numpy as np
import pytest
from playwright.sync_api import expect

from conftest import ROOT, number
from snippets import outcomes
from snippets.book import claims, runs
from snippets.book.numbers import LARGE, NEGLIGIBLE, shown, value
from snippets.book.numbers import cost as cost_text
from snippets.book.playground import (
    LARGER_LR,
    SEEDS,
    SMALLER_LR,
    as_json,
    challenges,
    playground_link,
)
from snippets.book.runs import train_in_floats
from snippets.floor import monotone_floor
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
    train,
    update,
)
from snippets.optimisers import OPTIMISERS
from snippets.study.trainer import Batch, train_batch

PG = "/07-playground/"
MORE = PG + "?more=1"
ASSETS = ROOT / "docs" / "assets" / "playground"
# the playground's modules, with e^x's constants taken from the page, as ui.js does
NN = """const nn = await import('/assets/playground/nn.js');
const config = JSON.parse(document.getElementById('playground-config').textContent);
nn.useArithmetic(config.exp);"""
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
FIRST_SCREEN = {"viewport": {"width": 1280, "height": 800}}


def phone(width: int = 390) -> dict:
    return {
        "viewport": {"width": width, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


PHONE = phone()


def link(page) -> str:
    """The query of "Link to this state", which the playground keeps current (the address bar
    follows it within half a second: test_the_address_follows_the_link)."""
    return page.locator('[data-out="share"]').get_attribute("href").split("#")[0]


def state(page) -> dict:
    """The playground's exact state, read from its link to this state."""
    q = {k: v[0] for k, v in parse_qs(link(page)[1:]).items()}
    nums = {k: [float(t) for t in q[k].split(",")] for k in ("w1", "b1", "w2", "b2", "y", "lr")}
    p = Params.of(nums["w1"], nums["b1"], nums["w2"], nums["b2"][0])
    return {**q, "p": p, "y": nums["y"], "lr": nums["lr"][0], "h": int(q["h"])}


def params(page) -> Params:
    return state(page)["p"]


def settle(page) -> None:
    """Wait for the next drawn frame: the playground draws once per display refresh."""
    frames(page, 2)


def frames(page, n: int) -> None:
    """Wait for n more display frames: time enough for n draws (and runs) of the playground."""
    page.evaluate(
        "(n) => new Promise((r) => { const f = () => (--n ? requestAnimationFrame(f) : r());"
        " requestAnimationFrame(f); })",
        n,
    )


def map_drawn(page) -> None:
    """Wait until the landscape shows the state now (its grid is computed over several frames)."""
    settle(page)
    page.wait_for_function(
        "document.querySelector('.pg-landscape svg').dataset.busy === 'false'", timeout=30_000
    )


def transitions_done(page) -> None:
    """Wait until no CSS transition runs (Material's colours fade on hover, focus, scheme)."""
    settle(page)
    page.wait_for_function(
        "document.getAnimations().every((a) => !(a instanceof CSSTransition)"
        " || a.playState !== 'running')"
    )


def out(page, name: str) -> str:
    """The text of the element `data-out=name`, once drawn."""
    settle(page)
    return page.locator(f'[data-out="{name}"]').inner_text()


def note(page) -> str:
    """What the polite live region says now."""
    settle(page)
    return page.locator('[data-out="note"]').text_content()


def alert(page) -> str:
    """What the alert says now (empty, and hidden, when there is nothing to say)."""
    settle(page)
    return page.locator('#playground [role="alert"]').text_content()


def status(page) -> str:
    settle(page)
    return page.locator("#playground").get_by_role("status").inner_text()


COST = re.compile(r"Cost C = (\d+\.\d{6}|\d\.\d × 10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def shown_cost(page) -> float:
    text = status(page)
    assert COST.fullmatch(text), text
    return number(text.split(" = ")[1])


def epoch(page) -> int:
    settle(page)
    return int(out(page, "epoch").replace(",", ""))


def same(a: Params, b: Params) -> None:
    """Equal to the last bit."""
    assert to_vector(a).tolist() == to_vector(b).tolist()


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def box(page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def combo(page, name: str):
    return page.get_by_role("combobox", name=name, exact=True)


def more(page) -> None:
    """Show the further controls (once)."""
    toggle = button(page, "More controls")
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def set_raw(field, text: str) -> None:
    """Put any text in a field, as pasting would, and fire the events typing fires."""
    field.evaluate(
        "(el, t) => { el.focus(); el.value = t; el.dispatchEvent(new Event('input', "
        "{bubbles: true})); }",
        text,
    )


def idle(page, timeout: int = 60_000) -> None:
    page.wait_for_function(
        "document.querySelector('#playground').dataset.running == 'false'", timeout=timeout
    )


def run_to(page, n: int) -> None:
    """Set "Stop at epoch" to n at the fastest speed and run there."""
    more(page)
    combo(page, "Speed").select_option(label="As fast as possible")
    box(page, "Stop at epoch").fill(str(n))
    button(page, "Run to epoch").click()
    page.wait_for_function(
        f"document.querySelector('#playground').dataset.epoch == {n} && "
        "document.querySelector('#playground').dataset.running == 'false'",
        timeout=60_000,
    )


def no_nan(page) -> None:
    """No number the playground computed reads NaN, Infinity or undefined (what says why a text
    was refused may quote it)."""
    body = page.locator("#playground").evaluate(
        "(el) => { const c = el.cloneNode(true);"
        " c.querySelectorAll('[data-out=note], .pg-error').forEach((e) => e.remove());"
        " document.body.append(c); const t = c.innerText; c.remove(); return t; }"
    )
    assert "NaN" not in body and "Infinity" not in body and "undefined" not in body


def steps(p: Params, lr: float, n: int, ys=Y) -> Params:
    """n plain gradient-descent steps, as network.py takes them."""
    for _ in range(n):
        p = update(p, gradients(p, X, ys), lr)
    return p


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


def test_no_other_script_chooses_by_optimiser_name():
    """The registry in nn.js is the one place an optimiser's name picks what happens."""
    for f in ASSETS.glob("*.js"):
        if f.name != "nn.js":
            for name in OPTIMISERS:
                assert not re.search(rf"[\"'`]{name}[\"'`]", f.read_text()), (f.name, name)


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


def test_reference_levels_are_linear_and_floor_on_any_data(open_page):
    """levels.js computes the cost chart's lines for the data as they are: predicting the mean
    (snippets/linear.py) and one neuron's monotone floor (snippets/floor.py)."""
    rng = np.random.default_rng(16)
    cases = [rng.normal(0, 2, 4) for _ in range(150)]
    cases += [rng.integers(-3, 4, 4).astype(float) for _ in range(100)]  # ties, steps, flat
    cases += [np.array(y, float) for y in ([0, 1, 1, 0], [0, 1, 1, 1], [1, 1, 1, 1], [3, 2, 1, 0])]
    page = open_page(PG)
    got = page.evaluate(
        "async (cases) => { const l = await import('/assets/playground/levels.js');"
        " return cases.map((ys) => [l.meanPrediction(ys), l.monotoneFloor(ys)]); }",
        [c.tolist() for c in cases],
    )
    for ys, (mean_js, floor_js) in zip(cases, got, strict=True):
        assert mean_js == mean_prediction_loss(ys)
        assert floor_js == pytest.approx(float(monotone_floor(ys.tolist())[1]), rel=1e-15, abs=0)


# ---- Honest numbers ----


def test_numbers_are_written_as_on_the_other_pages(open_page):
    """format.js's fmt, shown and cost, and snippets/book/numbers.py's value, shown and cost:
    one rule, ties rounded to even as Python rounds them."""
    rng = np.random.default_rng(3)
    values = [0.0, -0.0, 0.5, -0.1, 1e-4, -1e-4, 9.99e-5, 0.00005, -0.00004999, 123.456789]
    values += [-2.26e-18, 4.14e-16, 1e-300, -7.5e-9, 0.085321, -0.0975, 2.0, 1e12]
    values += [433014195357.6355, LARGE, -LARGE * 3.3, NEGLIGIBLE, -NEGLIGIBLE / 2]
    values += [0.0078125, 0.125, 0.03125, -0.0078125, 1250000.0, 9950000.0, 0.00025, 2.5]
    values += (rng.normal(0, 1, 40) * 10.0 ** rng.integers(-14, 9, 40)).tolist()
    page = open_page(PG)
    for digits in (4, 2):
        got = page.evaluate(
            "async ([vs, d]) => { const f = await import('/assets/playground/format.js');"
            " return vs.map((v) => [f.fmt(v, d), f.shown(v, d)]); }",
            [values, digits],
        )
        assert got == [[value(v, digits), shown(v, digits)] for v in values]
    costs = [v for v in map(abs, values) if v < LARGE] + [1e-26, 3.2e-9, 0.085321123, 0.125]
    cost_js = (
        "async (vs) => { const f = await import('/assets/playground/format.js');"
        " return vs.map((v) => f.cost(v)); }"
    )
    got = page.evaluate(cost_js, costs)
    assert got == [cost_text(v) for v in costs]
    # numbers.cost writes a diverged cost with all its digits; the playground, as a power of
    # ten (value's rule), so that 6.6 × 10⁶ never becomes a 300-digit status line
    big = page.evaluate(cost_js, [LARGE, 6.6e6, 1e300])
    assert big == [value(v) for v in (LARGE, 6.6e6, 1e300)]


def test_run_to_epoch_shows_the_training_pages_cost_to_six_decimals(open_page, site):
    """Epoch 2,000 from the lesson's start: the cost as 06-training.md's log prints it."""
    page = open_page(PG)
    one = runs.one_neuron()
    run_to(page, EPOCHS)
    assert out(page, "epoch") == f"{EPOCHS:,}"
    written = cost_text(one.costs[-1])
    assert status(page) == f"Cost C = {written}" and written == "0.085321"
    log = (site / "06-training" / "index.html").read_text()
    assert re.search(rf"\b{EPOCHS}\b\D+{re.escape(written)}", log)  # the log's last line
    same(params(page), one.final)
    button(page, "Run to epoch").click()  # already there: it says so, and stays
    assert "already at epoch" in alert(page)
    assert epoch(page) == EPOCHS


def test_the_escape_epochs_read_differently(open_page):
    """Epochs 8,615 and 8,616 of the stuck run: six decimals tell them apart."""
    page = open_page(PG)
    more(page)
    button(page, "Stuck start").click()
    escape = claims.stuck_at_mean().escape_epoch
    run_to(page, escape - 1)
    before = status(page)
    assert cost(params(page), X, Y) >= outcomes.FIT_BELOW  # not yet
    run_to(page, escape)
    assert status(page) != before
    assert cost(params(page), X, Y) < outcomes.FIT_BELOW  # from here on it fits
    assert shown_cost(page) < outcomes.FIT_BELOW


@pytest.mark.parametrize(("lr", "why"), [("5", "rose from"), ("2", "risen for 500")])
def test_divergence_stops_training_and_says_so(open_page, lr, why):
    page = open_page(PG)
    box(page, "learning rate η").fill(lr)
    button(page, "Train").click()
    page.locator("#playground").get_by_role("alert").wait_for(state="visible", timeout=30_000)
    assert "diverged" in alert(page) and why in alert(page)
    assert button(page, "Train").is_visible()
    text = status(page)
    assert len(text) < 24, text  # a power of ten, never a twelve-digit cost
    assert all(np.all(np.isfinite(v)) for v in params(page))
    no_nan(page)


def diverged_at(lr: float) -> tuple[int, Params]:
    """Where the playground's rule stops plain descent from the lesson's start: the first epoch
    whose cost is both ≥ 10⁶ and ≥ 1000 × the start's, or that rose 500 epochs in a row."""
    p, base, last, rising = START, cost(START, X, Y), math.inf, 0
    for e in range(100_000):
        c = cost(p, X, Y)
        rising = rising + 1 if c > last else 0
        last = c
        if e and ((c >= 1e6 and c >= 1e3 * base) or rising >= 500):
            return e, p
        p = update(p, gradients(p, X, Y), lr)
    raise AssertionError("no divergence")


def diverge(page, lr: str = "5") -> int:
    box(page, "learning rate η").fill(lr)
    button(page, "Train").click()
    page.locator("#playground").get_by_role("alert").wait_for(state="visible", timeout=30_000)
    idle(page)
    return epoch(page)


def test_divergence_is_said_with_its_numbers_and_invents_no_epoch(open_page):
    page = open_page(PG)
    at, p = diverged_at(5.0)
    assert diverge(page) == at
    same(params(page), p)  # the weights of the epoch it stopped at: no step refused or invented
    words = alert(page)
    assert words.startswith(
        f"Training stopped at epoch {at}: the cost rose from {cost_text(cost(START, X, Y))} "
        f"to {value(cost(p, X, Y))}. It diverged: with η = 5 each step overshoots."
    )
    assert "Lower η and press Train to go on from here" in words
    assert "press Reset to go back to the start with its η = 0.5" in words
    assert out(page, "readout") == f"Epoch {at}: C = {value(cost(p, X, Y))}"
    button(page, "Step").click()  # a step after a divergence: applied, and counted
    assert epoch(page) == at + 1
    same(params(page), steps(START, 5.0, at + 1))
    assert out(page, "readout").startswith(f"Epoch {at + 1}: C = ")
    for _ in range(5):  # Step phase's update is the one applied
        button(page, "Step phase").click()
    assert epoch(page) == at + 2
    now = params(page)
    same(now, steps(START, 5.0, at + 2))
    assert f"= {value(now.w1[0])}" in out(page, "formulas")
    box(page, "learning rate η").fill("100")
    button(page, "Step").focus()
    for _ in range(30):  # on and on: a step that would leave the numbers is refused, and said
        for _ in range(10):  # Enter on the focused button: Step, as quick as keys go
            page.keyboard.press("Enter")
        if "beyond what the computer can hold" in alert(page):
            break  # (a press after the refusal is refused too: the epoch stays)
    else:
        raise AssertionError("the weights never became too large")
    stuck_at = epoch(page)
    button(page, "Step").click()
    assert epoch(page) == stuck_at and all(np.all(np.isfinite(v)) for v in params(page))
    no_nan(page)


def test_lowering_eta_goes_on_from_a_divergence(open_page):
    page = open_page(PG)
    at, p = diverged_at(5.0)
    diverge(page)
    box(page, "learning rate η").fill("0.5")
    run_to(page, at + 300)  # from the diverged weights: no new alert, the cost falls
    assert alert(page) == ""
    same(params(page), steps(p, 0.5, 300))
    assert cost(params(page), X, Y) < 1


def test_reset_alone_comes_back_from_a_divergence(open_page):
    page = open_page(PG)
    diverge(page)
    button(page, "Reset").click()
    assert state(page)["lr"] == LR and epoch(page) == 0
    same(params(page), START)
    assert "η = 0.5" in note(page) and alert(page) == ""
    run_to(page, EPOCHS)
    assert alert(page) == ""
    same(params(page), runs.one_neuron().final)


def test_the_advice_names_the_learning_rate_reset_gives(open_page):
    """A link's η that is not a linked start's: Reset gives the optimiser's own η, and the
    advice after a divergence says so (it used to promise the link's η)."""
    page = open_page(PG + "?lr=0.3")
    assert state(page)["lr"] == 0.3
    diverge(page)
    assert f"press Reset to go back to the start with its η = {LR:g}" in alert(page)
    button(page, "Reset").click()
    assert state(page)["lr"] == LR


def test_level_data_fitted_exactly_still_has_a_cost_axis(open_page):
    """Every cost 0 and no reference level to draw (all four y equal): the chart still has an
    axis, and the page keeps working (it used to stop with an error)."""
    page = open_page(PG + "?y=1,1,1,1&w2=0&b2=1")
    assert cost(params(page), X, [1.0] * 4) == 0 and status(page) == "Cost C = below 10⁻²⁵"
    ticks = page.locator('[data-chart="cost"] .pg-axes text').all_text_contents()
    assert "0" in ticks and len(ticks) >= 3
    button(page, "Step").click()
    assert epoch(page) == 1 and status(page) == "Cost C = below 10⁻²⁵"


def test_a_big_cost_is_not_a_divergence_before_any_step(open_page):
    page = open_page(PG + "?w1=1000&w2=1000&b2=1000&lr=0.0001")
    start = params(page)
    assert cost(start, X, Y) > 1e6
    assert alert(page) == ""
    button(page, "Step").click()
    assert epoch(page) == 1 and alert(page) == ""
    run_to(page, 200)
    assert alert(page) == ""
    same(params(page), steps(start, 0.0001, 200))
    assert cost(params(page), X, Y) < cost(start, X, Y)


@pytest.mark.parametrize(
    ("ys", "lines"),
    [
        (Y.tolist(), ["0.125000: predicting the mean", "0.083333: the lowest one hidden"]),
        ([0.0, 1.0, 1.0, 1.0], ["0.093750: predicting the mean"]),  # monotone: no floor
        ([0.5, 0.5, 0.5, 0.5], []),  # flat: nothing to draw
        ([2.0, -1.0, 0.5, 3.0], None),  # computed below
    ],
)
def test_reference_lines_follow_the_data(open_page, ys, lines):
    page = open_page(PG)
    for k, y in enumerate(ys):
        if y != Y[k]:
            more(page)
            box(page, f"y at x = {X[k]:g}").fill(str(y))
    if lines is None:
        mean = mean_prediction_loss(np.array(ys))
        floor = float(monotone_floor(ys)[1])
        lines = [f"{cost_text(mean)}: predicting the mean", f"{cost_text(floor)}: the lowest one"]
    settle(page)
    got = page.locator('[data-chart="cost"] .pg-refs text').all_text_contents()
    assert len(got) == len(lines) and all(g.startswith(w) for g, w in zip(got, lines)), got


def test_stop_at_epoch_is_honoured_when_edited_mid_run(open_page):
    page = open_page(PG)
    more(page)
    combo(page, "Speed").select_option(label="1,000 epochs/s")
    box(page, "Stop at epoch").fill("1000000")
    button(page, "Run to epoch").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch > 300")
    box(page, "Stop at epoch").fill("2000")  # further on: the run stops exactly there
    idle(page)
    assert epoch(page) == 2000
    box(page, "Stop at epoch").fill("1000000")
    button(page, "Run to epoch").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch > 2300")
    box(page, "Stop at epoch").fill("100")  # already passed: it stops now, and says so
    idle(page)
    stopped = epoch(page)
    assert 2300 < stopped < 1_000_000
    assert note(page) == f"Stop at epoch 100 is behind the run: stopped at epoch {stopped:,}."
    frames(page, 20)  # twenty frames later, not one epoch more
    assert epoch(page) == stopped


# ---- Fields: typed values, a decimal comma, refusals said ----


def test_number_fields_are_text_with_a_decimal_keyboard(open_page):
    page = open_page(MORE)
    fields = page.locator("#playground input:not([type=range]):not([type=checkbox])")
    assert fields.count() >= 11
    for f in fields.all():
        assert f.get_attribute("type") == "text"
        assert f.get_attribute("inputmode") in ("decimal", "numeric")


def test_a_decimal_comma_is_a_decimal_point(open_page):
    page = open_page(MORE)
    eta = box(page, "learning rate η")
    eta.fill("0,05")  # Chromium's number inputs read this as 5
    assert state(page)["lr"] == 0.05
    eta.press("Tab")
    assert eta.input_value() == "0.05"
    box(page, "b₂").fill("−0,375")
    assert params(page).b2 == -0.375
    box(page, "Stop at epoch").fill("20,000")  # a whole number: thousands grouped
    box(page, "Stop at epoch").press("Tab")
    assert box(page, "Stop at epoch").input_value() == "20000"
    assert state(page)["stop"] == "20000"


def test_sliders_and_exact_fields_move_the_weights(open_page):
    page = open_page(PG)
    for name in ("w₁", "b₁", "w₂", "b₂"):
        assert page.get_by_role("slider", name=f"{name} slider").count() == 1
        assert box(page, name).count() == 1
    page.get_by_role("slider", name="w₁ slider").fill("1.25")
    box(page, "b₂").fill("-0.375")
    expected = Params.of([1.25], [-0.1], [0.3], -0.375)
    same(params(page), expected)
    assert status(page) == f"Cost C = {cost_text(cost(expected, X, Y))}"
    box(page, "b₂").fill("-12.6787712")
    box(page, "b₂").press("Tab")  # once the reader leaves it, the box shows six decimals
    settle(page)
    assert box(page, "b₂").input_value() == "-12.678771"
    assert box(page, "b₂").evaluate("(el) => el.scrollWidth <= el.clientWidth")


@pytest.mark.parametrize(
    "text", ["abc", "", "NaN", "Infinity", "-Infinity", "1e309", "--1", "0x10"]
)
def test_invalid_weight_is_refused_and_said(open_page, text):
    page = open_page(PG)
    field = box(page, "w₂")
    field.fill(text)
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator("#pg-w2-0-e").inner_text()
    assert "Keeping 0.3000" in error and len(error) > len("Keeping 0.3000.")
    same(params(page), START)
    field.press("Tab")  # leaving the box: the refusal is said in the live region, once
    assert note(page) == f"w₂: {error}"
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


def test_edit_drag_and_reset_the_data(open_page):
    page = open_page(MORE)
    box(page, "y at x = 4").fill("1")
    assert state(page)["y"] == [0.0, 1.0, 1.0, 1.0]
    point = page.locator(".pg-point").nth(0)
    b = point.bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] - 60, steps=5)
    page.mouse.up()
    assert state(page)["y"][0] > 0.3
    b = point.bounding_box()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + 600, steps=30)  # far below −5
    page.mouse.up()
    assert state(page)["y"][0] == -5
    assert note(page) == "y at x = 1 is kept within −5 to 5: −5."
    button(page, "Reset data").click()
    assert state(page)["y"] == Y.tolist()


# ---- Every replaced or kept value said, once, on state changes only ----


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("?h=5", ["The link's h=5 was not used: the widths are 1, 2, 3, 4, 8. Kept h=1."]),
        ("?start=bump&y=0,1,1,abc", ["y=0,1,1,abc was not used: “abc” is not a number."]),
        ("?opt=sgd&lr=-5", ["opt=sgd was not used", "lr=-5 was not used", "Kept lr=0.5."]),
        ("?start=lesson&seed=3", ["seed=3 was not used: only a random start has one."]),
        ("?speed=fast", ["speed=fast was not used: the speeds are 1, 10, 100, 1000, 10000"]),
    ],
)
def test_a_link_value_that_cannot_be_used_is_said(open_page, query, said):
    page = open_page(PG + query)
    for words in said:
        assert words in note(page)


@pytest.mark.parametrize(
    "query",
    [
        "?h=2&w1=<img src=x onerror=alert(1)>,1&b1=NaN,Infinity&w2=1e309,2&b2=abc&y=1,2,3&lr=-5",
        "?h=<script>alert(1)</script>&w1=1,2&y=0,1,1,0,9&lr=1e999&seed=-1&scale=1e99",
        "?w1=%3Csvg%20onload%3Dalert(1)%3E&y=%22%3E%3Cimg%20src%3Dx%3E,1,1,0&start=__proto__",
        "?start=random&seed=1.5&h=8&opt=constructor&scale=abc",
        "?start=linked&from=%3Cb%3Ex%3C/b%3E&h=2&w1=1",
    ],
)
def test_hostile_urls_fall_back_to_defaults_and_say_so(open_page, query):
    page = open_page(PG + query)
    s = state(page)
    if "start=random" in query:
        same(s["p"], small_random_start(0, 8))
    else:
        same(s["p"], BUMP_START if s["h"] == 2 else START)
    assert (s["y"], s["lr"], s["opt"]) == (Y.tolist(), LR, "gd")
    hostile = "#playground img, #playground script, #playground [onerror], #playground [onload]"
    assert page.locator(hostile).count() == 0
    assert "was not used" in note(page)
    no_nan(page)


COUNT_CHANGES = """() => { window.changes = 0;
  for (const name of ["note", "message"]) {
    new MutationObserver((m) => (window.changes += m.length)).observe(
      document.querySelector(`[data-out="${name}"]`),
      {childList: true, characterData: true, subtree: true});
  } }"""


def test_announcements_come_with_state_changes_never_per_frame(open_page):
    page = open_page(PG)
    status_ = page.locator("#playground").get_by_role("status")
    page.evaluate(COUNT_CHANGES)
    button(page, "Train").click()
    frames(page, 60)  # sixty frames of training, each drawn
    assert epoch(page) > 60
    assert status_.get_attribute("aria-live") == "off"  # the cost is not read out per frame
    assert page.evaluate("window.changes") == 0
    button(page, "Pause").click()
    assert status_.get_attribute("aria-live") == "polite"
    more(page)
    combo(page, "Optimiser").select_option(label="Adam")
    settle(page)
    assert page.evaluate("window.changes") == 1
    assert page.locator('[data-out="note"]').get_attribute("aria-live") == "polite"


@pytest.mark.parametrize("name", [n for n in list(OPTIMISERS)[1:]])
def test_switching_optimiser_keeps_eta_unless_its_own_is_picked(open_page, name):
    page = open_page(MORE)
    o = OPTIMISERS[name]
    box(page, "learning rate η").fill("0.3")
    combo(page, "Optimiser").select_option(name)
    assert state(page)["lr"] == 0.3 and state(page)["opt"] == name
    assert note(page).startswith(f"Now {o.label}, from these weights at epoch 0")
    assert f"η stays 0.3 ({o.label}'s own is {o.lr:g}" in note(page)
    own = button(page, f"Use {o.label}'s own η = {o.lr:g}")
    own.focus()
    page.keyboard.press("Enter")
    assert state(page)["lr"] == o.lr
    expect(own).to_be_hidden()
    expect(box(page, "learning rate η")).to_be_focused()  # not lost with the hidden button
    combo(page, "Optimiser").select_option(next(iter(OPTIMISERS)))  # back: 0.05 ≠ 0.5, kept
    assert state(page)["lr"] == o.lr


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_each_optimiser_steps_as_the_study_trains(open_page, name):
    page = open_page(PG + "?start=bump&h=2&more=1")
    combo(page, "Optimiser").select_option(name)
    if OPTIMISERS[name].lr != LR:  # its own η is offered (a click waits until it is shown)
        button(page, f"Use {OPTIMISERS[name].label}'s own η = {OPTIMISERS[name].lr:g}").click()
    assert state(page)["lr"] == OPTIMISERS[name].lr
    for _ in range(3):
        button(page, "Step").click()
    same(params(page), train_batch(Batch.stack([BUMP_START]), X, Y, name, 3).final.network(0))
    button(page, "Reset").click()  # a fresh memory: the first step again
    button(page, "Step").click()
    same(params(page), train_batch(Batch.stack([BUMP_START]), X, Y, name, 1).final.network(0))


def test_optimiser_menu_lists_the_registry(open_page):
    page = open_page(MORE)
    labels = combo(page, "Optimiser").locator("option").all_inner_texts()
    assert labels == [o.label[0].upper() + o.label[1:] for o in OPTIMISERS.values()]


def test_reset_restores_the_start_and_says_what_it_keeps(open_page):
    page = open_page(MORE)
    box(page, "learning rate η").fill("5")
    box(page, "y at x = 4").fill("1")
    for _ in range(3):
        button(page, "Step").click()
    button(page, "Reset").click()
    s = state(page)
    same(s["p"], START)
    assert (s["lr"], s["y"], epoch(page)) == (LR, [0.0, 1.0, 1.0, 1.0], 0)
    assert note(page) == (
        "Reset: back to the lesson start: its weights, η = 0.5, epoch 0. "
        "Your data are kept (y = 0, 1, 1, 1); Reset data restores the lesson's."
    )


def test_named_starts_restore_what_their_names_promise(open_page):
    page = open_page(MORE)
    box(page, "y at x = 4").fill("1")
    button(page, "Stuck start").click()  # a stuck start must get stuck: the lesson's data
    s = state(page)
    same(s["p"], small_random_start(STUCK_SEED, 2, SMALL_RANDOM_SCALE))
    assert (s["y"], s["lr"], s["opt"]) == (Y.tolist(), LR, "gd")
    assert note(page) == (
        f"Random start (seed {STUCK_SEED}, scale {SMALL_RANDOM_SCALE:g}, 2 hidden): its weights, "
        "η = 0.5, epoch 0. The lesson's data are back (your y = 0, 1, 1, 1 are replaced)."
    )
    box(page, "y at x = 1").fill("0.5")
    combo(page, "Start").select_option(label="Bump start")
    same(params(page), BUMP_START)
    assert note(page) == (
        "Bump start: its weights, η = 0.5, epoch 0. Your data are kept (y = 0.5, 1, 1, 0); "
        "Reset data restores the lesson's."
    )
    combo(page, "Hidden neurons").select_option("3")
    assert note(page).startswith(
        f"3 hidden neuron(s): a new random start (seed {STUCK_SEED}, scale 0.1) replaces the"
    )


def test_start_seed_scale_and_width_controls(open_page):
    page = open_page(MORE)
    options = combo(page, "Start").locator("option:not([hidden])").all_inner_texts()
    assert options == ["Lesson start", "Bump start", "Random start"]
    widths = combo(page, "Hidden neurons").locator("option").all_inner_texts()
    assert widths == [str(w) for w in WIDTHS]
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
    combo(page, "Start").select_option(label="Lesson start")
    same(params(page), START)


def test_history_and_epoch_start_over_when_the_run_changes(open_page):
    page = open_page(MORE)

    def trained():
        run_to(page, 300)
        assert epoch(page) == 300

    def fresh():
        assert epoch(page) == 0
        assert page.locator('[data-chart="cost"] .pg-curve').get_attribute("points").count(" ") == 0

    trained()
    box(page, "w₂").fill("0.25")
    fresh()
    assert note(page) == "Training starts over from epoch 0 at these weights."
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


# ---- Links: a linked start, shared states, links from other pages ----


def replay_links(site) -> list[str]:
    html = (site / "10-measured" / "index.html").read_text()
    return [
        unescape(q) for q in re.findall(r'href="\.\./07-playground/\?([^"]+)">replay</a>', html)
    ]


def test_a_linked_start_replays_the_studys_stuck_run_and_resets_to_it(open_page, site):
    """10-measured.md's replay link: the run's weights, width, optimiser and η; stuck at epoch
    2,000; Reset returns to exactly the linked weights, with a fresh memory."""
    query = replay_links(site)[0]
    q = {k: v[0] for k, v in parse_qs(query).items()}
    linked = Params.of(
        *(list(map(float, q[k].split(","))) for k in ("w1", "b1", "w2")), float(q["b2"])
    )
    page = open_page(f"{PG}?{query}")
    assert out(page, "from") == f"Linked start: {q['from']}"
    assert note(page).startswith(f"Linked start: {q['from']}. Reset returns to these weights")
    s = state(page)
    same(s["p"], linked)
    assert (s["opt"], s["lr"], s["h"]) == (q["opt"], float(q["lr"]), int(q["h"]))
    run_to(page, EPOCHS)
    python = train_batch(Batch.stack([linked]), X, Y, q["opt"], EPOCHS).final.network(0)
    same(params(page), python)
    assert abs(shown_cost(page) - mean_prediction_loss(Y)) < outcomes.STUCK_WITHIN  # stuck
    run_to(page, EPOCHS + 500)  # train on
    button(page, "Reset").click()
    same(params(page), linked)
    assert state(page)["lr"] == float(q["lr"]) and epoch(page) == 0
    assert "a fresh optimiser memory" in note(page)
    button(page, "Step").click()
    same(params(page), train_batch(Batch.stack([linked]), X, Y, q["opt"], 1).final.network(0))


def test_a_shared_linked_state_is_a_linked_start_of_its_own(open_page, site):
    """Shared after training, a linked start opens at the weights shared, and says that Reset
    returns there."""
    page = open_page(f"{PG}?{replay_links(site)[0]}")
    run_to(page, 300)
    again = open_page(PG + link(page))
    shared = params(again)
    same(shared, params(page))
    assert "Reset returns to these weights" in note(again)
    button(again, "Step").click()
    button(again, "Reset").click()
    same(params(again), shared)


def test_the_address_follows_the_link(open_page):
    """A burst of changes moves the address bar once, half a second later (browsers throw at a
    page that changes its address too often: test_engines.py), to the link's very state."""
    page = open_page(PG)
    calls = page.evaluate(
        """() => { window.addressChanges = 0; const replace = history.replaceState;
          history.replaceState = function (...a) {
            addressChanges++; return replace.apply(this, a); };
          const step = document.querySelector('[data-action=step]');
          for (let k = 0; k < 50; k++) step.click();
          return addressChanges; }"""
    )
    assert calls == 0 and epoch(page) == 50
    page.wait_for_function("addressChanges > 0")
    assert page.evaluate("location.search") == link(page)
    same(params(page), steps(START, LR, 50))
    assert page.evaluate("addressChanges") == 1


def test_copy_link_to_this_state(browser, server):
    context = browser.new_context(
        base_url=server, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(MORE)
    combo(page, "Start").select_option(label="Random start")
    box(page, "Seed").fill("11")
    combo(page, "Hidden neurons").select_option("4")
    combo(page, "Optimiser").select_option(label="Momentum")
    box(page, "b₁⁽²⁾").fill("-9.875")
    box(page, "y at x = 3").fill("0.5")
    box(page, "learning rate η").fill("0.3")
    button(page, "Step").click()
    button(page, "Copy link to this state").click()
    expect(page.locator('[data-out="note"]')).to_have_text(re.compile("^Link copied"))
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.evaluate("location.href")
    assert page.get_by_role("link", name="Link to this state").get_attribute("href") == (
        page.evaluate("location.search")
    )
    before = state(page)
    again = context.new_page()
    again.goto(link)
    after = state(again)
    same(before["p"], after["p"])
    assert {k: v for k, v in before.items() if k != "p"} == {
        k: v for k, v in after.items() if k != "p"
    }
    assert combo(again, "Optimiser").input_value() == "momentum"
    context.close()


def test_old_links_still_open_their_network(open_page):
    """Links written before random starts existed (?h=2&w1=…) open the same weights."""
    page = open_page(PG + "?h=2&w1=3,3&b1=-4.5,-10.5&w2=2,-2&b2=0&y=0,1,1,0&lr=0.5")
    assert state(page)["start"] == "bump"
    same(params(page), BUMP_START)
    page = open_page(PG + "?start=article&w1=0.25")  # the lesson start's old name
    assert state(page)["start"] == "lesson" and params(page).w1[0] == 0.25


def test_links_from_other_pages_open_exactly_their_state(open_page):
    """snippets.book.playground.playground_link: the controls and state a page talks about."""
    link = playground_link(
        "x", start="random", seed=STUCK_SEED, h=2, scale=0.1, more=1, speed="max", stop=20000
    )
    query = re.fullmatch(r"\[x\]\(07-playground\.md(\?.*)\)", link)[1]
    page = open_page(PG + query)
    same(params(page), small_random_start(STUCK_SEED, 2, 0.1))
    expect(button(page, "More controls")).to_have_attribute("aria-expanded", "true")
    assert combo(page, "Speed").input_value() == "5"
    assert box(page, "Stop at epoch").input_value() == "20000"
    assert note(page) == ""


# ---- The first screen: only what 01-network.md to 06-training.md taught ----

LATER_WORDS = re.compile(  # what 08-capacity.md on brings (a "log scale" is not the start's Scale)
    r"[Oo]ptimi[sz]er|[Mm]omentum|Adam|\b[Ss]eed|\bScale\b|[Ll]andscape|[Aa]rticle|[Ss]tuck"
    r"|[Ss]addle|[Ll]inked|[Rr]andom"
)
VISIBLE_TEXT = """() => { const out = []; const H = innerHeight;
  const walk = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const n = walk.currentNode; const r = document.createRange();
    r.selectNodeContents(n); const b = r.getBoundingClientRect();
    if (b.height > 0 && b.bottom > 0 && b.top < H && n.textContent.trim()
        && !n.parentElement.closest("[hidden], [aria-hidden=true]"))
      out.push(n.textContent.trim()); }
  return out; }"""
CONTROLS = """() => [...document.querySelectorAll("#playground :is(button, input, select, a)")]
  .filter((e) => { const b = e.getBoundingClientRect();
    return b.width > 0 && b.bottom > 0 && b.top < innerHeight; })
  .map((e) => e.getAttribute("aria-label") || e.labels?.[0]?.textContent.trim()
    || e.textContent.trim())"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_first_screen_shows_only_what_the_first_lessons_taught(open_page, device):
    page = open_page(PG, **(FIRST_SCREEN if device == "desktop" else PHONE))
    words = " ".join(page.evaluate(VISIBLE_TEXT))
    assert not LATER_WORDS.search(words), LATER_WORDS.search(words)
    controls = page.evaluate(CONTROLS)
    for name in ("Train", "Step", "Step phase", "Reset"):
        assert name in controls, (name, controls)
    assert not [c for c in controls if LATER_WORDS.search(c)], controls
    if device == "desktop":  # sliders, η, the diagram and the cost chart, all on one screen
        for name in (
            "w₁",
            "w₁ slider",
            "b₂",
            "b₂ slider",
            "learning rate η",
            "learning rate η slider",
        ):
            assert name in controls, (name, controls)
        for img in ("network diagram", "The cost C at each epoch"):
            b = page.get_by_role("img", name=re.compile(img)).bounding_box()
            assert b["y"] + b["height"] <= 800, img
    else:  # on a phone the sliders come within one screen of the fit chart
        chart = page.locator('[data-chart="fit"]').bounding_box()
        eta = page.get_by_role("slider", name="learning rate η slider").bounding_box()
        assert eta["y"] + eta["height"] - chart["y"] <= 844


def test_more_controls_open_and_close_and_travel_in_the_url(open_page):
    page = open_page(PG)
    toggle = button(page, "More controls")
    region = page.locator("#pg-more")
    assert toggle.get_attribute("aria-controls") == "pg-more"
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(region).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(region).to_be_visible()
    assert state(page)["more"] == "1"
    again = open_page(PG + link(page))
    expect(again.locator("#pg-more")).to_be_visible()
    button(again, "More controls").click()
    expect(again.locator("#pg-more")).to_be_hidden()
    assert "more" not in state(again)


@pytest.mark.parametrize("width", [320, 390])
def test_touch_targets_are_at_least_24_px_on_a_phone(open_page, width):
    page = open_page(PG + "?start=bump&h=2&more=1", **phone(width))
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              "#playground :is(button, select, input, a), .predict :is(button, input)")]
          .filter((e) => e.getClientRects().length && !e.closest("[hidden]"))
          .map((e) => [e, ["checkbox", "radio"].includes(e.type) ? e.closest("label") : e])
          .map(([e, t]) => [e.outerHTML.slice(0, 60), t.getBoundingClientRect()])
          .filter(([, b]) => b.width < 24 || b.height < 24)
          .map(([n, b]) => [n, b.width, b.height])"""
    )
    assert small == []


@pytest.mark.parametrize("width", [320, 360, 390])
@pytest.mark.parametrize("query", ["?start=bump&h=2&more=1", "?start=random&h=8&more=1", "?lr=5"])
def test_phone_width_has_no_horizontal_overflow(open_page, width, query):
    page = open_page(PG + query, **phone(width))
    if "lr=5" in query:
        button(page, "Train").tap()
        page.locator("#playground").get_by_role("alert").wait_for(state="visible")
    for _ in range(3):
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        button(page, "Step phase").tap()
    for name in ("Train", "Step", "Step phase", "Reset"):
        assert button(page, name).is_visible()


# ---- Training controls ----


def test_starts_at_the_lessons_start(open_page):
    page = open_page(PG)
    s = state(page)
    same(s["p"], START)
    assert (s["y"], s["lr"], s["h"], s["start"], s["opt"]) == (Y.tolist(), LR, 1, "lesson", "gd")
    assert status(page) == f"Cost C = {cost_text(cost(START, X, Y))}"
    assert out(page, "epoch") == "0"
    formulas = out(page, "formulas")
    assert "z₁ = w₁·x + b₁ = 0.5000·1 + (\u22120.1000) = 0.4000" in formulas
    assert f"= {cost_text(cost(START, X, Y))}" in formulas  # C, with six decimals


def test_step_equals_one_python_update(open_page):
    page = open_page(PG)
    button(page, "Step").click()
    same(params(page), update(START, gradients(START, X, Y), LR))
    assert epoch(page) == 1


def test_stuck_start_sits_at_the_plateau(open_page):
    page = open_page(MORE)
    button(page, "Stuck start").click()
    same(params(page), small_random_start(STUCK_SEED, 2, SMALL_RANDOM_SCALE))
    run_to(page, EPOCHS)
    assert abs(shown_cost(page) - mean_prediction_loss(Y)) < outcomes.STUCK_WITHIN
    same(params(page), runs.stuck().final)
    escape = claims.stuck_at_mean().escape_epoch
    run_to(page, escape - 1)
    same(params(page), train_in_floats(runs.stuck().start, X, Y, LR, escape - 1).final)


@pytest.mark.parametrize("reduced", [False, True])
def test_one_epoch_a_second_is_one_a_second(open_page, reduced):
    page = open_page(MORE, clock=True, reduced_motion="reduce" if reduced else "no-preference")
    combo(page, "Speed").select_option(label="1 epoch/s")
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)  # time moves only when told
    button(page, "Train").click()
    page.clock.run_for(3500)  # 3.5 s of timers and frames (at 60 a second), at once
    button(page, "Pause").click()
    page.clock.resume()
    assert epoch(page) == 3  # not 7 (a reduced-motion jump of half a second counted twice)


def test_speeds_run_from_one_epoch_a_second_to_flat_out(open_page):
    page = open_page(MORE)
    speeds = combo(page, "Speed").locator("option").all_inner_texts()
    assert speeds[0] == "1 epoch/s" and speeds[-1] == "As fast as possible"
    combo(page, "Speed").select_option(label="As fast as possible")
    button(page, "Train").click()
    page.wait_for_function("document.querySelector('#playground').dataset.epoch > 20000")
    button(page, "Pause").click()


def test_reduced_motion_trains_in_chunks(open_page):
    page = open_page(MORE, reduced_motion="reduce")
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
    page = open_page(MORE)
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
    button(page, "More controls").focus()
    page.keyboard.press("Enter")
    combo(page, "Start").focus()
    page.keyboard.press("ArrowDown")  # to "Bump start"
    assert state(page)["h"] == 2


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
        assert lo[4] == (cost_text(cost(START, X, Y)) if phase >= 2 else "·")  # C: six decimals
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


def test_more_controls_keep_a_step_phase_walk(open_page):
    """Opening the further controls (the landscape, which the walk's text suggests) in the
    middle of Step phase keeps the walk where it was."""
    page = open_page(PG)
    for _ in range(3):
        button(page, "Step phase").click()
    assert out(page, "phase").startswith("Step phase 3 of 5")
    more(page)
    assert out(page, "phase").startswith("Step phase 3 of 5")
    button(page, "Step phase").click()
    button(page, "Step phase").click()
    assert epoch(page) == 1
    same(params(page), steps(START, LR, 1))


def test_the_cost_readout_keeps_its_epoch_when_the_history_thins(open_page):
    """The chart keeps 2,000 costs, then every other one: a reading taken before stays at its
    epoch, and the slider says that epoch and cost (not its position) to a screen reader."""
    page = open_page(MORE)
    run_to(page, 1500)
    slider = page.get_by_role("slider", name="Read the cost at an epoch")
    slider.focus()
    page.keyboard.press("Home")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    costs = train(START, X, Y, LR, 3000).costs
    before = f"Epoch 10: C = {cost_text(costs[10])}"
    assert out(page, "readout") == before == slider.get_attribute("aria-valuetext")
    run_to(page, 3000)  # past 2,000 epochs: the history keeps every other one
    assert out(page, "readout") == before == slider.get_attribute("aria-valuetext")
    slider.focus()  # (Run to epoch took it)
    page.keyboard.press("End")
    after = f"Epoch 3,000: C = {cost_text(costs[3000])}"
    assert out(page, "readout") == after == slider.get_attribute("aria-valuetext")


def test_each_section_of_the_epoch_table_heads_its_own_rows(open_page):
    """A section's name heads the rows of its row group (scope=rowgroup, first row of its tbody),
    so a screen reader names the section with each of its cells."""
    page = open_page(PG)
    sections = page.evaluate(
        """() => [...document.querySelectorAll('.pg-epoch tbody')].map((body) => {
          const first = body.rows[0].cells;
          return [first.length, first[0].tagName, first[0].scope, body.rows.length > 1]; })"""
    )
    assert sections == [[1, "TH", "rowgroup", True]] * 3


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


# ---- The views ----


def test_network_diagram_draws_every_weight(open_page):
    page = open_page(PG + "?start=bump&h=2&w1=3,-3&b1=-4.5,7.5&more=1")
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
    assert combo(page, "Across").input_value() == "w1:1"
    page.get_by_role("button", name="b₂ = 0.0000").hover()
    assert "bias of the output" in out(page, "net-readout")


def test_the_mapped_weights_are_marked_in_the_svg_itself(open_page):
    """A halo drawn under each mapped weight (WebKit draws no CSS drop-shadow on SVG lines)."""
    page = open_page(PG + "?start=bump&h=2&more=1")
    settle(page)
    marked = page.locator(".pg-diagram .pg-halo.pg-on")
    assert marked.count() == 2
    for halo in marked.all():
        assert float(halo.evaluate("(e) => getComputedStyle(e).opacity")) > 0.3
    filters = page.evaluate(
        "[...document.querySelectorAll('.pg-diagram svg *')].map((e) => getComputedStyle(e).filter)"
    )
    assert set(filters) == {"none"}
    button(page, "More controls").click()  # no map, no marks
    settle(page)
    assert page.locator(".pg-diagram .pg-halo.pg-on").count() == 0


@pytest.mark.parametrize("width", [320, 1280])
def test_diagram_buttons_never_overlap_at_any_width(open_page, width):
    page = open_page(MORE, **(phone(width) if width < 500 else DESKTOP))
    for h in WIDTHS:
        combo(page, "Hidden neurons").select_option(str(h))
        settle(page)
        boxes = page.evaluate(
            "[...document.querySelectorAll('.pg-handle')].map((b) => {"
            " const r = b.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
        )
        assert len(boxes) == 3 * h + 1
        for k, (l1, t1, r1, b1) in enumerate(boxes):
            assert r1 - l1 >= 24 and b1 - t1 >= 24, (h, k)
            for l2, t2, r2, b2 in boxes[k + 1 :]:
                assert min(r1, r2) - max(l1, l2) <= 0 or min(b1, b2) - max(t1, t2) <= 0, (h, k)
        labels = page.evaluate(
            "[...document.querySelectorAll('.pg-diagram .pg-value')].filter((t) => t.textContent)"
            ".map((t) => { const r = t.getBoundingClientRect();"
            " return [r.left, r.top, r.right, r.bottom]; })"
        )
        for k, (l1, t1, r1, b1) in enumerate(labels):
            for l2, t2, r2, b2 in labels[k + 1 :]:
                assert min(r1, r2) - max(l1, l2) <= 1 or min(b1, b2) - max(t1, t2) <= 1, h


@pytest.mark.parametrize("h", WIDTHS)
def test_diagram_captions_are_true_for_every_width(open_page, h):
    page = open_page(f"{PG}?start=random&h={h}")
    for phase in range(6):
        caption = out(page, "net-caption")
        values = [t for t in page.locator(".pg-diagram .pg-value").all_text_contents() if t.strip()]
        if h <= 2:  # values are written on the picture, as the caption says
            assert len(values) >= (3 * h + 1 if phase in (0, 4, 5) else 1), (phase, values)
        else:  # none are, and the caption sends the reader to the table
            assert values == [] or values == [f"x = {X[0]:g}"], values
            assert "Labels" not in caption and "On each edge" not in caption
            assert "table" in caption or "list" in caption
        button(page, "Step phase").click()


def test_fit_chart_takes_the_bump_apart_and_clips_nothing(open_page):
    page = open_page(PG + "?start=bump&h=2")
    chart = page.locator('[data-chart="fit"]')
    settle(page)
    assert chart.locator(".pg-part").count() == 2
    xs = np.linspace(0.5, 4.5, 81)
    _, a1, y_hat = forward(BUMP_START, xs)
    parts = a1 * BUMP_START.w2
    lo, hi = (float(v) for v in chart.get_attribute("data-range").split(","))
    assert lo <= min(parts.min(), y_hat.min()) and hi >= max(parts.max(), y_hat.max())
    assert y_hat.max() > 1.8  # the bump's true top (the old chart cut it at 1.71)
    colours = [e.get_attribute("style") for e in chart.locator(".pg-part").all()]
    boxes = [e.get_attribute("style") for e in page.locator(".pg-diagram rect.pg-hidden").all()]
    assert colours == boxes and len(set(colours)) == 2
    page.get_by_label("each neuron's part").uncheck()
    settle(page)
    assert all(p.get_attribute("points") == "" for p in chart.locator(".pg-part").all())


VIRIDIS = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]


def viridis(t: float) -> str:
    """The landscape's colour at t in [0, 1], as its 256-entry table holds it."""
    i = round(t * 255)
    s = i / 255 * 4
    k = min(math.floor(s), 3)
    c = [round(a + (b - a) * (s - k)) for a, b in zip(VIRIDIS[k], VIRIDIS[k + 1], strict=True)]
    return f"rgb({c[0]},{c[1]},{c[2]})"


def test_loss_landscape_is_the_cost_and_follows_training(open_page):
    page = open_page(MORE)
    assert page.get_by_role("img", name=re.compile("cost landscape")).count() == 1
    grid = page.evaluate(
        "async () => {"
        + NN
        + """
        const ls = await import('/assets/playground/landscape.js');
        const out = new Float64Array(100 * 100);
        const w = nn.flat(config.starts.lesson);
        ls.lossGrid(w, 1, config.x, config.y, [0, 2], [[-1, 2], [-2, 3]], 100, out);
        return Array.from(out);
      }"""
    )
    for r, c in ((0, 0), (37, 81), (99, 99)):
        p = Params.of([-1 + (c + 0.5) * 3 / 100], [-0.1], [3 - (r + 0.5) * 5 / 100], 0.2)
        assert grid[r * 100 + c] == cost(p, X, Y)
    picture = "document.querySelector('.pg-map canvas').toDataURL()"
    map_drawn(page)
    before = page.evaluate(picture)
    box(page, "b₁").fill("1.5")  # a held weight: the map is recomputed
    map_drawn(page)
    assert page.evaluate(picture) != before
    run_to(page, 500)
    dots = "".join(d.get_attribute("d") or "" for d in page.locator(".pg-dots").all())
    assert dots.count("M") > 100
    combo(page, "up").select_option(label="b₂")
    landscape = page.get_by_role("img", name=re.compile("cost landscape"))
    expect(landscape).to_have_attribute("aria-label", re.compile(r"b₂ \(up"))


def test_the_landscape_has_a_scale_and_colours_each_dot_by_its_own_cost(open_page):
    page = open_page(MORE)
    run_to(page, 300)
    map_drawn(page)
    svg = page.locator(".pg-landscape svg")
    label = svg.get_attribute("aria-label")
    lo, hi = re.search(r"from (\S+) to (\S+)\.$", label).groups()
    ticks = [t for t in svg.locator(".pg-axes text").all_text_contents()]
    assert lo in ticks and hi in ticks and "cost C (log scale)" in ticks
    assert page.locator(".pg-landscape rect[fill='url(#pg-viridis)']").count() == 1
    words = out(page, "map-words")
    assert "each coloured by its own cost" in words
    # the start's dot: coloured by the start's own cost (0.126712), not by the map beneath it
    start = page.locator(".pg-path-start")
    scale = [float(v) for v in svg.get_attribute("data-scale").split(",")]
    t = (math.log10(cost(START, X, Y)) - scale[0]) / (scale[1] - scale[0])
    t = round(min(max(t, 0), 1) * 31) / 31
    assert start.get_attribute("fill") == viridis(t)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_landscape_clips_no_axis_name_or_tick(open_page, device):
    page = open_page(PG + "?start=bump&h=2&more=1", **(DESKTOP if device == "desktop" else PHONE))
    for axes in (("w1:0", "w1:1"), ("b1:1", "b2")):
        combo(page, "Across").select_option(axes[0])
        combo(page, "up").select_option(axes[1])
        map_drawn(page)
        frame = page.locator(".pg-landscape svg").bounding_box()
        for t in page.locator(".pg-landscape svg text").all():
            b = t.bounding_box()
            assert (
                b["x"] >= frame["x"] - 0.5
                and b["x"] + b["width"] <= frame["x"] + frame["width"] + 0.5
            )
            assert (
                b["y"] >= frame["y"] - 0.5
                and b["y"] + b["height"] <= frame["y"] + frame["height"] + 0.5
            )


def test_cost_chart_has_real_axes_reference_lines_and_a_readout(open_page):
    page = open_page(MORE, **DESKTOP)
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
    assert refs == [
        "0.125000: predicting the mean",
        "0.083333: the lowest one hidden neuron can reach",
    ]
    slider = page.get_by_role("slider", name="Read the cost at an epoch")
    slider.focus()
    page.keyboard.press("Home")
    start = cost(small_random_start(STUCK_SEED), X, Y)
    assert out(page, "readout") == f"Epoch 0: C = {cost_text(start)}"
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


# ---- Predict, then run ----


def predict_group(page, key: str):
    title = next(c.title for c in challenges() if c.key == key)
    return page.get_by_role("group", name=f"Predict: {title}")


def diverges(lr: float, epochs: int) -> bool:
    try:
        return diverged_at(lr)[0] < epochs
    except AssertionError:
        return False


def expected_answers() -> dict[str, str]:
    """Each challenge's answer, worked out in Python from the lesson's code."""
    long = train(START, X, Y, LR, 2 * EPOCHS).costs
    first, second = long[0] - long[EPOCHS], long[EPOCHS] - long[2 * EPOCHS]
    z1, a1, y_hat = forward(START, X)
    g = backward(START, X, Y, z1, a1, y_hat).grads
    at = {k: abs(float(np.ravel(v)[len(X) - 1])) for k, v in zip(("w1", "b1", "w2", "b2"), g)}
    small = train(START, X, Y, SMALLER_LR, EPOCHS).costs[-1]
    big = runs.one_neuron().costs[-1]
    return {
        "past": "rise" if second < 0 else "slow" if second < first / 2 else "steep",
        "largest": max(at, key=at.get),
        "smaller": "same"
        if abs(small - big) <= 0.01 * big
        else "lower"
        if small < big
        else "higher",
        "larger": "grow" if diverges(LARGER_LR, EPOCHS) else "settle",
    }


def test_predict_challenges_are_groups_of_radio_buttons(open_page):
    page = open_page(PG)
    groups = page.get_by_role("group", name=re.compile("^Predict: "))
    assert 3 <= groups.count() <= 5 and groups.count() == len(challenges())
    for c in challenges():
        group = predict_group(page, c.key)
        assert group.get_by_role("radio").count() == len(c.choices)
        assert group.get_by_role("button", name="Run and compare").count() == 1
        assert group.get_by_role("status").count() == 1


@pytest.mark.parametrize("key", [c.key for c in challenges()])
def test_each_prediction_is_compared_with_what_the_run_did(open_page, key):
    page = open_page(PG)
    challenge = next(c for c in challenges() if c.key == key)
    answer = expected_answers()[key]
    group = predict_group(page, key)
    status_ = group.get_by_role("status")
    group.get_by_role("button", name="Run and compare").click()
    expect(status_).to_have_text("Choose an answer first, then run.")
    wrong = next(v for v, _ in challenge.choices if v != answer)
    group.locator(f"input[value='{wrong}']").check()
    group.get_by_role("button", name="Run and compare").click()
    label = dict(challenge.choices)[answer]
    expect(status_).to_have_text(
        re.compile(f"^✗ Not quite: it is “{re.escape(label)}”. "), timeout=30_000
    )
    group.locator(f"input[value='{answer}']").check()
    group.get_by_role("button", name="Run and compare").click()
    expect(status_).to_have_text(re.compile("^✓ Right: "), timeout=30_000)
    why = status_.text_content()
    if key == "past":
        long = train(START, X, Y, LR, 2 * EPOCHS).costs
        assert cost_text(long[0] - long[EPOCHS]) in why
        assert cost_text(long[EPOCHS] - long[2 * EPOCHS]) in why
        assert epoch(page) == 2 * EPOCHS  # the playground shows the run it compared
    if key == "largest":
        z1, a1, y_hat = forward(START, X)
        g = backward(START, X, Y, z1, a1, y_hat).grads
        assert f"∂L/∂b₂ = {value(g.dL_db2[-1])}" in why
        assert page.locator("#playground").get_attribute("data-phase") == "3"
    if key == "smaller":
        small = train(START, X, Y, SMALLER_LR, EPOCHS).costs[-1]
        assert cost_text(small) in why and state(page)["lr"] == SMALLER_LR
    if key == "larger":
        assert why.startswith("✓ Right: Training stopped at epoch")
        assert state(page)["lr"] == LARGER_LR


def test_a_prediction_by_keyboard(open_page):
    page = open_page(PG)
    group = predict_group(page, "largest")
    radios = group.get_by_role("radio")
    radios.first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the next choice, as radio groups move
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert radios.nth(3).is_checked()
    page.keyboard.press("Tab")
    expect(group.get_by_role("button", name="Run and compare")).to_be_focused()
    page.keyboard.press("Enter")
    expect(group.get_by_role("status")).to_have_text(re.compile("^✓ Right"), timeout=30_000)


# ---- People and devices ----


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
        transitions_done(page)  # Material's colours fade
        fg, bg = b.evaluate(COLOURS)
        assert contrast(fg, bg) >= 4.5, (name, fg, bg)
        b.focus()
        transitions_done(page)
        fg, bg = b.evaluate(COLOURS)
        assert contrast(fg, bg) >= 4.5, (name, fg, bg)


def test_dark_mode_charts_and_the_scale_follow_the_text_colour(open_page):
    light = open_page(MORE, color_scheme="light")
    dark = open_page(MORE, color_scheme="dark")
    colour = "getComputedStyle(document.querySelector('[data-chart=fit]')).color"
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert light.evaluate(colour) != dark.evaluate(colour)
    for page in (light, dark):
        map_drawn(page)  # its axes and scale
        transitions_done(page)
        stroke = page.evaluate("getComputedStyle(document.querySelector('.pg-axes path')).stroke")
        assert stroke == page.evaluate(colour)
        legend = page.evaluate(
            "[...document.querySelectorAll('.pg-landscape .pg-axes text')]"
            ".map((t) => getComputedStyle(t).fill)"
        )
        assert set(legend) == {page.evaluate(colour)}


def test_neuron_colours_stand_out_in_both_schemes(open_page):
    page = open_page(PG)
    palette = page.evaluate("async () => (await import('/assets/playground/chart.js')).PALETTE")
    for background in ("rgb(255, 255, 255)", "rgb(30, 33, 41)"):  # Material's light and slate
        for c in palette:
            rgb = f"rgb({int(c[1:3], 16)}, {int(c[3:5], 16)}, {int(c[5:7], 16)})"
            assert contrast(rgb, background) >= 3, (c, background)


# ---- Code a maintainer can read ----


def test_own_script_and_styles_stay_small():
    total = sum(f.stat().st_size for f in ASSETS.iterdir() if f.suffix in (".js", ".css"))
    assert total < 80 * 1024, total  # the playground's own JS and CSS, unminified
    scripts = "".join(f.read_text() for f in ASSETS.glob("*.js"))
    assert not re.search(r"^\s*import .* from ['\"](?!\.\.?/)", scripts, re.M)  # no framework
    assert "Math.exp" not in scripts  # e^x is portable.py's, not the browser's own


def test_lines_stay_within_100_characters():
    for f in [*ASSETS.iterdir(), ROOT / "docs" / "assets" / "questions.js"]:
        for k, line in enumerate(f.read_text().splitlines(), 1):
            assert len(line) <= 100, f"{f.name}:{k}"
