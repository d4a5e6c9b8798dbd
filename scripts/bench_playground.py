"""Measure the playground in Chromium: training speed with every view drawing, and the landscape.

Usage: python scripts/bench_playground.py SITE_DIR   (a built site; `nox -s bench` builds one)

Prints, from one run: the display's frame rate (rAF callbacks with nothing else going on); epochs
per second and frames per second while training two hidden neurons at full speed with the
network, charts, table and loss landscape all on screen, and their ratios to the goals (20,000
epochs/s; one frame per display refresh); the time to compute one 100 × 100 landscape grid
(goal: 8 ms); the maths alone, for the headroom; and the size of the page's own JS and CSS
(goal: under 80 KB, unminified). "Every view" includes the loss landscape and its path (the
further controls are open) and each neuron's part in the fit chart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.browser import LAUNCH_ARGS, chromium_executable, serve

GOAL = 20_000  # epochs per second, from the issue
GRID_GOAL_MS = 8.0
BUDGET = 80 * 1024  # bytes, tests/test_playground.py::test_own_script_and_styles_stay_small
SECONDS = 3.0

COUNT_FRAMES = """(ms) => new Promise((done) => {
  let n = 0; const t0 = performance.now();
  const tick = (t) => {
    if (t - t0 < ms) { n++; requestAnimationFrame(tick); } else done(n / ((t - t0) / 1000));
  };
  requestAnimationFrame(tick);
})"""

SETUP = """const nn = await import('/assets/playground/nn.js');
const config = JSON.parse(document.getElementById('playground-config').textContent);
nn.useArithmetic(config.exp);"""

MATHS_ONLY = (
    "async (n) => {"
    + SETUP
    + """
  const opt = {name: 'gd', ...config.optimisers.gd};
  let p = config.starts.bump;
  const t0 = performance.now();
  for (let k = 0; k < n; k++) p = nn.epoch(p, config.x, config.y, opt, {}).params;
  return n / ((performance.now() - t0) / 1000);
}"""
)

GRID = (
    "async (repeats) => {"
    + SETUP
    + """
  const ls = await import('/assets/playground/landscape.js');
  const out = new Float64Array(ls.N * ls.N);
  const w = nn.flat(config.starts.bump);
  const grid = () => ls.lossGrid(w, 2, config.x, config.y, [0, 1], [[-2, 8], [-12, 2]], ls.N, out);
  grid();  // warm up
  const t0 = performance.now();
  for (let k = 0; k < repeats; k++) grid();
  return (performance.now() - t0) / repeats;
}"""
)


def main(site: Path) -> None:
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/07-playground/?start=bump&h=2&more=1")  # every view, the map too
        display = page.evaluate(COUNT_FRAMES, 1000)
        root = page.locator("#playground")
        page.get_by_role("combobox", name="Speed", exact=True).select_option(
            label="As fast as possible"
        )
        page.get_by_label("each neuron's part").check()
        page.wait_for_timeout(300)  # the landscape's first grid

        def read() -> tuple[int, int]:
            return int(root.get_attribute("data-epoch")), int(root.get_attribute("data-frames"))

        page.get_by_role("button", name="Train", exact=True).click()
        page.wait_for_timeout(500)  # past start-up
        (e0, f0), t0 = read(), page.evaluate("performance.now()")
        page.wait_for_timeout(SECONDS * 1000)
        (e1, f1), t1 = read(), page.evaluate("performance.now()")
        page.get_by_role("button", name="Pause", exact=True).click()
        maths = page.evaluate(MATHS_ONLY, 200_000)
        grid_ms = page.evaluate(GRID, 50)
        browser.close()
    elapsed = (t1 - t0) / 1000
    epochs, frames = (e1 - e0) / elapsed, (f1 - f0) / elapsed
    print(f"display refresh (idle): {display:.1f} frames/s")
    print(
        f"playground training, 2 neurons, all views: {epochs:,.0f} epochs/s "
        f"at {frames:.1f} frames/s"
    )
    print(
        f"playground speed vs goal: {epochs / GOAL:.2f}x of {GOAL:,} epochs/s; "
        f"frames {frames / display:.2f}x of the display rate"
    )
    print(f"playground maths alone: {maths:,.0f} epochs/s ({maths / epochs:.1f}x headroom)")
    print(
        f"loss landscape: one 100 x 100 grid in {grid_ms:.2f} ms "
        f"({GRID_GOAL_MS / grid_ms:.1f}x faster than the {GRID_GOAL_MS:g} ms goal; the page "
        "spreads it over frames, a few ms each)"
    )

    assets = Path(__file__).resolve().parent.parent / "docs" / "assets" / "playground"
    size = sum(f.stat().st_size for f in assets.iterdir())
    print(
        f"playground's own JS and CSS: {size / 1024:.1f} KB unminified "
        f"({size / BUDGET:.2f}x of the {BUDGET // 1024} KB budget)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
