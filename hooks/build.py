"""MkDocs hooks: the glue between the site and the code it runs.

- ``snippets`` is importable from exec blocks whichever way mkdocs is started, and is imported
  afresh at every build, so ``mkdocs serve`` shows new numbers after an edit.
- ``scripts/nn_from_scratch.py`` becomes the notebook page, without a copy under ``docs/``.
- Math written as ``$…$`` is typeset to MathML at build time: no JavaScript, no CDN.
- The notebook page is made deterministic and self-contained.
- Executed blocks are cached on disk, keyed by their code and by every byte under ``snippets/``
  and ``scripts/``: a rebuild with nothing changed runs no training and imports no matplotlib.
  ``SITE_EXEC_CACHE=off`` turns the cache off; any other value is the folder to use.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.metadata
import logging
import os
import posixpath
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "scripts" / "nn_from_scratch.py"
PACKAGES = ("snippets",)  # imported by the pages; reloaded at every build
CODE = ("snippets", "scripts")  # what exec blocks depend on besides their own text
RESULTS_DEPEND_ON = ("numpy", "matplotlib", "markdown-exec")


class ToMkdocs(logging.Handler):
    """Hands the snippets' log records to mkdocs' logger: shown like its own, counted by strict."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("mkdocs.snippets").handle(record)


def on_config(config):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # The long computations (the study) say how far along they are.
    snippets_log = logging.getLogger("snippets")
    snippets_log.setLevel(logging.INFO)
    if not any(isinstance(h, ToMkdocs) for h in snippets_log.handlers):
        snippets_log.addHandler(ToMkdocs())
    # Pin the dates mkdocs writes (sitemap) to the commit, so two builds give the same bytes.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        os.environ["SOURCE_DATE_EPOCH"] = commit_time()
    # The notebook's kernel inherits this: its figure goes to a scratch file, not the checkout.
    os.environ.setdefault(
        "NN_FROM_SCRATCH_FIGURE", str(Path(tempfile.gettempdir()) / "nn_from_scratch.png")
    )
    return config


def commit_time() -> str:
    """Seconds since the epoch of the checked-out commit; 0 outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        out = ""
    return out or "0"


def on_pre_build(config):
    # markdown-exec runs in this process: drop the previous build's modules and their
    # cached runs, so an edited snippet is re-imported and re-run.
    for name in [m for m in sys.modules if m.split(".")[0] in PACKAGES]:
        del sys.modules[name]
    cache = os.environ.get("SITE_EXEC_CACHE", str(ROOT / ".cache" / "exec"))
    install_exec_cache(None if cache == "off" else Path(cache))


def code_digest() -> str:
    """One hash of everything an exec block can import, and of the libraries' versions."""
    h = hashlib.sha256()
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for package in RESULTS_DEPEND_ON:
        h.update(f"{package}=={importlib.metadata.version(package)}".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def install_exec_cache(folder: Path | None) -> None:
    """Wrap markdown-exec's Python runner with a disk cache (a private function, pinned version)."""
    from markdown_exec._internal.formatters import python as runner

    original = getattr(runner, "_run_python_uncached", None) or getattr(runner, "_run_python", None)
    if original is None:
        raise PluginError("markdown-exec changed: hooks/build.py can no longer cache exec blocks")
    runner._run_python_uncached = original
    if folder is None:
        runner._run_python = original
        return
    digest = code_digest()

    def cached(code: str, returncode=None, session=None, id=None, **extra):
        if session:  # a session carries state from block to block: never cache
            return original(code, returncode, session, id, **extra)
        key = hashlib.sha256(f"{digest}\0{code}\0{sorted(extra.items())}".encode()).hexdigest()
        path = folder / f"{key}.out"
        if path.exists():
            return path.read_text(encoding="utf-8")
        output = original(code, returncode, session, id, **extra)  # raises: nothing is cached
        folder.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".tmp").write_text(output, encoding="utf-8")
        path.with_suffix(".tmp").replace(path)
        return output

    runner._run_python = cached


