"""Two builds of one commit give the same bytes: the dates mkdocs writes are the commit's.

mkdocs dates the sitemap with ``SOURCE_DATE_EPOCH`` when it is set; this sets it to the
checked-out commit's time (0 outside a git checkout) unless the caller already has.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commit_time() -> str:
    """Seconds since the epoch of the checked-out commit; 0 outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        out = ""
    return out or "0"


def on_config(config):
    os.environ.setdefault("SOURCE_DATE_EPOCH", commit_time())
    return config
