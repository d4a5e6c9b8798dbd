"""Serving a built site on loopback and finding a Chromium: shared by tests and benchmarks."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

# As root in a container Chromium needs --no-sandbox; the rest keep it from calling home.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # no name resolves but loopback's: a request to another host fails here, never leaves
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

CHROMIUMS = (  # the names a system Chromium goes by, in the order they are looked for
    "chromium-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)


def chromium_executable() -> str | None:
    """The system Chromium if there is one; None means Playwright's own (playwright install).

    Its headless shell first, as Playwright itself does when headless: the same Blink, without
    the browser's windowing, so a page costs the machine about a third less.
    """
    for name in CHROMIUMS:
        if path := shutil.which(name):
            return path
    return None


class QuietHandler(SimpleHTTPRequestHandler):
    # Windows takes types from its registry, where .js can be text/plain, which browsers refuse
    # for modules: the site's own types, the same everywhere.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".json": "application/json",
    }

    def end_headers(self) -> None:
        # a built site does not change while it is served: a tab kept between tests reloads
        # from its HTTP cache, as a reader's second visit does
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """http://127.0.0.1:PORT serving ``directory`` until the block ends."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
