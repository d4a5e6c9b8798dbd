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
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import (
    ROOT,
    build_site,
    copy_checkout,
    differing_files,
    digest_script,
    mkdocs_build,
)
from scripts.site_digest import digest
from snippets.book.cache import decode

OTHER_MATHS = ROOT / "tests" / "other_maths"
# full builds; one test process takes them all, so the cold build is made once
pytestmark = [pytest.mark.site, pytest.mark.xdist_group("elsewhere")]


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


@pytest.fixture(scope="session")  # not module: xdist may interleave other modules' tests
def elsewhere(tmp_path_factory) -> tuple[Path, Path]:
    """One cold build as another machine would make it: another CPU's code paths and a maths
    library that rounds differently, both at once. (Its tests are one xdist group: one process
    builds it, once.)"""
    return build_elsewhere(tmp_path_factory.mktemp("elsewhere"), {**other_cpu(), **other_maths()})


def study_in(cache: Path) -> str:
    [study] = (cache / "results").glob("snippets.study.measured.results-*.json")
    return decode(json.loads(study.read_text(encoding="utf-8"))["result"]).to_json()


def test_the_same_site_on_another_machine(site, study, elsewhere):
    # site first: this process waits while another builds it, then builds its own. Asked for
    # first, the two cold builds ran at once (four training processes on two cores): no core
    # idle, but no faster in clean-clone runs here
    other_site, cache = elsewhere
    assert differing_files(site, other_site) == []
    assert study_in(cache) == study.to_json()  # every count, and every bit of every float


def test_the_digests_ci_compares_agree(site, elsewhere, tmp_path):
    """The two builds through the digest script that CI runs on each machine, and its
    comparison, as CI's last job makes it."""
    digests = []
    for name, built in (("here.json", site), ("elsewhere.json", elsewhere[0])):
        result = digest_script("digest", built, "-o", tmp_path / name)
        assert result.returncode == 0, result.stderr
        digests.append(tmp_path / name)
    files = digest(site)
    assert "index.html" in files and "sitemap.xml" in files and len(files) > 50
    result = digest_script("compare", *digests)
    assert result.returncode == 0, result.stdout


def computed(log: str) -> list[str]:
    """What a build computed, by its log: one name per result."""
    return re.findall(r"computed (snippets\.\S+) in", log)


def test_a_cold_build_computes_each_result_once(elsewhere):
    site, _ = elsewhere
    names = computed(site.with_name("site.log").read_text(encoding="utf-8"))
    assert "snippets.study.measured.results" in names  # the study, and …
    assert {"snippets.book.runs.one_neuron", "snippets.book.figures.comparison_figure"} < set(names)
    assert len(names) == len(set(names))  # … each result once, however many pages quote it


def test_a_warm_build_computes_nothing(elsewhere, tmp_path):
    site, cache = elsewhere
    env = {**other_cpu(), **other_maths(), "SITE_CACHE": str(cache)}
    again = build_site(tmp_path / "site", env)
    assert computed(again.with_name("site.log").read_text(encoding="utf-8")) == []
    assert differing_files(site, again) == []


def test_an_edit_recomputes_only_what_reads_it(elsewhere, tmp_path):
    """In a copy of the checkout: a comment in figures.py recomputes nothing; a caption
    redraws its figure and nothing else (the results kept by the cold build above)."""
    _, cache = elsewhere
    copy = copy_checkout(tmp_path / "copy")
    shutil.copytree(cache, tmp_path / "cache")
    figures = copy / "snippets" / "book" / "figures.py"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text + "\n# a comment\n", encoding="utf-8")
    env = {"SITE_CACHE": str(tmp_path / "cache")}
    result = mkdocs_build(copy / "mkdocs.yml", tmp_path / "one", tmp_path, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert computed(result.stderr) == []
    caption = "training falls fast, then ever more slowly towards"
    assert text.count(caption) == 1
    figures.write_text(
        text.replace(caption, "training falls fast, then slowly towards"), encoding="utf-8"
    )
    result = mkdocs_build(copy / "mkdocs.yml", tmp_path / "two", tmp_path, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert computed(result.stderr) == ["snippets.book.figures.training_figure"]
