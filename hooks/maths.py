"""Maths written as ``$…$`` or ``$$…$$`` is typeset when the site is built, as a book sets it.

pymdownx.arithmatex (``generic: true``) wraps each formula in a span or a div; here MathJax,
running inside the build in an embedded JavaScript engine (quickjax), draws it as SVG: TeX's
fonts, spacing and alignment, no JavaScript in the page, no font to download, the same picture
in every browser, in the page's text colour in light and dark mode. Each glyph's outline is
written once per page and reused. The SVG is hidden from screen readers, which read the formula
as MathML instead (latex2mathml), present beside it and hidden from view.
"""

from __future__ import annotations

import html
import re
from functools import cache

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError

MATH = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])\s*</(?P=tag)>",
    re.S,
)
GLYPH = re.compile(r'<path id="MJX-\d+-([\w-]+)" d="([^"]*)"\s*/>')
USE = re.compile(r'xlink:href="#MJX-\d+-([\w-]+)"')
NOISE = re.compile(r'\s(?:data-[\w-]+|xmlns:xlink)="[^"]*"')  # MathJax's notes to itself


@cache
def mathjax():
    from quickjax import MathJaxRenderer  # 0.3 s to start: only when a page has maths

    return MathJaxRenderer()


@cache
def svg_of(tex: str, display: bool) -> tuple[str, tuple[tuple[str, str], ...]]:
    """MathJax's SVG of ``tex`` without its glyph outlines, and those outlines (name, path)."""
    from quickjax import MathJaxRenderError

    try:
        svg = mathjax().render(tex, display=display)
    except MathJaxRenderError as error:
        raise PluginError(f"MathJax cannot typeset {tex!r}: {error}") from error
    if "merror" in svg:  # MathJax draws a TeX error in red instead of failing
        raise PluginError(f"MathJax cannot typeset {tex!r} (a TeX error)")
    glyphs = tuple(GLYPH.findall(svg))
    svg = re.sub(r"<defs>.*?</defs>", "", svg, flags=re.S)
    svg = USE.sub(r'href="#mj-\1"', svg)
    svg = NOISE.sub("", svg)
    svg = svg.replace(' role="img" focusable="false"', ' aria-hidden="true" focusable="false"')
    return svg, glyphs


ALIGNED = re.compile(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", re.S)


def spoken(tex: str, display: bool) -> str:
    """The formula as MathML, for screen readers; an aligned derivation line by line.

    (latex2mathml knows neither ``aligned`` nor the prime ``'``: rows become formulas of their
    own and a prime becomes ``^{\\prime}``.)
    """
    tex = tex.replace("'", "^{\\prime}")
    inside = ALIGNED.search(tex)
    rows = inside[1].split("\\\\") if inside else [tex]
    kind = "block" if display else "inline"
    return "".join(latex_to_mathml(row.replace("&", "").strip(), display=kind) for row in rows)


def typeset(match: re.Match, glyphs: dict[str, str]) -> str:
    """One formula: MathJax's SVG for the eye, MathML for screen readers."""
    display = match["block"] is not None
    tex = html.unescape(match["block"] if display else match["inline"]).strip()
    svg, used = svg_of(tex, display)
    glyphs.update(used)
    spoken_text = f'<span class="math-spoken">{spoken(tex, display)}</span>'
    if display:  # a wrapper that can scroll sideways on a phone (site.js makes it focusable)
        return f'<div class="math-block">{svg}{spoken_text}</div>'
    return f'<span class="math-inline">{svg}{spoken_text}</span>'


def on_page_content(content, page, config, files):
    glyphs: dict[str, str] = {}
    content = MATH.sub(lambda m: typeset(m, glyphs), content)
    if not glyphs:
        return content
    paths = "".join(f'<path id="mj-{name}" d="{d}"/>' for name, d in glyphs.items())
    sprite = (
        f'<svg class="math-glyphs" aria-hidden="true" width="0" height="0"><defs>{paths}</defs>'
    )
    return f"{content}{sprite}</svg>"
