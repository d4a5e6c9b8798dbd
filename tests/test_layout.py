"""The project's shape: the lesson apart from the machinery, supported APIs only, pages that print.

- The lesson (``snippets/*.py``) imports nothing else of the project; the book's machinery
  (``snippets/book``) never imports the study (``snippets/study``): dependencies run one way,
  lesson ← book ← study ← pages.
- Neither ``hooks/`` nor ``snippets/`` reaches into a library's private names.
- The pages' code blocks print what the code computed; they do no arithmetic of their own.
  (A block that shows its source to the reader is lesson code, and may do what lesson code
  does.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT, SECTION_NUMBER

SNIPPETS = ROOT / "snippets"
LESSON = sorted(SNIPPETS.glob("*.py"))
BOOK = sorted((SNIPPETS / "book").glob("*.py"))
STUDY = sorted((SNIPPETS / "study").glob("*.py"))
HOOKS = sorted((ROOT / "hooks").rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, as written."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def ids(paths: list[Path]) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in paths]


@pytest.mark.parametrize("path", LESSON, ids=ids(LESSON))
def test_the_lesson_imports_only_the_lesson(path):
    ours = {n for n in imported(path) if n.startswith("snippets")}
    lesson = {f"snippets.{p.stem}" for p in LESSON}
    assert {n for n in ours if n.rsplit(".", 1)[0] not in lesson and n not in lesson} == set()


@pytest.mark.parametrize("path", BOOK, ids=ids(BOOK))
def test_the_book_does_not_import_the_study(path):
    assert not [n for n in imported(path) if n.startswith("snippets.study")]


# The experiment (trainer, starts, statistics; "fits" and "stuck" come from the lesson) runs
# without the book: only the study's page-facing modules (measured, findings, views) use it.
EXPERIMENT = [SNIPPETS / "study" / f"{name}.py" for name in ("experiment", "trainer", "stats")]


@pytest.mark.parametrize("path", EXPERIMENT, ids=ids(EXPERIMENT))
def test_the_experiment_runs_without_the_book(path):
    assert not [n for n in imported(path) if n.startswith("snippets.book")]


@pytest.mark.parametrize("path", STUDY + BOOK + LESSON, ids=ids(STUDY + BOOK + LESSON))
def test_the_snippets_do_not_import_pages_hooks_or_tests(path):
    assert not [n for n in imported(path) if n.split(".")[0] in ("hooks", "tests", "conftest")]


# A named tuple's documented methods and attributes start with one underscore, to stay out of
# the way of its fields; they are public API.
NAMEDTUPLE_API = {"_fields", "_asdict", "_replace", "_make", "_field_defaults"}


def private(path: Path) -> list[str]:
    """Private names of other packages that ``path`` uses: ``lib._x`` or ``from lib._x``."""
    found = []
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(node.module)
            found += [a.name for a in node.names if a.name.startswith("_")]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in NAMEDTUPLE_API
        ):
            found.append(f"{node.value.id}.{node.attr}")
    return [name for name in found if not name.startswith(("snippets", "hooks", "self."))]


@pytest.mark.parametrize(
    "path", HOOKS + LESSON + BOOK + STUDY, ids=ids(HOOKS + LESSON + BOOK + STUDY)
)
def test_no_private_api(path):
    assert private(path) == []


def test_the_private_api_check_can_fail():
    code = "from markdown_exec._internal import x\nrunner._run_python = 1\nfrom a import _b\n"
    path = ROOT / ".pytest-private-check.py"
    try:
        path.write_text(code)
        assert private(path) == ["markdown_exec._internal", "_b", "runner._run_python"]
    finally:
        path.unlink()


EXEC_BLOCK = re.compile(
    r'^( *)```python exec="on"(?![^\n]*source=)[^\n]*\n(.*?)^\1```', re.S | re.M
)
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult)


def arithmetic(code: str) -> list[str]:
    """Arithmetic in a block: any + − × ÷ … except joining strings."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC):
            strings = [
                isinstance(side, ast.JoinedStr)
                or (isinstance(side, ast.Constant) and isinstance(side.value, str))
                for side in (node.left, node.right)
            ]
            if not (isinstance(node.op, ast.Add) and any(strings)):
                found.append(ast.unparse(node))
    return found


PAGES = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_pages_print_and_do_no_arithmetic(path):
    blocks = [
        "\n".join(line[len(indent) :] for line in code.splitlines())
        for indent, code in EXEC_BLOCK.findall(path.read_text())
    ]
    assert [a for code in blocks for a in arithmetic(code)] == []


def test_the_arithmetic_check_can_fail():
    found = arithmetic("d = 100 * (a - b) / a\ns = 'x' + f'{d}'")
    assert sorted(found) == ["100 * (a - b)", "100 * (a - b) / a", "a - b"]


WRITTEN = [
    ROOT / "README.md",
    *sorted(SNIPPETS.rglob("*.py")),
    *HOOKS,
    *sorted((ROOT / "scripts").glob("*.py")),
    *sorted((ROOT / "tests").rglob("*.py")),
    *sorted((ROOT / "docs" / "assets").rglob("*.js")),
]


@pytest.mark.parametrize("path", WRITTEN, ids=ids(WRITTEN))
def test_code_and_readme_name_files_not_section_numbers(path):
    """Pages move; their file names stay. (The pages' own references come from the nav.)"""
    text = path.read_text(encoding="utf-8")
    if path.name == "conftest.py":
        text = text.replace(SECTION_NUMBER.pattern, "")
    assert SECTION_NUMBER.findall(text) == []
