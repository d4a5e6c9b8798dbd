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

from conftest import copy_checkout, text_of

pytestmark = pytest.mark.site  # a full build under mkdocs serve

TIMEOUT = 120  # seconds to wait for a (re)build; from the run's caches, a warm one takes ~5


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


def test_serve_shows_edits_to_snippets_and_scripts(site, tmp_path):
    clone = copy_checkout(tmp_path / "clone")
    # the same code: start from the caches the run's build of this checkout (``site``) filled
    # (not the files another build is writing at this moment: ".name.tmp")
    shutil.copytree(os.environ["SITE_CACHE"], clone / ".cache", ignore=shutil.ignore_patterns(".*"))
    url = f"http://127.0.0.1:{free_port()}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_CACHE": str(clone / ".cache")}
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
        # an edit to the book's code: the module is re-imported, the page shows the new text
        # (a lesson file, snippets/*.py, would do the same, but keys every result that trains:
        # the rebuild would retrain the study)
        views = clone / "snippets" / "book" / "views.py"
        text = views.read_text(encoding="utf-8")
        assert text.count('f"{y_hat} ({name})"') == 1
        views.write_text(text.replace('f"{y_hat} ({name})"', 'f"{y_hat} ({name}, edited)"'))
        wait_for(log, r"\(trained, edited\)", server)
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
