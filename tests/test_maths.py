"""The maths typesetting (hooks/maths.py): pinned KaTeX, errors that stop the build, the cache."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, mkdocs_build, text_of

sys.path.insert(0, str(ROOT / "hooks"))
import maths

VENDOR = ROOT / "vendor" / "katex"


def test_vendored_katex_is_the_pinned_release():
    manifest = json.loads((VENDOR / "katex.json").read_text())
    on_disk = {
        p.relative_to(VENDOR).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in VENDOR.rglob("*")
        if p.is_file() and p.name != "katex.json"
    }
    assert on_disk == manifest["files"]  # nothing added, removed or changed by hand
    assert maths.katex().version == manifest["version"]
    assert manifest["integrity"].startswith("sha512-")


def test_the_stylesheet_names_only_fonts_that_are_shipped():
    css = (VENDOR / "katex.min.css").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts and all((VENDOR / f).is_file() for f in fonts)
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", css)  # nothing from another host


def test_one_parse_for_the_eye_and_the_ear():
    out = maths.katex()(r"\hat y = w_2 a_1 + b_2", False)
    spoken = re.search(r"<math\b.*?</math>", out, re.S)[0]
    assert text_of(spoken) == "y^=w2a1+b2"
    assert 'class="katex-html" aria-hidden="true"' in out  # the drawn copy is not read twice
    assert "annotation" not in out  # the TeX source is not repeated in the page


def test_a_tex_error_names_the_page_and_the_formula(tmp_path):
    typeset = maths.Typeset()
    with pytest.raises(PluginError, match=r"02-forward\.md.*\\\\sigam.*Undefined control"):
        typeset(r"\sigam(z)", False, "02-forward.md")


def test_a_tex_error_fails_the_strict_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("Fine: $x^2$.\n")
    (docs / "typo.md").write_text("# Typo\n\nThe sigmoid $\\sigam(z)$.\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\nmarkdown_extensions:\n  - pymdownx.arithmatex:\n      generic: true\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'maths.py'}\n"
    )
    result = mkdocs_build(config, tmp_path / "site", tmp_path, {"SITE_CACHE": "off"})
    assert result.returncode != 0
    assert "typo.md: KaTeX cannot typeset '\\\\sigam(z)'" in result.stderr


def test_formulas_are_typeset_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_CACHE", str(tmp_path))
    first = maths.Typeset()
    html = first("a_1 = 0.5987", True, "p.md")
    first.save()
    monkeypatch.setattr(maths, "katex", lambda: pytest.fail("typeset again"))
    second = maths.Typeset()
    assert second("a_1 = 0.5987", True, "p.md") == html


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_damaged_cache_is_typeset_anew(tmp_path, monkeypatch, caplog, garbage):
    monkeypatch.setenv("SITE_CACHE", str(tmp_path))
    good = maths.Typeset()
    path = good.path
    path.parent.mkdir(parents=True)
    path.write_bytes(garbage)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.maths"):
        again = maths.Typeset()
    assert again.known == {}
    assert any(r.levelno == logging.INFO and "unreadable" in r.message for r in caplog.records)
    assert "katex-html" in again("x", False, "p.md")
    again.save()
    assert json.loads(path.read_text())  # written back whole


def test_pages_carry_no_script_for_maths(site):
    html = (site / "02-forward" / "index.html").read_text()
    article = re.search(r"<article.*?</article>", html, re.S)[0]
    assert "<script" not in article
    assert article.count('class="katex-mathml"') >= 10
    assert (site / "assets" / "katex" / "katex.min.css").is_file()
    fonts = list((site / "assets" / "katex" / "fonts").glob("*.woff2"))
    assert len(fonts) == len(list((VENDOR / "fonts").glob("*.woff2")))
