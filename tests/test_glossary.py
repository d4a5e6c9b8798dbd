"""Every technical term the pages use is in the glossary and linked where a page first uses it."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, glossary_entries

sys.path.insert(0, str(ROOT / "hooks"))
import glossary as hook

TERMS = hook.TERMS  # the maintained list: each glossary entry and the words that name it
LESSONS = sorted(p.stem for p in (ROOT / "docs").glob("[0-9][0-9]-*.md"))


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Prose(HTMLParser):
    """A page's running text, piece by piece, with the link each piece sits in (if any).

    What is not prose (code, maths, headings, figures, controls, what is hidden) is what the
    hook leaves alone (``hook.skipped``).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, str | None]] = []
        self._open: list[tuple[str, bool, str | None]] = []  # tag, skipped, link href

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        written = " ".join(f'{k}="{v}"' if v is not None else k for k, v in attrs)
        skipped = tag != "a" and hook.skipped(tag, " " + written)
        self._open.append((tag, skipped, a.get("href") if tag == "a" else None))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for k in range(len(self._open) - 1, -1, -1):  # close up to the matching tag
            if self._open[k][0] == tag:
                del self._open[k:]
                break

    def handle_data(self, data):
        if any(skipped for _, skipped, _ in self._open):
            return
        links = [href for tag, _, href in self._open if tag == "a"]
        self.pieces.append((data, links[-1] if links else None))


def article(site: Path, name: str) -> str:
    html = (site / name / "index.html").read_text(encoding="utf-8")
    return re.search(r"<article.*?</article>", html, re.S)[0]


def first_uses(html: str) -> dict[str, tuple[str, str | None]]:
    """Each term's first use in the prose: the words, and the link they sit in."""
    parser = Prose()
    parser.feed(html)
    text, owners, start = "", [], 0
    for piece, href in parser.pieces:
        owners.append((start, start + len(piece), href))
        text += piece
        start += len(piece)
    taken = [False] * len(text)
    found: dict[str, tuple[str, str | None]] = {}
    for anchor, pattern in sorted(TERMS.items(), key=lambda kv: -len(kv[1])):
        for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", text, re.I):
            if any(taken[m.start() : m.end()]):
                continue  # part of a longer term ("gradient" in "gradient descent")
            for k in range(m.start(), m.end()):
                taken[k] = True
            href = next(h for s, e, h in owners if s <= m.start() < e)
            if anchor not in found or m.start() < found[anchor][2]:
                found[anchor] = (m[0], href, m.start())
    return {a: (words, href) for a, (words, href, _) in found.items()}


def test_every_listed_term_is_in_the_glossary(site):
    # every entry listed here, every term listed has an entry
    assert set(TERMS) == glossary_entries(site)


@pytest.mark.parametrize("name", LESSONS)
def test_each_term_is_linked_where_the_page_first_uses_it(site, name):
    unlinked = {
        anchor: words
        for anchor, (words, href) in first_uses(article(site, name)).items()
        if not (href and re.search(rf"glossary/#{anchor}$", href))
    }
    assert unlinked == {}


def test_the_linking_takes_the_longer_term_and_leaves_code_alone():
    html = (
        "<p>Gradient descent moves each weight against its gradient; the weight moves.</p>"
        "<pre><code>cost = 1</code></pre><h2>The cost</h2><p>The cost falls.</p>"
    )
    linked = hook.link_first_uses(html, "../glossary/")
    assert linked.count('href="../glossary/#gradient-descent"') == 1
    assert linked.count('href="../glossary/#gradient"') == 1  # "its gradient", not inside the other
    assert linked.count('href="../glossary/#weight"') == 1  # the first use only
    assert "<code>cost = 1</code>" in linked and "<h2>The cost</h2>" in linked
    assert '<p>The <a class="term" href="../glossary/#cost">cost</a> falls.</p>' in linked
