"""Every link in a page resolves, and every section number comes from the nav.

Two things mkdocs leaves undone, finished on each page's HTML:

- **Links printed by code.** mkdocs turns ``[text](04-backprop.md)`` in Markdown into a link to
  the built page, but a block that prints HTML (``html="1"``) ships ``href="04-backprop.md"``
  as it is, a 404 on the site. Here every ``href`` that still names a ``.md`` file is resolved
  against the page's own file (query and anchor kept); one that names no page stops the build,
  naming the page and the link (a warning: the strict build stops).
- **Section numbers.** Pages are numbered by their titles in ``mkdocs.yml``'s nav
  ("08 · Why one neuron fails"), the one place a number is written. In the text of a link to a
  numbered page, ``§`` stands for that number: ``section [§](08-capacity.md)`` shows the word
  and then the page's number from the nav, so moving a page renumbers every reference to it. A
  ``§`` in a link to a page without a number stops the build. (``tests/test_site.py`` fails on
  a section number written by hand.)
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
from urllib.parse import urlsplit

LINK = re.compile(
    r'<a\b(?P<before>[^>]*?)\bhref="(?P<href>[^"]*)"(?P<after>[^>]*)>(?P<text>.*?)</a>', re.S
)
log = logging.getLogger("mkdocs.hooks.links")
NUMBERED: dict[str, str] = {}  # a numbered page's file → its number, from the nav


def on_nav(nav, config, files):
    NUMBERED.clear()
    for page in nav.pages:
        if number := re.match(r"(\d{2})\s*·", page.title or ""):
            NUMBERED[page.file.src_uri] = number[1]
    return nav


def target(href: str, page, files):
    """The page a relative link points at, and the link as it must be written (or None)."""
    url = urlsplit(html.unescape(href))
    if url.scheme or url.netloc or not url.path:
        return None, href  # another site, or an anchor on this page
    if url.path.endswith(".md"):  # printed by code: resolve it as mkdocs resolves Markdown
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), url.path))
        found = files.get_file_from_path(src)
        if found is None:  # a warning: strict mode stops the build once all are listed
            log.warning(f"{page.file.src_uri}: the link {href!r} names no page")
            return None, href
        written = found.url_relative_to(page.file)
        written += (f"?{url.query}" if url.query else "") + (
            f"#{url.fragment}" if url.fragment else ""
        )
        return found, html.escape(written)
    here = page.file.url  # "07-playground/": links are relative to that folder
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    path = posixpath.normpath(posixpath.join(base, url.path)).strip("/")
    for f in files.documentation_pages():
        if f.url.strip("/") == ("" if path == "." else path):
            return f, href
    return None, href


def on_page_content(content, page, config, files):
    def fix(m: re.Match) -> str:
        found, href = target(m["href"], page, files)
        text = m["text"]
        if "§" in text:
            if found is None or found.src_uri not in NUMBERED:
                log.warning(f"{page.file.src_uri}: '§' in a link to {m['href']!r}: no number")
                return m[0]
            text = text.replace("§", NUMBERED[found.src_uri])
            return f'<a{m["before"]}href="{href}"{m["after"]} data-section>{text}</a>'
        return f'<a{m["before"]}href="{href}"{m["after"]}>{text}</a>'

    return LINK.sub(fix, content)
