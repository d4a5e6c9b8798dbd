"""Shared fixtures: the site, built once per test run from this checkout, in a temporary folder.

Tests write only into temporary folders. The results cache the builds and the tests use is one
temporary folder per run (``SITE_CACHE``), started from a copy of this checkout's
``.cache/results`` if there is one, so a developer's warm cache makes the tests quick without
the tests ever writing into the checkout. With several test processes (pytest-xdist) the site
is built once, by whichever process gets there first, and shared.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from filelock import FileLock

from scripts.browser import LAUNCH_ARGS, chromium_executable, serve

ROOT = Path(__file__).resolve().parent.parent

# Tests that need the built site, a browser or a build of their own are marked ``site``;
# `nox -s quick` runs the others (`pytest -m "not site"`).
SITE_FIXTURES = {"site", "server", "browser", "open_page", "study", "followed"}
SHARED = "SITE_TESTS_SHARED"  # the run's shared folder: the site and its lock


def pytest_configure(config):
    """Once per run (in the first process): the run's results cache and shared folder."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(SHARED):
        return  # a worker: it inherits both from the process that started it
    shared = Path(tempfile.mkdtemp(prefix="lines-to-neurons-tests-"))
    results = ROOT / ".cache" / "results"
    if results.is_dir():
        shutil.copytree(results, shared / "cache" / "results")
    os.environ[SHARED] = str(shared)
    os.environ["SITE_CACHE"] = str(shared / "cache")
    config.add_cleanup(lambda: shutil.rmtree(shared, ignore_errors=True))
    config.stash[CHECKOUT] = checkout_files()


CHECKOUT = pytest.StashKey[set]()
LEFT_ALONE = {".git", ".nox", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}


def checkout_files() -> set[str]:
    """Every file of the checkout (tools' own folders aside)."""
    found = set()
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in LEFT_ALONE]
        found |= {os.path.relpath(os.path.join(folder, f), ROOT) for f in files}
    return found


def pytest_sessionfinish(session, exitstatus):
    """Tests write only into temporary folders: a file new in the checkout fails the run."""
    before = session.config.stash.get(CHECKOUT, None)
    if before is None:  # a worker process, or a run that did not start here
        return
    new = sorted(checkout_files() - before)
    if new:
        session.config.get_terminal_writer().line(
            f"tests wrote into the checkout: {new[:10]}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items):
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)


