"""snippets/book/cache.py: results computed once, kept, recomputed when what they read changes."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT
from snippets.book import cache, runs
from snippets.study.experiment import run_study


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SITE_CACHE", str(tmp_path))
    return tmp_path / "results"


def counted():
    """A cached function and the list of its calls."""
    calls: list[int] = []

    def answer() -> dict:
        calls.append(1)
        return {"answer": 42, "bits": np.array([0.1, 1 / 3])}

    answer.__module__ = "snippets.book.runs"  # as if it were one of the book's results
    answer.__qualname__ = "one_neuron"
    return cache.cached(answer), calls


def entries(folder: Path) -> list[Path]:
    """The results kept (not the index of keys beside them)."""
    return [p for p in folder.glob("*.json") if p.name != "keys.json"]


def same(a: dict, b: dict) -> bool:
    return a["answer"] == b["answer"] and np.array_equal(a["bits"], b["bits"])


def test_computed_once_then_read_back(folder):
    answer, calls = counted()
    first = answer()
    assert answer() is first
    assert len(calls) == 1
    [entry] = entries(folder)
    assert json.loads(entry.read_text())["name"] == "snippets.book.runs.one_neuron"
    answer.cache_clear()  # as a new process would start: nothing in memory
    assert same(answer(), first)
    assert len(calls) == 1  # read from the disk, not computed


def test_results_come_back_bit_for_bit(folder):
    run = runs.train_in_floats(runs.START, runs.X, runs.Y, runs.LR, 300)
    study = run_study(starts=3, epochs=50, widths=(1,), optimisers=("adam",), workers=1)
    for value in (run, study):
        back = cache.decode(json.loads(json.dumps(cache.encode(value))))
        assert type(back) is type(value)
    back = cache.decode(json.loads(json.dumps(cache.encode(run))))
    assert back.costs.tobytes() == run.costs.tobytes() and back.final.b2 == run.final.b2
    assert cache.decode(json.loads(json.dumps(cache.encode(study)))).to_json() == study.to_json()


def test_a_new_version_of_the_code_recomputes_and_replaces(folder, monkeypatch):
    answer, calls = counted()
    answer()
    [old] = entries(folder)
    monkeypatch.setattr(cache, "key_of", lambda f: "another version of the code".ljust(64, "0"))
    monkeypatch.setattr(cache, "fingerprint", lambda: "another version of the code")
    answer.cache_clear()
    answer()
    assert len(calls) == 2
    [new] = entries(folder)
    assert new != old  # the earlier version's result is gone


BROKEN = {
    "empty": lambda text: "",
    "truncated": lambda text: text[: len(text) // 2],
    "not json": lambda text: "\x00\xff garbage",
    "another key": lambda text: text.replace('"key": "', '"key": "0'),
    "another result": lambda text: text.replace("one_neuron", "two_neurons", 1),
    "bad array": lambda text: text.replace('"$array": "', '"$array": "!!'),
    "foreign type": lambda text: text.replace('"$dict"', '"$object": "os:system", "$x"'),
}


@pytest.mark.parametrize("damage", BROKEN, ids=list(BROKEN))
def test_a_damaged_entry_is_computed_again_and_said_at_info(folder, caplog, damage):
    answer, calls = counted()
    good = answer()
    [entry] = entries(folder)
    entry.write_text(BROKEN[damage](entry.read_text()), encoding="utf-8")
    answer.cache_clear()
    with caplog.at_level(logging.DEBUG, logger="snippets.book.cache"):
        again = answer()
    assert same(again, good) and len(calls) == 2
    said = [r for r in caplog.records if "unreadable" in r.getMessage()]
    assert said and all(r.levelno == logging.INFO for r in said)  # a WARNING would fail strict
    assert json.loads(entry.read_text())["result"]  # and it is written back whole


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    answer, calls = counted()
    answer()
    answer.cache_clear()
    answer()
    assert len(calls) == 2
    assert not list(tmp_path.rglob("*.json"))  # no results, no keys


def test_writers_sharing_a_folder_never_leave_a_torn_entry(folder):
    """Two builds writing the same result at once: a reader always finds a whole entry."""
    path, name = folder / "r-1.json", "r"
    big = np.arange(200_000, dtype=float)
    cache.store(path, name, "k", big)
    stop, torn = threading.Event(), []

    def write() -> None:
        while not stop.is_set():
            cache.store(path, name, "k", big)

    writers = [threading.Thread(target=write) for _ in range(2)]
    for w in writers:
        w.start()
    try:
        for _ in range(40):
            found, value = cache.load(path, name, "k")
            torn += [] if found and np.array_equal(value, big) else [1]
    finally:
        stop.set()
        for w in writers:
            w.join()
    assert torn == []
    assert [p.name for p in folder.iterdir()] == ["r-1.json"]  # no temporary file left behind


def test_keys_are_remembered_for_unchanged_code_only(folder, monkeypatch):
    answer, calls = counted()
    answer()
    worked = []
    monkeypatch.setattr(cache, "key_of", lambda f: worked.append(1) or "k" * 64)
    answer.cache_clear()
    answer()  # the same code: the key is read back, not worked out again
    assert worked == [] and len(calls) == 1
    monkeypatch.setattr(cache, "fingerprint", lambda: "edited")
    answer.cache_clear()
    answer()  # any edit: the key is worked out again (here to a new one: computed again)
    assert worked == [1] and len(calls) == 2


# ---- What each result reads: a copy of the code is edited, and every result's key compared ----

KEYS = """
import json, sys
from snippets.book import cache, figures, runs
from snippets.study import measured, views
print(json.dumps({n: cache.key_of(f) for n, f in sorted(cache.REGISTRY.items())}))
"""


def keys(code: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(
        [sys.executable, "-c", KEYS], cwd=code, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def before(tmp_path_factory) -> dict[str, str]:
    code = tmp_path_factory.mktemp("before")
    shutil.copytree(ROOT / "snippets", code / "snippets")
    return keys(code)


def edited(tmp_path: Path, path: str, old: str, new: str) -> dict[str, str]:
    code = tmp_path / "code"
    shutil.copytree(ROOT / "snippets", code / "snippets")
    file = code / path
    text = file.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    file.write_text(text.replace(old, new))
    return keys(code)


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The results whose keys differ, by name (a module's last part and the function)."""
    assert before.keys() == after.keys()
    return {".".join(name.split(".")[-2:]) for name in before if before[name] != after[name]}


