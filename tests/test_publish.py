"""Publishing: the workflow builds with `nox -s docs` and the site works under its Pages URL."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml

from conftest import ROOT, build_site, copy_checkout, mkdocs_build

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
PAGES_URL = "https://example.org/from-lines-to-neurons/"


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_workflow_builds_with_the_docs_session_and_deploys_site():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build = workflow["jobs"]["build"]
    runs = [s.get("run", "") for s in steps(build)]
    assert "nox -s docs" in runs
    docs = next(s for s in steps(build) if s.get("run") == "nox -s docs")
    assert docs["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    uses = [s.get("uses", "").split("@")[0] for s in steps(build)]
    assert uses.index("actions/configure-pages") < runs.index("nox -s docs")
    upload = next(s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


@pytest.mark.site
def test_site_built_for_its_pages_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", PAGES_URL)
    site = build_site(tmp_path / "site")
    sitemap = (site / "sitemap.xml").read_text()
    assert f"<loc>{PAGES_URL}07-playground/</loc>" in sitemap
    notebook = (site / "nn_from_scratch" / "index.html").read_text()
    assert 'href="nn_from_scratch.py" download' in notebook
    assert f'<link rel="canonical" href="{PAGES_URL}nn_from_scratch/">' in notebook
    # every internal link stays relative, so the site also works from any other folder
    assert not re.search(r'(?:href|src)="/(?!/)', notebook)


@pytest.mark.site
def test_the_sitemap_is_dated_by_the_commit_not_the_clock(tmp_path, monkeypatch):
    """A checkout whose commit is from 2001: its site says 2001, whenever it is built."""
    copy = copy_checkout(tmp_path / "copy")
    when = "2001-02-03T04:05:06+00:00"
    git = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@localhost",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@localhost",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "then"]):
        subprocess.run(["git", *command], cwd=copy, env=git, check=True, capture_output=True)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("SITE_URL", PAGES_URL)  # mkdocs dates the sitemap of a site with an address
    result = mkdocs_build(copy / "mkdocs.noexec.yml", tmp_path / "out", copy)
    assert result.returncode == 0, result.stderr[-3000:]
    sitemap = (tmp_path / "out" / "sitemap.xml").read_text()
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2001-02-03"}
