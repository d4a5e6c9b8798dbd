"""The same site on every machine, checked where the machines are: the digests CI compares.

``scripts/site_digest.py`` writes a SHA-256 per file of a built site and compares such digests;
``.github/workflows/ci.yml`` builds on Linux, macOS and Windows with the oldest and newest
supported Python and fails if any two sites differ. Here: the script on small folders, and the
workflow against what it is meant to do, through actionlint as well; on two real builds (this
machine's and another machine's): in test_everywhere.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, digest_script
from scripts.site_digest import differences, digest, dumps

WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def make_site(folder: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


SMALL = {
    "index.html": b"<p>one</p>\n",
    "assets/app.js": b"let x = 1;\r\n",  # line ends are part of the bytes compared
    "02-gradients/index.html": "η σ ŷ".encode(),
    "empty.txt": b"",
    "glossary/é.html": b"<p>a name that is not ASCII</p>",
    "nested/deeper/still/fig.svg": b"<svg/>",
}


# ---- The digest of a folder ----


def test_the_digest_lists_every_file_with_its_sha256(tmp_path):
    site = make_site(tmp_path / "site", SMALL)
    found = digest(site)
    assert found == {name: hashlib.sha256(data).hexdigest() for name, data in SMALL.items()}
    assert list(found) == sorted(found)  # posix paths relative to the site, in order


def test_the_digest_file_is_the_same_bytes_however_the_files_were_written(tmp_path):
    first = make_site(tmp_path / "a", SMALL)
    second = make_site(tmp_path / "b", dict(reversed(SMALL.items())))
    out = tmp_path / "digest.json"
    assert digest_script("digest", first, "-o", out).returncode == 0
    assert out.read_bytes() == dumps(digest(second))
    assert b"\r\n" not in out.read_bytes()


def test_the_digest_of_a_missing_folder_is_an_error(tmp_path):
    result = digest_script("digest", tmp_path / "nothing")
    assert result.returncode == 2
    assert "not a folder" in result.stderr


# ---- Comparing digests ----


def test_identical_digests_compare_equal(tmp_path):
    a = make_site(tmp_path / "a", SMALL)
    b = make_site(tmp_path / "b", SMALL)
    assert differences(digest(a), digest(b)) == []
    for name, site in (("a.json", a), ("b.json", b)):
        assert digest_script("digest", site, "-o", tmp_path / name).returncode == 0
    result = digest_script("compare", tmp_path / "a.json", tmp_path / "b.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "one site" in result.stdout


def test_differing_digests_fail_naming_the_files(tmp_path):
    a = make_site(tmp_path / "a", SMALL)
    changed = {**SMALL, "assets/app.js": b"let x = 1;\n"}  # a CRLF checkout, say
    del changed["empty.txt"]
    changed["extra.html"] = b"<p>only here</p>"
    b = make_site(tmp_path / "b", changed)
    assert differences(digest(a), digest(b)) == ["assets/app.js", "empty.txt", "extra.html"]

    for name, site in (("linux.json", a), ("windows.json", b)):
        assert digest_script("digest", site, "-o", tmp_path / name).returncode == 0
    result = digest_script("compare", tmp_path / "linux.json", tmp_path / "windows.json")
    assert result.returncode == 1
    assert "linux.json and windows.json differ in 3 files" in result.stdout
    assert "assets/app.js (differs)" in result.stdout
    assert "empty.txt (only in linux.json)" in result.stdout
    assert "extra.html (only in windows.json)" in result.stdout
    assert "index.html" not in result.stdout


def test_one_machine_out_of_several_is_reported_once(tmp_path):
    same = make_site(tmp_path / "same", SMALL)
    odd = make_site(tmp_path / "odd", {**SMALL, "index.html": b"<p>two</p>\n"})
    names = []
    for name, site in (("u.json", same), ("m.json", same), ("w.json", odd)):
        assert digest_script("digest", site, "-o", tmp_path / name).returncode == 0
        names.append(tmp_path / name)
    result = digest_script("compare", *names)
    assert result.returncode == 1
    assert "2 different sites among 3 digests" in result.stdout
    assert "site 1: u.json, m.json" in result.stdout and "site 2: w.json" in result.stdout
    assert result.stdout.count("differ in 1 file:") == 1


def test_the_first_few_differences_are_named_in_order(tmp_path):
    a = make_site(tmp_path / "a", {f"page{i:02}.html": b"a" for i in range(30)})
    b = make_site(tmp_path / "b", {f"page{i:02}.html": b"b" for i in range(30)})
    for name, site in (("a.json", a), ("b.json", b)):
        digest_script("digest", site, "-o", tmp_path / name)
    result = digest_script("compare", tmp_path / "a.json", tmp_path / "b.json")
    assert result.returncode == 1
    named = re.findall(r"page(\d+)\.html", result.stdout)
    assert named == [f"{i:02}" for i in range(10)]
    assert "differ in 30 files (the first 10)" in result.stdout


def test_compare_refuses_what_is_not_a_digest(tmp_path):
    (tmp_path / "a.json").write_text('{"index.html": "not a hash"}', encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    result = digest_script("compare", tmp_path / "a.json", tmp_path / "b.json")
    assert result.returncode == 2
    assert "not a site digest" in result.stderr
    assert digest_script("compare", tmp_path / "b.json").returncode == 2  # nothing to compare with


# ---- The workflow ----


def workflow(path: Path = CI) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(job: dict) -> list[dict]:
    return job["steps"]


def runs(job: dict) -> list[str]:
    return [s["run"] for s in steps(job) if "run" in s]


def action(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def cache_paths(step: dict) -> list[str]:
    return [line.strip() for line in step["with"]["path"].splitlines() if line.strip()]


def supported_pythons() -> tuple[str, str]:
    """The oldest and newest supported minor versions, as pyproject.toml and README state them."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    oldest = re.fullmatch(r">=(\d+\.\d+)(?:\.\d+)?", pyproject["project"]["requires-python"])
    newest = re.search(r"Python \d+\.\d+(?:\.\d+)? to (\d+\.\d+)", readme)
    assert oldest and newest
    return oldest[1], newest[1]


