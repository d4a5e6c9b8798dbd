"""Every task by name. `nox` alone runs what a contributor needs before pushing.

Each session's environment is installed from ``uv.lock`` (every package, with hashes) by uv.
The block below makes nox bring uv itself: where uv is missing, nox first creates
``.nox/_nox_script_mode`` with nox and uv and runs this file from there.
"""

# /// script
# dependencies = ["nox>=2025.10", "uv==0.13.9"]
# ///

from __future__ import annotations

import os
import sys
from pathlib import Path

import nox

sys.path.insert(0, str(Path(__file__).parent))  # nox does not put the project on the path
from scripts.browser import chromium_executable

nox.options.default_venv_backend = "uv"
nox.options.reuse_venv = "yes"
nox.options.download_python = "never"
nox.options.sessions = ["lint", "tests"]
nox.options.error_on_missing_interpreters = True

QUIET_MATERIAL = {"NO_MKDOCS_2_WARNING": "1"}  # the theme's end-of-life banner, every build


def install(session: nox.Session, *groups: str) -> None:
    """Exactly the locked versions of these dependency groups (and nothing else) in the session."""
    session.run_install(
        "uv",
        "sync",
        "--locked",  # fails if uv.lock no longer matches pyproject.toml: run `nox -s lock`
        "--compile-bytecode",  # every build and test process starts faster, even where
        # PYTHONDONTWRITEBYTECODE is set (a second or more per process)
        "--no-default-groups",
        *(arg for group in groups for arg in ("--group", group)),
        "--quiet",
        env={"UV_PROJECT_ENVIRONMENT": session.virtualenv.location},
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff, and oxlint and oxfmt for docs/assets: lint and formatting."""
    install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("oxlint", "--deny-warnings", "docs/assets")
    session.run("oxfmt", "--check", "docs/assets")


@nox.session
def lock(session: nox.Session) -> None:
    """Update uv.lock after a change to pyproject.toml (every package, with hashes)."""
    session.run_install("uv", "lock", *session.posargs)


def ensure_chromium(session: nox.Session) -> None:
    """Browser tests use the system Chromium if there is one, else Playwright's own download."""
    if chromium_executable() is None:
        if os.environ.get("CI"):
            session.error(
                "CI needs Chromium on PATH (Debian: chromium-headless-shell; .ci/run installs it)"
            )
        session.run("playwright", "install", "chromium")


@nox.session
def quick(session: nox.Session) -> None:
    """The contributor's minute: lint, doctests, maths against references, unit tests; no build."""
    install(session, "test", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("oxlint", "--deny-warnings", "docs/assets")
    session.run("oxfmt", "--check", "docs/assets")
    session.run("pytest", "-m", "not site", "-n", "auto", *session.posargs, env=QUIET_MATERIAL)


@nox.session
def tests(session: nox.Session) -> None:
    """Doctests, maths against references, the script, the built site, the browser."""
    install(session, "test", "lint")  # lint: the workflow linter the tests run
    ensure_chromium(session)
    # as many processes as there are cores; a module's shared builds stay in one (loadgroup)
    args = ["-n", "auto", "--dist", "loadgroup", *session.posargs]
    session.run("pytest", *args, env=QUIET_MATERIAL)


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
    # hooks/dates.py pins SOURCE_DATE_EPOCH to the commit: two builds give the same bytes
    session.run("python", "-m", "mkdocs", "build", "--strict", *session.posargs, env=QUIET_MATERIAL)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000, rebuilding when pages or code change."""
    install(session, "docs")
    session.run("python", "-m", "mkdocs", "serve", *session.posargs, env=QUIET_MATERIAL)


@nox.session(venv_backend="none")
def katex(session: nox.Session) -> None:
    """Replace vendor/katex by a KaTeX release from npm: `nox -s katex -- 0.19.1` (needs npm)."""
    if not session.posargs:
        session.error("say which KaTeX release: nox -s katex -- 0.19.1")
    session.run(sys.executable, "scripts/vendor_katex.py", *session.posargs)


@nox.session(venv_backend="none")
def digest(session: nox.Session) -> None:
    """A SHA-256 per file of a built site, or a comparison of such digests (as CI compares them).

    `nox -s digest -- site -o digest.json`; `nox -s digest -- --compare a.json b.json ...`.
    """
    args = session.posargs or ["site"]
    if args[0] == "--compare":
        session.run(sys.executable, "scripts/site_digest.py", "compare", *args[1:])
    else:
        session.run(sys.executable, "scripts/site_digest.py", "digest", *args)
