"""Files a reader can download, made by the build: the lesson's code, and every run of the study.

- ``downloads/lesson.zip``: the lesson's modules (``snippets/*.py``, the code the pages show),
  ``scripts/study_start.py`` and a README: with NumPy, every code block a page shows runs from
  this folder. The zip is the same bytes on every build: entries in a fixed order, stored
  uncompressed, dated 1980-01-01.
- ``downloads/study-runs.csv``: each of the study's runs (10-measured.md): its setting, run
  index, the seed its start was drawn from, its class and its final cost, exactly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
README = """From Lines to Neurons: the lesson's code
=======================================

Python 3.11 or newer, and NumPy (python -m pip install numpy).

From this folder:

    python training_loop.py          the training loop, printing its cost
    python study_start.py            any start of the study, drawn again
    python -c "from snippets.lesson import START; print(START)"

Every code block the site's pages show runs from here, in a fresh Python, in the order
the page shows them. snippets/portable.py computes e^x, ln and normal draws with
+ - * / only, so these files print the same numbers on every computer.
"""


def lesson_zip() -> bytes:
    """The lesson's files as a zip whose bytes depend only on their contents."""
    files = {f"snippets/{p.name}": p for p in sorted((ROOT / "snippets").glob("*.py"))}
    for script in ("training_loop.py", "study_start.py"):  # 06-training.md and 10-measured.md
        files[script] = ROOT / "scripts" / script
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        entries = [
            ("README.txt", README.encode()),
            *((n, p.read_bytes()) for n, p in files.items()),
        ]
        for name, content in entries:
            info = zipfile.ZipInfo(f"from-lines-to-neurons/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, content)
    return buffer.getvalue()


def study_csv(runs: bool = True) -> bytes:
    """Every run of the study; with ``runs=False`` (a build that runs no code) the header alone."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["initialisation", "width", "optimiser", "run", "seed", "class", "final cost"])
    if not runs:
        return out.getvalue().encode()
    from snippets.study.experiment import seed
    from snippets.study.measured import results

    names = {"f": "fits", "s": "stuck", "o": "other"}
    for s in results().settings:
        for run, (outcome, cost) in enumerate(zip(s.outcomes, s.final_costs, strict=True)):
            where = " ".join(map(str, seed(s.init, s.width, run)))
            writer.writerow([s.init, s.width, s.optimiser, run, where, names[outcome], repr(cost)])
    return out.getvalue().encode()


def on_files(files, config):
    files.append(File.generated(config, "downloads/lesson.zip", content=lesson_zip()))
    # a build that runs no code (mkdocs.noexec.yml, a preview) has no study: its table is empty
    runs = "markdown-exec" in config.plugins
    files.append(File.generated(config, "downloads/study-runs.csv", content=study_csv(runs)))
    return files