def test_ci_runs_on_every_push_and_pull_request_and_cancels_superseded_runs():
    ci = workflow()
    triggers = ci.get("on", ci.get(True))  # YAML 1.1 reads a bare `on` as True
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)
    assert not (triggers["push"] or {}).get("branches")  # every branch, not only main
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert "github.workflow" in ci["concurrency"]["group"]
    assert "github.ref" in ci["concurrency"]["group"]
    assert ci["permissions"] == {"contents": "read"}


def test_every_action_is_pinned_to_a_commit_with_its_version_named():
    text = CI.read_text(encoding="utf-8")
    uses = [s["uses"] for job in workflow()["jobs"].values() for s in steps(job) if "uses" in s]
    assert uses and all(PINNED.fullmatch(u) for u in uses), uses
    lines = [line for line in text.splitlines() if "uses:" in line]
    assert len(lines) == len(uses)
    for line in lines:
        assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_the_quick_tier_runs_as_the_readme_says():
    quick = workflow()["jobs"]["quick"]
    assert runs(quick) == ["python -m pip install nox", "nox -s quick"]


def test_full_builds_on_linux_apple_silicon_and_windows_with_oldest_and_newest_python():
    build = workflow()["jobs"]["build"]
    matrix = build["strategy"]["matrix"]
    assert build["runs-on"] == "${{ matrix.os }}"
    assert build["strategy"]["fail-fast"] is False  # every machine's digest, even if one fails
    systems = matrix["os"]
    assert len(systems) == 3
    assert any(s.startswith("ubuntu-") for s in systems)
    assert any(s.startswith("windows-") and "arm" not in s for s in systems)
    # arm64 by name: macos-14 or newer, not an Intel (-intel, -large) or moving (-latest) label
    apple = [m for s in systems if (m := re.fullmatch(r"macos-(\d+)(?:-xlarge)?", s))]
    assert len(apple) == 1 and int(apple[0][1]) >= 14, systems
    assert matrix["python"] == list(supported_pythons())
    assert "include" not in matrix and "exclude" not in matrix


