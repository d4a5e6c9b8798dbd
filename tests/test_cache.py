"""snippets/book/cache.py: results computed once, kept on disk, recomputed when the code changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippets.book import cache


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SITE_CACHE", str(tmp_path))
    return tmp_path


def counted():
    """A cached function and the list of its calls."""
    calls: list[int] = []

    def answer() -> dict:
        calls.append(1)
        return {"answer": 42}

    return cache.cached(answer), calls


def test_computed_once_then_read_back(folder):
    answer, calls = counted()
    assert answer() == {"answer": 42} and answer() is answer()
    assert len(calls) == 1
    assert len(list(folder.glob("*.pickle"))) == 1
    answer.cache_clear()  # as a new process would start: nothing in memory
    assert answer() == {"answer": 42}
    assert len(calls) == 1  # read from the disk, not computed


def test_a_new_version_of_the_code_recomputes_and_replaces(folder, monkeypatch):
    answer, calls = counted()
    answer()
    [old] = folder.glob("*.pickle")
    monkeypatch.setattr(cache, "code_digest", lambda: "another version of the code")
    answer.cache_clear()
    answer()
    assert len(calls) == 2
    [new] = folder.glob("*.pickle")
    assert new != old  # the earlier version's result is gone


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    answer, calls = counted()
    answer()
    answer.cache_clear()
    answer()
    assert len(calls) == 2
    assert not list(tmp_path.rglob("*.pickle"))


def test_the_key_follows_every_python_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    digest = cache.code_digest.__wrapped__  # the uncached function
    key = digest(tmp_path)
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    assert digest(tmp_path) != key
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    assert digest(tmp_path) == key
    (tmp_path / "notes.txt").write_text("not code")
    assert digest(tmp_path) == key
