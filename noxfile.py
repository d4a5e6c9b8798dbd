"""Every task by name. `nox` alone runs what a contributor needs before pushing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent))  # nox does not put the project on the path
from scripts.browser import chromium_executable

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.download_python = "never"
nox.options.sessions = ["lint", "tests", "docs"]
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
QUIET_MATERIAL = {"NO_MKDOCS_2_WARNING": "1"}  # the theme's end-of-life banner, every build


def install(session: nox.Session, *groups: str) -> None:
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


def ensure_chromium(session: nox.Session) -> None:
    """Browser tests use the system Chromium if there is one, else Playwright's own download."""
    if chromium_executable() is None:
        if os.environ.get("CI"):
            session.error(
                "CI needs Chromium on PATH (Debian package chromium; .ci/run installs it)"
            )
        session.run("playwright", "install", "chromium")


@nox.session
def tests(session: nox.Session) -> None:
    """Doctests, maths against references, the script, the built site (twice), the browser."""
    install(session, "test")
    ensure_chromium(session)
    session.run("pytest", *session.posargs, env=QUIET_MATERIAL)


@nox.session
def doctest(session: nox.Session) -> None:
    """The snippets' doctests alone, in seconds: the quick check while writing the lesson."""
    install(session, "test")
    session.run("pytest", "--doctest-modules", "snippets", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Measure, each in one run: build times and page weights, batch training, the playground."""
    install(session, "test")
    ensure_chromium(session)
    session.run("python", "scripts/bench_build.py")
    session.run("python", "scripts/bench_batch.py")
    site = Path(session.create_tmp()) / "bench-site"
    session.run("python", "-m", "mkdocs", "build", "--quiet", "-d", str(site), env=QUIET_MATERIAL)
    session.run("python", "scripts/bench_playground.py", str(site))


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into site/ (strict: any warning or failing code block is an error)."""
    install(session, "docs")
    # hooks/build.py pins SOURCE_DATE_EPOCH to the commit: two builds give the same bytes
    session.run("python", "-m", "mkdocs", "build", "--strict", *session.posargs, env=QUIET_MATERIAL)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000, rebuilding when pages or code change."""
    install(session, "docs")
    session.run("python", "-m", "mkdocs", "serve", *session.posargs, env=QUIET_MATERIAL)
