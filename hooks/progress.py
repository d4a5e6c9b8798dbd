"""What the pages' code logs (``logging.getLogger("snippets…")``) appears in mkdocs' output.

The long computations say what they are doing, so a cold build is never a silent minute; and
since the records go through mkdocs' own logger, a warning from them fails a strict build.
"""

from __future__ import annotations

import logging


class ToMkdocs(logging.Handler):
    """Hands each record to mkdocs' logger: shown like mkdocs' own, counted by strict mode."""

    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger("mkdocs.snippets").handle(record)


def on_config(config):
    log = logging.getLogger("snippets")
    log.setLevel(logging.INFO)
    if not any(isinstance(h, ToMkdocs) for h in log.handlers):
        log.addHandler(ToMkdocs())
    return config
