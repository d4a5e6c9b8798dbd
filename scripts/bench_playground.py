"""Measure the playground in Chromium: epochs trained per second while the view redraws.

Usage: python scripts/bench_playground.py SITE_DIR   (a built site; `nox -s bench` builds one)

Prints, from one run: the display's frame rate (rAF callbacks with nothing else going on), then
epochs per second and frames per second while training, and the ratio to the 1000 epochs/s goal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.browser import LAUNCH_ARGS, chromium_executable, serve

GOAL = 1000  # epochs per second, from the issue
SECONDS = 3.0

COUNT_FRAMES = """(ms) => new Promise((done) => {
  let n = 0; const t0 = performance.now();
  const tick = (t) => {
    if (t - t0 < ms) { n++; requestAnimationFrame(tick); } else done(n / ((t - t0) / 1000));
  };
  requestAnimationFrame(tick);
})"""

MATHS_ONLY = """async (n) => {
  const nn = await import('/assets/playground/nn.js');
  const t0 = performance.now();
  nn.train({w1: [0.5], b1: [-0.1], w2: [0.3], b2: 0.2}, [1, 2, 3, 4], [0, 1, 1, 0], 0.5, n);
  return n / ((performance.now() - t0) / 1000);
}"""


def main(site: Path) -> None:
    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=LAUNCH_ARGS)
        page = browser.new_page()
        page.goto(f"{url}/07-playground/")
        display = page.evaluate(COUNT_FRAMES, 1000)
        root = page.locator("#playground")

        def read() -> tuple[int, int]:
            return int(root.get_attribute("data-epoch")), int(root.get_attribute("data-frames"))

        page.get_by_role("button", name="Train").click()
        page.wait_for_timeout(500)  # past start-up
        (e0, f0), t0 = read(), page.evaluate("performance.now()")
        page.wait_for_timeout(SECONDS * 1000)
        (e1, f1), t1 = read(), page.evaluate("performance.now()")
        page.get_by_role("button", name="Pause").click()
        maths = page.evaluate(MATHS_ONLY, 200_000)
        browser.close()
    elapsed = (t1 - t0) / 1000
    epochs, frames = (e1 - e0) / elapsed, (f1 - f0) / elapsed
    print(f"display refresh (idle): {display:.1f} frames/s")
    print(f"playground training: {epochs:.0f} epochs/s while redrawing at {frames:.1f} frames/s")
    print(
        f"playground speed vs goal: {epochs / GOAL:.2f}x of {GOAL} epochs/s; "
        f"frames {frames / display:.2f}x of the display rate"
    )
    print(f"playground maths alone: {maths:.0f} epochs/s ({maths / epochs:.0f}x headroom)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
