"""Measure the site's build, in one run: cold, warm, and the static floor; and each page's weight.

Usage: python scripts/bench_build.py   (from anywhere; `nox -s bench` runs it)

- cold: no caches at all (fresh results and notebook caches), everything computed;
- warm: the same build again, caches filled, as when an author rebuilds without changes;
- floor: the same pages with code execution switched off (mkdocs.noexec.yml), timed on its
  second build so that it too has its notebook-conversion cache: the fairest, lowest floor.
Each is timed as a whole `python -m mkdocs build` process, the way an author runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_LIMIT = 150 * 1024  # bytes of HTML per tutorial page


def build(config: str, site: Path, work: Path, cache: Path) -> float:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_CACHE": str(cache),
    }
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / config)]
    start = time.perf_counter()
    subprocess.run([*cmd, "-d", str(site)], cwd=work, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


PAGE_09 = """
from snippets.book import claims
from snippets.study import findings, views
views.shares_figure(), claims.floor_approach(), findings.counts_text(), findings.diagnosis_text()
findings.longer_text(), views.diagnosis_table(), views.results_tables(), views.replay_table()
"""


def page_09(cache: Path) -> float:
    """What the study page's computations cost from cold, in a fresh interpreter."""
    env = {**os.environ, "SITE_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", PAGE_09], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache, site = tmp / "caches", tmp / "site"
        cold = build("mkdocs.yml", site, tmp, cache)
        warm = build("mkdocs.yml", site, tmp, cache)
        build("mkdocs.noexec.yml", tmp / "floor", tmp, cache)
        floor = build("mkdocs.noexec.yml", tmp / "floor", tmp, cache)
        study = page_09(tmp / "study-only")
        sizes = sorted((p.stat().st_size, p.relative_to(site)) for p in site.rglob("index.html"))
    print(f"static floor (no code executed): {floor:.2f} s")
    print(
        f"cold build (no caches):          {cold:.2f} s = {cold / floor:.1f}x floor (goal <= 45 s)"
    )
    print(
        f"warm rebuild (caches filled):    {warm:.2f} s = {warm / floor:.2f}x floor (goal <= 1.5x)"
    )
    print(
        f"the study page's computations, cold: {study:.2f} s (the study and the 200,000-epoch run)"
    )
    print("page HTML sizes:")
    for size, path in sizes:
        flag = "" if size <= PAGE_LIMIT else f"  over {PAGE_LIMIT // 1024} KB"
        print(f"  {size / 1024:7.1f} KB  {path.parent.as_posix() or '.'}{flag}")


if __name__ == "__main__":
    main()
