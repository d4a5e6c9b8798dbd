"""Maths written as ``$…$`` or ``$$…$$`` is typeset to MathML when the site is built.

pymdownx.arithmatex (``generic: true``) wraps each formula in a span or div; this turns it into
MathML, which browsers render natively: no JavaScript, no request to a maths CDN.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert as latex_to_mathml

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
    return MATH.sub(typeset, content)
