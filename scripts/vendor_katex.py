"""Put a released KaTeX into ``vendor/katex/``: ``python scripts/vendor_katex.py 0.19.1``.

(``nox -s katex -- 0.19.1`` does the same.) The package comes from the npm registry through
``npm pack``, is checked against the registry's own integrity hash, and only what the site uses
is kept: ``katex.min.js``, which runs at build time (``hooks/maths.py``), and the stylesheet and
WOFF2 fonts the built pages load. Browsers that read KaTeX's CSS take its first font format,
WOFF2, so the older formats are dropped from the CSS and not shipped. ``katex.json`` records the
version, the registry's hash of the package and the SHA-256 of every file kept;
``tests/test_maths.py`` checks the folder against it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "vendor" / "katex"
OLDER_FORMATS = re.compile(
    r',url\(fonts/[\w-]+\.woff\) format\("woff"\)'
    r',url\(fonts/[\w-]+\.ttf\) format\("truetype"\)'
)


def npm(*args: str) -> str:
    npm_exe = shutil.which("npm")
    if npm_exe is None:
        raise SystemExit("npm is needed to fetch KaTeX from its official package")
    return subprocess.run([npm_exe, *args], check=True, capture_output=True, text=True).stdout


def fetch(version: str) -> tuple[bytes, str]:
    """The package's tarball, checked against the registry's integrity hash (SHA-512)."""
    integrity = json.loads(npm("view", f"katex@{version}", "dist.integrity", "--json"))
    with tempfile.TemporaryDirectory() as tmp:
        npm("pack", f"katex@{version}", "--pack-destination", tmp)
        (tarball,) = Path(tmp).glob("katex-*.tgz")
        data = tarball.read_bytes()
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"katex@{version}: the package does not match the registry's hash")
    return data, integrity


def kept(data: bytes) -> dict[str, bytes]:
    """The files the site uses, by their path under ``vendor/katex/``."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            if name in ("LICENSE", "dist/katex.min.js", "dist/katex.min.css") or (
                name.startswith("dist/fonts/") and name.endswith(".woff2")
            ):
                files[name.removeprefix("dist/")] = tar.extractfile(member).read()
    css = files["katex.min.css"].decode()
    css, dropped = OLDER_FORMATS.subn("", css)
    if dropped == 0 or "url(fonts/" not in css or ".woff)" in css or ".ttf)" in css:
        raise SystemExit("KaTeX's CSS names its fonts differently now: update OLDER_FORMATS")
    files["katex.min.css"] = css.encode()
    return files


def manifest(version: str, integrity: str, files: dict[str, bytes]) -> dict:
    return {
        "version": version,
        "package": f"katex@{version}",
        "integrity": integrity,
        "files": {k: hashlib.sha256(v).hexdigest() for k, v in sorted(files.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("version", help="a KaTeX release, e.g. 0.19.1")
    version = parser.parse_args().version
    data, integrity = fetch(version)
    files = kept(data)
    shutil.rmtree(VENDOR, ignore_errors=True)
    for name, content in files.items():
        (VENDOR / name).parent.mkdir(parents=True, exist_ok=True)
        (VENDOR / name).write_bytes(content)
    text = json.dumps(manifest(version, integrity, files), indent=2) + "\n"
    (VENDOR / "katex.json").write_text(text, encoding="utf-8", newline="\n")
    print(f"vendor/katex: KaTeX {version}, {len(files)} files")


if __name__ == "__main__":
    main()
