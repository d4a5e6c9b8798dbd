"""The readers' script, ``scripts/nn_from_scratch.py``, becomes the notebook page.

- The script is added to the site's files as a page (no copy under ``docs/``); mkdocs-jupyter
  executes it and converts it with nbconvert.
- nbconvert reads its settings from ``hooks/jupyter/`` (through ``JUPYTER_CONFIG_PATH``, its
  documented configuration path): figures as inline SVG, and :class:`TidyNotebook` among its
  preprocessors. Its templates are looked up in the Jupyter data path first (``JUPYTER_PATH``),
  where ``hooks/jupyter/nbconvert/templates`` replaces the MathJax and Mermaid loaders, which
  would name a CDN in the page, by nothing: the notebook has neither maths nor diagrams.
- mkdocs-jupyter keeps the executed notebook between builds, keyed by the script and its own
  options only; its ``cache_dir`` is set here to a folder named by a hash of this hook, of
  ``hooks/jupyter/`` and of the versions that shape the page, so that editing any of them runs
  the notebook again by itself (``SITE_CACHE`` moves it, ``SITE_CACHE=off`` turns it off).
- mkdocs-jupyter's template inlines about 0.5 MB of JupyterLab CSS into the page and has no
  option to link it instead; it is moved to one cacheable file (the page's ``<style>`` elements
  are taken out in ``on_page_content`` and the file is written in ``on_post_build``).
  ``tests/test_site.py`` checks the assumption: one notebook stylesheet, no inline styles left.
"""

from __future__ import annotations

import hashlib
import html
import importlib.metadata
import os
import posixpath
import re
import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "nn_from_scratch.py"
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter"
STYLE = re.compile(r'<style type="text/css">(.*?)</style>\s*', re.S)

# Whose versions change what the notebook page shows.
PACKAGES = (
    "mkdocs-jupyter",
    "nbconvert",
    "nbclient",
    "ipykernel",
    "jupytext",
    "numpy",
    "matplotlib",
)

_css: dict[str, str] = {}  # the notebook's stylesheet, from on_page_content to on_post_build


def how_it_is_made() -> str:
    """A hash of what turns the script into the page, besides the script itself."""
    h = hashlib.sha256()
    for path in sorted([Path(__file__), *JUPYTER_CONFIG.rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    for package in PACKAGES:
        h.update(f"{package}=={importlib.metadata.version(package)}".encode())
    h.update(sys.version.encode())
    return h.hexdigest()[:24]


def on_config(config):
    for variable in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH"):
        paths = [str(JUPYTER_CONFIG), *filter(None, [os.environ.get(variable)])]
        os.environ[variable] = os.pathsep.join(dict.fromkeys(paths))
    jupyter = config.plugins["mkdocs-jupyter"].config
    where = os.environ.get("SITE_CACHE", "")
    if where == "off":
        jupyter["cache"] = False
    else:
        base = (Path(where) if where else ROOT / ".cache") / "notebook"
        # run and not run (mkdocs.noexec.yml) apart: mkdocs-jupyter deletes what a build
        # did not use from its folder
        ran, made = "run" if jupyter["execute"] else "shown", how_it_is_made()
        jupyter["cache_dir"] = str(base / f"{made}-{ran}")
        for old in base.glob("*"):  # what earlier versions of the hook left
            if not old.name.startswith(made):
                shutil.rmtree(old, ignore_errors=True)
    return config


@event_priority(50)  # before mkdocs-jupyter claims its files
def on_files(files, config):
    files.append(
        File(
            SCRIPT.name,
            src_dir=str(SCRIPT.parent),
            dest_dir=config["site_dir"],
            use_directory_urls=config["use_directory_urls"],
        )
    )
    return files


def on_page_content(content, page, config, files):
    if page.file.abs_src_path != str(SCRIPT):
        return content
    for loader in ("mathjax", "mermaid"):  # the overridden templates are no longer used
        if loader in content.lower():
            raise PluginError(
                f"nbconvert's page has a {loader} loader again: check that the templates in "
                "hooks/jupyter/nbconvert/templates still have the names nbconvert imports"
            )
    css = "\n".join(s.strip() for s in STYLE.findall(content))
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _css.clear()
    _css[name] = css
    href = posixpath.relpath(name, posixpath.dirname(page.file.dest_uri))
    return f'<link rel="stylesheet" href="{href}">\n{STYLE.sub("", content)}'


def on_post_build(config):
    for name, css in _css.items():
        path = Path(config["site_dir"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8", newline="\n")  # the same bytes on Windows


class TidyNotebook(Preprocessor):
    """Numbered cell ids and figures that describe themselves (runs after execution).

    jupytext gives each cell a random id, so the page would differ on every build; here cell
    ``k`` is ``cell-k``. Each SVG figure gets ``role="img"`` and, as its accessible name, the
    text of the Markdown cell before it (the notebook's own words about the figure); its fixed
    size goes, so it scales with the column; and its black and white become the page's text
    colour and no background, so that it reads in dark mode too.
    """

    def preprocess(self, nb, resources):
        words = ""
        for k, cell in enumerate(nb.cells, start=1):
            cell.id = f"cell-{k}"
            if cell.cell_type == "markdown":
                words = plain_text(cell.source)
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/svg+xml" in data:
                    data["image/svg+xml"] = accessible(data["image/svg+xml"], words)
        return nb, resources


def plain_text(markdown: str) -> str:
    """Markdown as a sentence: headings end with a full stop, marks dropped."""
    lines = [re.sub(r"^#+\s*(.*)$", r"\1.", line.strip()) for line in markdown.splitlines()]
    return " ".join(re.sub(r"[`*_]", "", " ".join(lines)).split())


def accessible(svg: str, label: str) -> str:
    """Matplotlib's SVG as an inline image named ``label``, without metadata or fixed size."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    svg = svg.replace("#000000", "currentColor").replace("fill: #ffffff", "fill: none")
    return f'<svg role="img" aria-label="{html.escape(label)}"{svg[4:]}'
