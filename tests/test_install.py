"""Installing: every package locked with hashes, and a wheel for each on every promised platform.

These ask the package index (the lock's versions, not the newest); everything else runs offline.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from conftest import ROOT

# The oldest and newest CPython the README promises, and the platforms it promises them on.
PYTHONS = ("3.11.5", "3.14")
PLATFORMS = (
    "x86_64-manylinux_2_28",  # Linux on Intel and AMD
    "aarch64-manylinux_2_28",  # Linux on ARM
    "aarch64-apple-darwin",  # macOS on Apple silicon
    "x86_64-pc-windows-msvc",  # Windows
)
GROUPS = ("docs", "test", "lint")


def uv(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    exe = shutil.which("uv")
    assert exe, "uv is in the test group of pyproject.toml"
    return subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)


def test_the_lock_matches_pyproject():
    result = uv("lock", "--check", "--offline")
    assert result.returncode == 0, result.stderr


def test_the_lock_check_fails_when_pyproject_changes(tmp_path):
    shutil.copy(ROOT / "uv.lock", tmp_path)
    pyproject = (ROOT / "pyproject.toml").read_text()
    changed = pyproject.replace('lint = ["ruff==', 'lint = ["pyyaml", "ruff==')
    assert changed != pyproject
    (tmp_path / "pyproject.toml").write_text(changed)
    result = uv("lock", "--check", "--offline", cwd=tmp_path)
    assert result.returncode != 0


def test_every_package_is_locked_with_hashes():
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    packages = [p for p in lock["package"] if p["name"] != "from-lines-to-neurons"]
    assert len(packages) > 50
    for p in packages:
        files = [*p.get("wheels", []), *([p["sdist"]] if "sdist" in p else [])]
        assert files and all(f["hash"].startswith("sha256:") for f in files), p["name"]


def test_the_supported_pythons_are_stated_truthfully():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={PYTHONS[0]}"
    readme = (ROOT / "README.md").read_text()
    assert f"Python {PYTHONS[0]} to {PYTHONS[-1]}" in readme


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> str:
    """Every group's locked requirements, as pip would read them."""
    path = tmp_path_factory.mktemp("export") / "requirements.txt"
    groups = [arg for group in GROUPS for arg in ("--group", group)]
    result = uv(
        "export", "--frozen", "--no-default-groups", *groups, "--no-hashes",
        "--no-emit-project", "--quiet", "-o", str(path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return str(path)


def wheels_only(requirements: str, python: str, platform: str) -> subprocess.CompletedProcess:
    """Resolve ``requirements`` from wheels alone for another Python and platform.

    uv's cache first (the index's file lists of these versions only ever grow), the index if
    the cache cannot answer.
    """
    args = (
        "pip", "compile", requirements, "--no-deps", "--only-binary", ":all:",
        "--python-version", python, "--python-platform", platform, "--quiet",
    )  # fmt: skip
    result = uv(*args, "--offline")
    return result if result.returncode == 0 else uv(*args)


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("python", PYTHONS)
def test_wheels_for_every_locked_package(exported, python, platform):
    """The exact locked versions install from wheels alone: no C compiler anywhere."""
    result = wheels_only(exported, python, platform)
    assert result.returncode == 0, f"{python}, {platform}: {result.stderr}"


def test_the_wheel_check_can_fail(tmp_path):
    """A package with no wheel for a platform, only its source, is caught (here offline: an
    index holding just quickjs 1.19.4's source, as the index has it for CPython 3.14)."""
    index = tmp_path / "index"
    index.mkdir()
    (index / "quickjs-1.19.4.tar.gz").write_bytes(b"")
    requirements = tmp_path / "old.txt"
    requirements.write_text("quickjs==1.19.4\n")
    result = uv(
        "pip", "compile", str(requirements), "--only-binary", ":all:", "--no-index",
        "--find-links", str(index), "--python-version", "3.14", "--python-platform", PLATFORMS[0],
        "--quiet", "--offline",
    )  # fmt: skip
    assert result.returncode != 0
    assert re.search(r"no usable wheels|Wheels are required", result.stderr), result.stderr


GROUPED = """
import os, pytest
pytestmark = pytest.mark.xdist_group("one")
@pytest.mark.parametrize("k", range(6))
def test_where(k):
    with open(f"ran-{k}", "w") as f:
        f.write(os.environ["PYTEST_XDIST_WORKER"])
"""


def test_the_locked_pytest_keeps_a_group_in_one_process(tmp_path):
    """The tests' shared builds rely on ``--dist loadgroup`` (the other machine's cold build is
    made once, by the one process that runs its group). pytest 9.2 with pytest-xdist 3.8 lost
    the groups silently (xdist issue 1386): three processes made that build, three times."""
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-n", "3", "--dist", "loadgroup", "-q"]
    alone = ["-p", "no:cacheprovider", "-c", os.devnull, "--rootdir", str(tmp_path)]
    result = subprocess.run(
        [*command, *alone],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    workers = {(tmp_path / f"ran-{k}").read_text() for k in range(6)}
    assert len(workers) == 1, workers
