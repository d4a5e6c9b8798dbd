"""The pages import ``snippets`` from this checkout, afresh at every build.

mkdocs runs the pages' code (markdown-exec) in its own process, where ``snippets`` is not
importable unless the checkout is on ``sys.path``. And ``mkdocs serve`` rebuilds in the same
process: the previous build's modules (and the results they keep in memory) are dropped, so an
edited snippet shows its new numbers without a restart.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def on_config(config):
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return config


def on_pre_build(config):
    for name in [m for m in sys.modules if m == "snippets" or m.startswith("snippets.")]:
        del sys.modules[name]
