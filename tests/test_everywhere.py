"""One site on every machine: the same commit gives the same bytes whatever the CPU.

Another CPU cannot be borrowed in a test, but the two ways in which CPUs differ can be forced on
this one: (b) other code paths for the same operations (NumPy's SIMD kernels switched off,
OpenBLAS and the C library told to use an older CPU's routines) and (c) a maths library that
rounds transcendental functions differently (``tests/other_maths/sitecustomize.py``). A full
build under each, study included and computed afresh, must equal the normal build (a) byte for
byte.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_site, differing_files
from snippets.book.cache import decode

OTHER_MATHS = ROOT / "tests" / "other_maths"
pytestmark = pytest.mark.site  # full builds


def other_cpu() -> dict[str, str]:
    """Environment variables that make this CPU run NumPy, OpenBLAS and glibc like an older one."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    simd = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    env = {"NPY_DISABLE_CPU_FEATURES": " ".join(simd)}
    if platform.machine() in ("x86_64", "AMD64"):
        env |= {"OPENBLAS_CORETYPE": "Prescott", "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA"}
    else:
        env |= {"OPENBLAS_CORETYPE": "ARMV8"}
    return env


def other_maths() -> dict[str, str]:
    """Environment variables that load the maths library that rounds differently."""
    return {"PYTHONPATH": os.pathsep.join([str(OTHER_MATHS), os.environ.get("PYTHONPATH", "")])}


def python(code: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


PROBE = """
import hashlib, math, numpy as np
from numpy._core._multiarray_umath import __cpu_features__ as f
x = np.linspace(-20.0, 0.0, 100001)
print(sorted(k for k, v in f.items() if v))
print(hashlib.sha256(np.exp(x).tobytes()).hexdigest(), [math.exp(v) for v in x[:100]])
"""


def test_the_other_machines_really_are_other():
    """The settings take effect: NumPy loses features, the other maths rounds differently."""
    normal = python(PROBE, {}).splitlines()
    cpu = python(PROBE, other_cpu()).splitlines()
    maths = python(PROBE, other_maths()).splitlines()
    disabled = other_cpu()["NPY_DISABLE_CPU_FEATURES"].split()
    for feature in disabled:
        assert feature in normal[0] and f"'{feature}'" not in cpu[0]
    assert maths[1].split()[0] != normal[1].split()[0]  # np.exp's results differ
    assert maths[1].split()[1:] != normal[1].split()[1:]  # and math.exp's


def build_elsewhere(folder: Path, env: dict[str, str]) -> tuple[Path, Path]:
    """A complete cold build (study included) under ``env``: the site and its results cache."""
    cache = folder / "cache"
    return build_site(folder / "site", {**env, "SITE_CACHE": str(cache)}), cache


@pytest.fixture(scope="module")
def on_other_cpu(tmp_path_factory) -> tuple[Path, Path]:
    return build_elsewhere(tmp_path_factory.mktemp("other-cpu"), other_cpu())


@pytest.fixture(scope="module")
def with_other_maths(tmp_path_factory) -> tuple[Path, Path]:
    return build_elsewhere(tmp_path_factory.mktemp("other-maths"), other_maths())


def study_in(cache: Path) -> str:
    [study] = (cache / "results").glob("snippets.study.measured.results-*.json")
    return decode(json.loads(study.read_text())["result"]).to_json()


@pytest.mark.parametrize("other", ["on_other_cpu", "with_other_maths"])
def test_the_same_site_on_another_machine(site, study, other, request):
    other_site, cache = request.getfixturevalue(other)
    assert differing_files(site, other_site) == []
    assert study_in(cache) == study.to_json()  # every count, and every bit of every float


def computed(log: str) -> list[str]:
    """What a build computed, by its log: one name per result."""
    return re.findall(r"computed (snippets\.\S+) in", log)


def test_a_cold_build_computes_each_result_once(with_other_maths):
    site, _ = with_other_maths
    names = computed(site.with_name("site.log").read_text())
    assert "snippets.study.measured.results" in names  # the study, and …
    assert {"snippets.book.runs.one_neuron", "snippets.book.figures.comparison_figure"} < set(names)
    assert len(names) == len(set(names))  # … each result once, however many pages quote it


def test_a_warm_build_computes_nothing(with_other_maths, tmp_path):
    site, cache = with_other_maths
    again = build_site(tmp_path / "site", {**other_maths(), "SITE_CACHE": str(cache)})
    assert computed(again.with_name("site.log").read_text()) == []
    assert differing_files(site, again) == []
