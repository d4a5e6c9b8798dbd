"""The authoring loop: edit code while `mkdocs serve` runs, and the page shows the new numbers."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT, copy_checkout, text_of

pytestmark = pytest.mark.site  # a full build under mkdocs serve

TIMEOUT = 120  # seconds to wait for a (re)build; one that trains the study takes ~30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, pattern: str, server: subprocess.Popen) -> None:
    """Poll ``url`` until its text matches ``pattern``; fail after TIMEOUT or if the server dies."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve exited"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if re.search(pattern, text_of(response.read().decode("utf-8"))):
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{pattern!r} did not appear at {url} within {TIMEOUT} s")


def test_serve_shows_edits_to_snippets_and_scripts(tmp_path):
    clone = copy_checkout(tmp_path / "clone")
    results = ROOT / ".cache" / "results"  # the same code: start from this checkout's results
    if results.exists():
        shutil.copytree(results, clone / ".cache" / "results")
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SITE_CACHE": str(clone / ".cache" / "results"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", url.removeprefix("http://")],
        cwd=clone,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        log = f"{url}/06-training/"
        wait_for(log, r"epoch +500 +cost 0\.0970", server)
        lesson = clone / "snippets" / "lesson.py"
        lesson.write_text(lesson.read_text().replace("LOG_EVERY = 500", "LOG_EVERY = 250"))
        # the snippet is re-imported and re-run (the results are the code's, so they change too)
        wait_for(log, r"epoch +250 +cost 0\.1\d{5}", server)
        script = clone / "scripts" / "nn_from_scratch.py"
        script.write_text(
            script.read_text().replace(
                "# # A neural network from scratch", "# # A network built from nothing"
            )
        )
        wait_for(f"{url}/nn_from_scratch/", "A network built from nothing", server)
    finally:
        server.terminate()
        server.wait(timeout=30)
