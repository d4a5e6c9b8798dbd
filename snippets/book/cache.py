"""Results kept between builds, keyed by the code that computed them.

A function decorated with :func:`cached` computes its result once per process, and keeps it on
disk under ``.cache/results/`` (``SITE_CACHE`` names another folder, ``SITE_CACHE=off`` keeps
nothing on disk). The key is a hash of every Python file under ``snippets/`` and of the Python,
NumPy and Matplotlib versions, so any change to the code recomputes everything, and an
unchanged checkout rebuilds without training a network or importing Matplotlib. Each
computation is logged, so a cold build says what it is doing and a warm one shows that it
recomputed nothing.

>>> from snippets.book import runs
>>> runs.one_neuron() is runs.one_neuron()  # computed (or read from the disk) once
True
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)  # the build shows its messages (hooks/progress.py)

SNIPPETS = Path(__file__).resolve().parent.parent
LIBRARIES = ("numpy", "matplotlib")  # whose versions can change a result


def folder() -> Path | None:
    """Where results are kept, or None when ``SITE_CACHE=off``."""
    setting = os.environ.get("SITE_CACHE", "")
    if setting == "off":
        return None
    return Path(setting) if setting else SNIPPETS.parent / ".cache" / "results"


@functools.cache
def code_digest(root: Path = SNIPPETS) -> str:
    """One hash of every ``.py`` file under ``root`` and of the versions results depend on.

    (Cached per import: the build re-imports ``snippets`` each time, so an edit is seen.)
    """
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for package in LIBRARIES:
        h.update(f"{package}=={importlib.metadata.version(package)}".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


T = TypeVar("T")


def cached(function: Callable[[], T]) -> Callable[[], T]:
    """Compute ``function()`` once per process, and once per version of the code on disk."""
    name = f"{function.__module__}.{function.__qualname__}"
    memory: list[T] = []

    @functools.wraps(function)
    def wrapper() -> T:
        if memory:
            return memory[0]
        where = folder()
        path = None if where is None else where / f"{name}-{code_digest()[:32]}.pickle"
        if path is not None and path.exists():
            with path.open("rb") as f:
                memory.append(pickle.load(f))
            return memory[0]
        start = time.perf_counter()
        result = function()
        log.info(f"computed {name} in {time.perf_counter() - start:.1f} s")
        if path is not None:
            store(path, result)
        memory.append(result)
        return result

    wrapper.cache_clear = memory.clear  # type: ignore[attr-defined]
    return wrapper


def store(path: Path, result: object) -> None:
    """Write atomically, and remove what earlier versions of the code left for this function."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
        pickle.dump(result, f)
    os.replace(f.name, path)
    for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