def test_each_build_is_cold_and_uploads_the_digest_of_its_site():
    ci = workflow()
    build = ci["jobs"]["build"]
    commands = runs(build)
    assert commands[:2] == ["python -m pip install nox", "nox -s docs"]
    # a build from a results cache would only show that a cache can be copied
    envs = [ci.get("env", {}), build.get("env", {}), *(s.get("env", {}) for s in steps(build))]
    assert not any("SITE_CACHE" in env for env in envs)
    cached = [cache_paths(s) for s in steps(build) if action(s) == "actions/cache"]
    assert cached and all(".cache" not in paths for paths in cached)
    digest_run = next(c for c in commands if "site_digest.py" in c)
    assert digest_run.startswith("python scripts/site_digest.py digest site -o ")
    out = digest_run.split(" -o ")[1].strip('"')
    uploads = [s for s in steps(build) if action(s) == "actions/upload-artifact"]
    upload = next(s for s in uploads if s["with"]["path"] == out)
    name = upload["with"]["name"]
    assert name.startswith("digest-") and "matrix.os" in name and "matrix.python" in name


def test_the_compare_job_fails_if_any_two_sites_differ():
    compare = workflow()["jobs"]["compare"]
    assert compare["needs"] in ("build", ["build"])
    download = next(s for s in steps(compare) if action(s) == "actions/download-artifact")
    assert download["with"]["pattern"] == "digest-*"
    assert download["with"]["merge-multiple"] is True
    folder = download["with"]["path"]
    assert runs(compare) == [f"python scripts/site_digest.py compare {folder}/*.json"]


def test_uv_and_nox_are_cached_by_os_python_and_lock():
    jobs = workflow()["jobs"]
    for name in ("quick", "build"):
        cache = next(s for s in steps(jobs[name]) if action(s) == "actions/cache")
        paths = cache_paths(cache)
        assert ".nox" in paths and any("uv-cache" in p for p in paths)
        key = cache["with"]["key"]
        assert "runner.os" in key and "python-version" in key and "hashFiles('uv.lock'" in key
        nox_runs = [s for s in steps(jobs[name]) if s.get("run", "").startswith("nox ")]
        assert all(s["env"]["UV_CACHE_DIR"] in paths for s in nox_runs)


def test_windows_checks_out_lf_line_ends():
    """The site is compared byte for byte, so a Windows checkout must not turn LF into CRLF."""
    attributes = (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "* text=auto eol=lf" in attributes


# ---- actionlint ----


def actionlint() -> str:
    """actionlint from the lint group (beside this Python), or one on PATH."""
    here = Path(sys.executable).parent / ("actionlint.exe" if os.name == "nt" else "actionlint")
    found = str(here) if here.is_file() else shutil.which("actionlint")
    assert found, "actionlint comes with the lint group, which the test sessions install"
    return found


def lint(folder: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, files)],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_actionlint_passes_the_workflow(name):
    result = lint(ROOT, Path(".github", "workflows", name))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_passes_the_workflow_with_its_actions_named_by_version(tmp_path):
    """actionlint knows the actions' inputs, outputs and runtimes by version, not by commit:
    checked again with each pin replaced by the major version its comment names, a misspelt
    input or an action on a retired runtime is caught too."""
    by_version = re.sub(r"@[0-9a-f]{40} # (v\d+)\.\d+\.\d+", r"@\1", CI.read_text(encoding="utf-8"))
    assert "@v" in by_version and not PINNED.search(by_version)
    copy = tmp_path / ".github" / "workflows" / "ci.yml"
    copy.parent.mkdir(parents=True)
    copy.write_text(by_version, encoding="utf-8")
    result = lint(tmp_path, Path(".github", "workflows", "ci.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_can_fail(tmp_path):
    copy = tmp_path / ".github" / "workflows" / "ci.yml"
    copy.parent.mkdir(parents=True)
    broken = CI.read_text(encoding="utf-8").replace("needs: build", "needs: biuld")
    copy.write_text(broken, encoding="utf-8")
    result = lint(tmp_path, Path(".github", "workflows", "ci.yml"))
    assert result.returncode == 1
    assert "biuld" in result.stdout