@event_priority(50)  # before mkdocs-jupyter claims its files
def on_files(files, config):
    files.append(
        File(
            NOTEBOOK.name,
            src_dir=str(NOTEBOOK.parent),
            dest_dir=config["site_dir"],
            use_directory_urls=config["use_directory_urls"],
        )
    )
    return files


MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>",
    re.S,
)


def typeset(match: re.Match) -> str:
    """One arithmatex placeholder → MathML."""
    display = "inline" if match["inline"] is not None else "block"
    tex = match["inline"] if display == "inline" else match["block"]
    mathml = latex_to_mathml(html.unescape(tex).strip(), display=display)
    # a wrapper that can scroll sideways on a phone (site.js makes it focusable if it does)
    return f'<div class="math-block">{mathml}</div>' if display == "block" else mathml


def on_page_content(content, page, config, files):
    content = MATH.sub(typeset, content)
    if page.file.abs_src_path == str(NOTEBOOK):
        content = notebook_content(content)
        content = external_styles(content, page, Path(config["site_dir"]))
    return content


def external_styles(content: str, page, site_dir: Path) -> str:
    """Move the notebook's ~0.5 MB of inline JupyterLab CSS into one cacheable file."""
    styles = re.findall(r'<style type="text/css">(.*?)</style>', content, re.S)
    css = "\n".join(s.strip() for s in styles)
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    (site_dir / name).parent.mkdir(parents=True, exist_ok=True)
    (site_dir / name).write_text(css, encoding="utf-8")
    href = posixpath.relpath(name, posixpath.dirname(page.file.dest_uri))
    content = re.sub(r'<style type="text/css">.*?</style>\s*', "", content, flags=re.S)
    return f'<link rel="stylesheet" href="{href}">\n{content}'


def notebook_content(content: str) -> str:
    """Make the rendered notebook stable across builds and free of remote requests."""
    # jupytext gives each cell a random id: number them in order instead.
    ids: dict[str, str] = {}
    content = re.sub(
        r'id="cell-id=([\w-]+)"',
        lambda m: f'id="cell-id={ids.setdefault(m[1], f"cell-{len(ids) + 1}")}"',
        content,
    )
    # nbconvert always adds a MathJax loader (with an empty src) and a mermaid loader that
    # imports from a CDN. The notebook has neither math nor diagrams: drop both.
    start, end = "<!-- Load mathjax -->", "<!-- End of mermaid configuration -->"
    if start not in content or end not in content:
        raise PluginError("nbconvert's template changed: check the notebook page for CDN loaders")
    content = content[: content.index(start)] + content[content.index(end) + len(end) :]
    return SVG_IMAGE.sub(lambda m: inline_svg(m, content), content)


SVG_IMAGE = re.compile(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)"\s*/?>')


def inline_svg(match: re.Match, content: str) -> str:
    """A notebook figure as inline SVG (text stays text), named by the Markdown cell before it.

    nbconvert writes SVG outputs as base64 images described as "No description has been
    provided for this image"; the notebook's own words about the figure are better.
    """
    svg = base64.b64decode(match[1]).decode("utf-8")
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg[svg.index("<svg") :], flags=re.S)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    before = content[: match.start()]
    if "jp-MarkdownCell" not in before:
        raise PluginError("a notebook figure needs a Markdown cell before it to describe it")
    cell = before[before.rindex("jp-MarkdownCell") :]
    if "jp-CodeCell" in cell:  # up to the tag that opens the next (code) cell
        cell = cell[: cell.rindex("<", 0, cell.index("jp-CodeCell"))]
    cell = re.sub(r"</h\d>", ". ", cell.split(">", 1)[1])  # the heading ends a sentence
    label = " ".join(html.unescape(re.sub(r"<[^>]+>|¶", " ", cell)).split())
    return f'<svg role="img" aria-label="{html.escape(label)}"{svg[4:]}'
