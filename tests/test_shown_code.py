"""The code a reader sees, runs: each page's Python, as shown, with the downloadable lesson."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))
LESSON = {p.stem for p in (ROOT / "snippets").glob("*.py")}


def shown_python(html: str) -> list[str]:
    """The Python code blocks a page shows, in order (not their printed output)."""
    blocks = re.findall(
        r'<div class="language-python highlight"><pre><span></span><code>(.*?)</code></pre>',
        html,
        re.S,
    )
    return [unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks]


def page_html(site: Path, name: str) -> str:
    path = site / "index.html" if name == "index" else site / name / "index.html"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reader(site, tmp_path_factory) -> Path:
    """A folder as a reader has it: the site's lesson zip, unzipped, and nothing else."""
    folder = tmp_path_factory.mktemp("reader")
    with zipfile.ZipFile(site / "downloads" / "lesson.zip") as z:
        z.extractall(folder)
    return folder / "from-lines-to-neurons"


@pytest.fixture(scope="module")
def shown(site) -> dict[str, list[str]]:
    return {name: shown_python(page_html(site, name)) for name in PAGES}


def test_the_pages_show_python(shown):
    assert sum(len(blocks) for blocks in shown.values()) >= 15
    assert shown["06-training"] and any("for epoch in range" in b for b in shown["06-training"])


@pytest.mark.parametrize("name", PAGES)
def test_no_shown_block_reaches_into_the_machinery(shown, name):
    for block in shown[name]:
        assert not re.search(r"\bsnippets\.(book|study)\b", block), block[:200]


def test_each_pages_shown_code_runs_in_a_fresh_python(shown, reader):
    """Each page's blocks, joined in order into one file beside the lesson's files, run in a
    Python that ignores every PYTHON… setting and the user's site-packages: as a reader runs it."""
    failed = {}
    for name, blocks in shown.items():
        if not blocks:
            continue  # a page of prose
        script = reader / f"page_{name.replace('-', '_')}.py"
        script.write_text("\n\n".join(blocks), encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-E", "-s", str(script)],
            cwd=reader, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        if result.returncode:
            failed[name] = result.stderr[-1500:]
    assert failed == {}


def defined(code: str) -> set[str]:
    """The functions and classes a piece of code defines."""
    tree = ast.parse(code)
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}


def called(code: str) -> set[str]:
    """The names a piece of code calls: f(…), and C.of(…) as C."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            f = node.func
            while isinstance(f, ast.Attribute):
                f = f.value
            if isinstance(f, ast.Name):
                names.add(f.id)
    return names


def lesson_names() -> set[str]:
    """Every function and class the lesson's own files define."""
    names = set()
    for path in (ROOT / "snippets").glob("*.py"):
        names |= defined(path.read_text(encoding="utf-8"))
    return names


def test_every_lesson_function_a_block_calls_is_shown_somewhere(shown):
    """No shown code calls into the lesson's code where the reader cannot read it."""
    everything = [b for blocks in shown.values() for b in blocks]
    shown_defs = set().union(*(defined(b) for b in everything))
    lesson = lesson_names()
    missing = set()
    for block in everything:
        missing |= (called(block) & lesson) - shown_defs
    assert missing == set()