FIGURES = {
    f"figures.{name}_figure"
    for name in ("intuition", "network", "sigmoid", "graph", "step", "training", "bump")
} | {"figures.comparison_figure", "figures.stuck_figure"}
TRAINED = {
    *(f"runs.{name}" for name in ("one_neuron", "one_neuron_long", "two_neurons", "stuck")),
    "runs.stuck_longer",
    "runs.stuck_nudged",
    "measured.results",
    "measured.stuck_longer",
    "measured.slow_descent",
}


def test_every_result_is_registered(before):
    names = {".".join(name.split(".")[-2:]) for name in before}
    assert names >= FIGURES | TRAINED | {"views.shares_figure"}


def test_the_log_level_changes_no_key():
    """A build sets its loggers' level (``mkdocs build -v`` another): the keys stay the same."""
    import logging

    from snippets.study import measured

    logger = logging.getLogger("snippets")
    level = logger.level
    try:
        logger.setLevel(logging.WARNING)
        quiet = cache.key_of(measured.stuck_longer)
        logger.setLevel(logging.DEBUG)
        assert cache.key_of(measured.stuck_longer) == quiet
    finally:
        logger.setLevel(level)


def test_a_comment_or_docstring_changes_no_result(before, tmp_path):
    after = edited(
        tmp_path, "snippets/book/figures.py", "from __future__ import annotations\n",
        "from __future__ import annotations\n\n# a comment\n",
    )  # fmt: skip
    assert changed(before, after) == set()
    after = edited(
        tmp_path / "2",
        "snippets/network.py",
        '"""Repeat forward → loss',
        '"""Repeat: forward → loss',
    )
    assert changed(before, after) == set()


def test_a_caption_redraws_that_figure_only(before, tmp_path):
    after = edited(
        tmp_path, "snippets/book/figures.py", "then ever more slowly towards", "then slowly towards"
    )
    assert changed(before, after) == {"figures.training_figure"}


def test_a_change_to_the_network_retrains_everything_that_trains(before, tmp_path):
    after = edited(
        tmp_path, "snippets/network.py",
        "return Params(*(w - lr * dw for w, dw", "return Params(*(w - dw * lr for w, dw",
    )  # fmt: skip
    again = changed(before, after)
    assert again >= TRAINED  # the runs in Python floats too: they read Params and Run
    assert again >= {"figures.training_figure", "figures.sigmoid_figure", "views.shares_figure"}


def test_a_change_to_the_study_keeps_the_lesson_runs(before, tmp_path):
    after = edited(tmp_path, "snippets/study/experiment.py", "SEED = 20250601", "SEED = 20250602")
    assert changed(before, after) == {
        "measured.results",
        "measured.stuck_longer",
        "measured.slow_descent",
        "views.shares_figure",
    }


def test_a_value_without_a_stable_form_is_refused():
    with pytest.raises(cache.Unkeyable, match="SOMETHING"):
        cache.text_of_value({"a": [1, object()]}, "SOMETHING", lambda code: None)


def test_a_file_in_use_is_written_after_a_retry_or_left(monkeypatch, tmp_path, caplog):
    """Windows refuses to replace a file another process has open: try again, then give up
    quietly (the result is only computed again later), leaving no temporary file behind."""
    real, refusals = cache.os.replace, [2]

    def busy(src, dst):
        if refusals[0]:
            refusals[0] -= 1
            raise PermissionError(13, "in use", str(dst))
        real(src, dst)

    monkeypatch.setattr(cache.os, "replace", busy)
    monkeypatch.setattr(cache.time, "sleep", lambda s: None)
    target = tmp_path / "entry.json"
    assert cache.write_atomically(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}" and refusals == [0]
    refusals[0] = 100
    with caplog.at_level("INFO", logger="snippets.book.cache"):
        assert not cache.write_atomically(target, '{"new": 1}')
    assert target.read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.json"]
    assert "could not write entry.json" in caplog.text
