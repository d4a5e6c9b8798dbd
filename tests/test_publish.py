"""Publishing: the workflow builds with `nox -s docs` and the site works under its Pages URL."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import yaml

from conftest import ROOT, build_site
from hooks.build import commit_time

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


def test_site_built_for_its_pages_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_URL", PAGES_URL)
    site = build_site(tmp_path / "site")
    sitemap = (site / "sitemap.xml").read_text()
    assert f"<loc>{PAGES_URL}07-playground/</loc>" in sitemap
    stamp = int(os.environ.get("SOURCE_DATE_EPOCH") or commit_time())
    day = datetime.fromtimestamp(stamp, UTC).date().isoformat()
    assert f"<lastmod>{day}</lastmod>" in sitemap  # the commit's date, not today's
    notebook = (site / "nn_from_scratch" / "index.html").read_text()
    assert 'href="nn_from_scratch.py" download' in notebook
    assert f'<link rel="canonical" href="{PAGES_URL}nn_from_scratch/">' in notebook
    # every internal link stays relative, so the site also works from any other folder
    assert not re.search(r'(?:href|src)="/(?!/)', notebook)