def mkdocs_build(
    config: Path, dest: Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` of ``config`` into ``dest``, with ``env`` added."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(dest)]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)


def build_site(dest: Path, env: dict[str, str] | None = None) -> Path:
    """Build the site into ``dest`` from an empty working directory, with ``env`` added.

    The working directory holds mkdocs-jupyter's cache, so the notebook is always run. The
    build's log is kept beside the site, in ``<dest>.log``.
    """
    work = dest.parent / f"{dest.name}-cwd"
    work.mkdir(exist_ok=True)
    result = mkdocs_build(ROOT / "mkdocs.yml", dest, work, env)
    assert result.returncode == 0, result.stderr[-4000:]
    dest.with_name(f"{dest.name}.log").write_text(result.stderr)
    return dest


def digest_script(*args: str | Path) -> subprocess.CompletedProcess:
    """``scripts/site_digest.py`` with these arguments, as CI runs it."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "site_digest.py"), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def differing_files(a: Path, b: Path) -> list[str]:
    """The files that are not byte for byte the same in the two trees (or only in one)."""
    differing: list[str] = []

    def walk(c: filecmp.dircmp, prefix: str = "") -> None:
        differing.extend(prefix + n for n in c.left_only + c.right_only)
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        differing.extend(prefix + n for n in mismatch + errors)
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b))
    return differing


def copy_checkout(dest: Path) -> Path:
    """The project's files, without git, environments, caches or built output."""
    ignore = shutil.ignore_patterns(".git", ".venv", ".nox", ".cache", "site", "__pycache__")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.fixture(scope="session")
def site() -> Path:
    """The site, built once per run (a file lock makes the other test processes wait)."""
    shared = Path(os.environ[SHARED])
    with FileLock(shared / "site.lock"):
        built = shared / "build" / "site"
        if not (built / "index.html").is_file():
            built.parent.mkdir(exist_ok=True)
            build_site(built)
    return built


@pytest.fixture(scope="session")
def study(site):
    """The study the site shows: computed by the build, read back from the shared cache."""
    from snippets.study.measured import results

    return results()


@pytest.fixture(scope="session")
def followed(site):
    """The stuck runs trained longer, as the site shows them."""
    from snippets.study.measured import stuck_longer

    return stuck_longer()


@pytest.fixture(scope="session")
def slow(site):
    """Plain gradient descent's runs that were neither stuck nor fit, trained longer."""
    from snippets.study.measured import slow_descent

    return slow_descent()


def glossary_entries(site: Path) -> set[str]:
    """The anchors of the built glossary's entries (one ``<h2>`` each)."""
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    return set(re.findall(r'<h2 id="([\w-]+)"', html))


# A section or page number written out by hand: pages take theirs from the nav.
SECTION_NUMBER = re.compile(r"\b(?:[Ss]ections?|[Pp]ages?)\s+\d{2}\b")

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Reader(HTMLParser):
    """What a screen reader gets from a page: its text, without ``aria-hidden`` parts.

    (KaTeX writes each formula twice, as MathML to be read and as HTML hidden from readers, so
    the hidden copy is skipped.) Also collects every ``<table>`` as rows of cell texts.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._open: list[bool] = []  # per open element: is it (or an ancestor) hidden?

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        hidden = (self._open and self._open[-1]) or dict(attrs).get("aria-hidden") == "true"
        self._open.append(bool(hidden))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self._open:
            self._open.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._open and self._open[-1]:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    reader.close()
    return reader


def text_of(html: str) -> str:
    """What a reader reads: the HTML's text, without what is hidden from screen readers."""
    return "".join(read(html).text)


def tables_of(html: str) -> list[list[list[str]]]:
    return read(html).tables


def table_with(html: str, *headers: str) -> list[list[str]]:
    """The one table on the page whose header row is exactly ``headers``; rows without it."""
    found = [t for t in tables_of(html) if t and tuple(t[0]) == headers]
    assert len(found) == 1, f"expected one table headed {headers}, found {len(found)}"
    return found[0][1:]


def number(text: str) -> float:
    """A number as the site prints it: −0.0594, +0.2273, **0.5**, 2.6 × 10⁻³⁰."""
    text = text.strip("* ").replace("\u2212", "-")
    if "×" in text:
        mantissa, power = text.split("× 10")
        exponent = power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        return float(mantissa) * 10 ** int(exponent)
    return float(text)


def last_digit(text: str) -> float:
    """The place value of the last digit shown: 0.0001 for 0.1267, 1e-5 for 1.99 × 10⁻³."""
    text = text.strip("* ")
    mantissa, _, power = text.partition("× 10")
    decimals = len(mantissa.strip().split(".")[1]) if "." in mantissa else 0
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")) or 0)
    return 10.0 ** (exponent - decimals)


def assert_shows(text: str, value: float) -> None:
    """``text`` is ``value`` correctly rounded to the digits it shows."""
    tolerance = 0.5 * last_digit(text) * (1 + 1e-9) + 1e-15
    assert abs(number(text) - float(value)) <= tolerance, f"page shows {text}, code gives {value}"


# ---- The browser: the built site served on loopback, watched for errors and remote requests ----


@pytest.fixture(scope="session")
def server(site):
    """The built site over HTTP on loopback (search and modules need HTTP, not file://)."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_executable(), args=LAUNCH_ARGS)
        yield b
        b.close()


class Watch:
    """What went wrong on a page: console errors, page errors, failed or remote requests."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.handlers: dict[object, dict] = {}  # per page watched

    def request(self, request) -> None:
        """Seen, not intercepted: routing requests would switch the HTTP cache off (Playwright
        docs), and the browser cannot reach another host anyway (``LAUNCH_ARGS``)."""
        if urlparse(request.url).hostname not in (None, "127.0.0.1"):
            self.problems.append(f"request to another host: {request.url}")

    def attach(self, page) -> None:
        self.handlers[page] = handlers = {
            "console": lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"),
            "pageerror": lambda e: self.problems.append(f"page error: {e}"),
            "requestfailed": lambda r: self.problems.append(f"failed: {r.url} {r.failure}"),
            "dialog": lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()),
        }
        for event, handler in handlers.items():
            page.on(event, handler)

    def detach(self, page) -> None:
        for event, handler in self.handlers.pop(page).items():
            page.remove_listener(event, handler)


class Tabs:
    """Browser contexts kept for the whole run, one per set of options (viewport, scheme, …),
    each with a tab kept between tests.

    A test's first page of a kind is that tab, sent to its page afresh: a new document, new
    script state, but the renderer, the HTTP cache and the compiled code are kept, as on a
    reader's second visit, so a page opens in a quarter of the time a new context takes. After
    the test the tab is emptied: the site's storage cleared, about:blank, the mouse at 0, 0.
    Requests go to the running test's ``Watch``. (The site sets no cookies.)
    """

    def __init__(self, browser, server: str) -> None:
        self.browser, self.server = browser, server
        self.contexts: dict[str, object] = {}
        self.kept: dict[str, object] = {}
        self.watch = Watch()

    @staticmethod
    def key(options: dict) -> str:
        return repr(sorted(options.items()))

    def tab(self, options: dict):
        key = self.key(options)
        if key not in self.contexts:
            self.contexts[key] = context = self.browser.new_context(base_url=self.server, **options)
            context.on("request", lambda request: self.watch.request(request))
        page = self.kept.pop(key, None)
        return page if page and not page.is_closed() else self.contexts[key].new_page()

    def give_back(self, page, options: dict) -> None:
        key = self.key(options)
        if page.is_closed():
            return
        if key in self.kept:
            page.close()
            return
        if page.url.startswith(self.server):
            page.evaluate("localStorage.clear()")  # e.g. Material's remembered colour scheme
        page.goto("about:blank")  # stops whatever the page was doing
        page.mouse.move(0, 0)
        self.kept[key] = page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


@pytest.fixture(scope="session")
def tabs(browser, server):
    kept = Tabs(browser, server)
    yield kept
    kept.close()


@pytest.fixture
def open_page(browser, server, tabs):
    """open_page(path, **context options) → a watched page; asserts a clean run at teardown."""
    watch = tabs.watch = Watch()
    own, pages = [], []

    def open_(path: str, clock: bool = False, **options):
        """``clock``: the page's timers and frames run on Playwright's clock (page.clock), in a
        context of its own."""
        if clock:
            context = browser.new_context(base_url=server, **options)
            context.clock.install()
            context.on("request", watch.request)
            own.append(context)
            page = context.new_page()
        else:
            page = tabs.tab(options)
            pages.append((page, options))
        watch.attach(page)
        page.goto(path)
        return page

    yield open_
    for page, options in pages:
        if not page.is_closed():
            watch.detach(page)
        tabs.give_back(page, options)
    for context in own:
        context.close()
    assert watch.problems == []
