"""Maths written as ``$…$`` or ``$$…$$`` is typeset when the site is built, as a book sets it.

pymdownx.arithmatex (``generic: true``) wraps each formula in a span or a div; here KaTeX,
running inside the build in an embedded JavaScript engine (quickjs-ng), turns it into HTML set
in KaTeX's fonts, and into MathML from the same parse for screen readers. The page carries no
script for it: only KaTeX's stylesheet and fonts, which the site serves itself. KaTeX is the
released package pinned in ``vendor/katex/`` (``scripts/vendor_katex.py`` updates it).

A formula KaTeX cannot read (``$\\sigam$``) stops the build with the page and the formula named.
Typeset formulas are kept between builds (``.cache/maths/``, or under ``SITE_CACHE``; nothing
with ``SITE_CACHE=off``), keyed by KaTeX's own bytes and its options, so an unchanged formula is
never typeset twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import os
import re
from functools import cache
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
KATEX = ROOT / "vendor" / "katex"
MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>",
    re.S,
)
# The TeX source KaTeX repeats inside its MathML: not read aloud, only weight on the page.
ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">.*?</annotation>', re.S)
# strict "error": what KaTeX would only warn about (unknown symbols, text in maths) fails too.
OPTIONS = {"output": "htmlAndMathml", "throwOnError": True, "strict": "error", "trust": False}
STYLESHEET = "assets/katex/katex.min.css"  # where the site serves KaTeX's CSS (mkdocs.yml)

log = logging.getLogger("mkdocs.hooks.maths")


class KaTeX:
    """KaTeX's ``renderToString`` in a JavaScript engine, started once per build process."""

    def __init__(self) -> None:
        import quickjs  # the module quickjs-ng installs; 0.1 s with KaTeX: only when needed

        self.context = quickjs.Context()
        self.context.eval((KATEX / "katex.min.js").read_text(encoding="utf-8"))
        # quickjs-ng may hand back a rope string its Python wrapper cannot read: normalize()
        self.context.eval(
            "globalThis.typeset = (tex, display, options) => katex.renderToString("
            "tex, Object.assign({displayMode: display}, JSON.parse(options))).normalize();"
        )
        self.render = self.context.get("typeset")
        self.version = self.context.eval("katex.version")

    def __call__(self, tex: str, display: bool) -> str:
        return ANNOTATION.sub("", self.render(tex, display, json.dumps(OPTIONS)))


@cache
def katex() -> KaTeX:
    return KaTeX()


class Typeset:
    """Formulas already typeset, by (display, TeX); read from and written back to the disk."""

    def __init__(self) -> None:
        self.key = hashlib.sha256(
            (KATEX / "katex.min.js").read_bytes() + json.dumps(OPTIONS).encode()
        ).hexdigest()[:32]
        where = os.environ.get("SITE_CACHE", "")
        base = None if where == "off" else Path(where) if where else ROOT / ".cache"
        self.path = None if base is None else base / "maths" / f"katex-{self.key}.json"
        self.known: dict[str, str] = {}
        self.added = 0
        if self.path is not None and self.path.exists():
            try:
                self.known = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(self.known, dict):
                    raise ValueError("not a table of formulas")
            except (OSError, ValueError) as error:  # a damaged file is not an error: redo it
                log.info(f"typeset maths: {self.path.name} unreadable ({error}), typesetting anew")
                self.known = {}

    def __call__(self, tex: str, display: bool, where: str) -> str:
        key = f"{'D' if display else 'I'}{tex}"
        if key not in self.known:
            try:
                self.known[key] = katex()(tex, display)
            except Exception as error:  # quickjs raises KaTeX's ParseError as JSException
                message = str(error).splitlines()[0]
                raise PluginError(f"{where}: KaTeX cannot typeset {tex!r}: {message}") from None
            self.added += 1
        return self.known[key]

    def save(self) -> None:
        """Write what is known, atomically (two builds sharing the folder cannot tear it)."""
        if self.path is None or not self.added:
            return
        from snippets.book.cache import write_atomically  # importable once on_config ran

        write_atomically(self.path, json.dumps(self.known, ensure_ascii=False, sort_keys=True))
        for old in self.path.parent.glob("katex-*.json"):  # other KaTeX versions' formulas
            if old != self.path:
                with contextlib.suppress(PermissionError):  # open elsewhere (Windows)
                    old.unlink(missing_ok=True)


TYPESET: list[Typeset] = []


def on_pre_build(config):
    TYPESET[:] = [Typeset()]


def on_files(files, config):
    """KaTeX's stylesheet and fonts, served by the site itself."""
    for path in sorted(KATEX.rglob("*")):
        relative = path.relative_to(KATEX).as_posix()
        if relative == "katex.min.css" or relative.startswith("fonts/"):
            uri = f"{STYLESHEET.rsplit('/', 1)[0]}/{relative}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_page_content(content, page, config, files):
    typeset = TYPESET[0]

    def formula(match: re.Match) -> str:
        display = match["block"] is not None
        tex = html.unescape(match["block"] if display else match["inline"]).strip()
        out = typeset(tex, display, page.file.src_uri)
        if display:  # a box that can scroll sideways on a phone (site.js makes it focusable)
            return f'<div class="math-block">{out}</div>'
        return out

    return MATH.sub(formula, content)


def on_post_build(config):
    TYPESET[0].save()
