"""A digest of a built site (the SHA-256 of every file, by its path) and a comparison of digests.

CI builds the site on Linux, macOS and Windows with two Pythons each and compares the builds'
digests: the site is promised to be the same bytes on every machine, and only real machines can
show that it is. The same two commands run here (``nox -s digest`` runs them too)::

    python scripts/site_digest.py digest site -o digest.json
    python scripts/site_digest.py compare a.json b.json [c.json ...]

``compare`` exits with 1 if any two digests differ and names the first files that do. Standard
library only, so it runs with whatever Python is at hand, the project's environments or not.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import TextIO

SHOWN = 10  # differing files named for each pair of sites that differ
SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def digest(site: Path | str) -> dict[str, str]:
    """Every file under ``site``: its path relative to ``site`` (with ``/``) → its SHA-256."""
    root = Path(site)
    if not root.is_dir():
        raise NotADirectoryError(f"{root}: not a folder")
    files: dict[str, str] = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder, name)
            # macOS may hand back a name decomposed (é as e + ´): the same file must get one key
            relative = unicodedata.normalize("NFC", path.relative_to(root).as_posix())
            files[relative] = sha256(path)
    return dict(sorted(files.items()))


def dumps(files: dict[str, str]) -> bytes:
    """The digest as JSON, the same bytes on every OS (sorted, UTF-8, LF line ends)."""
    text = json.dumps(files, indent=1, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load(path: Path | str) -> dict[str, str]:
    """A digest written by ``digest``; a ValueError if the file is not one."""
    files = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and SHA256.fullmatch(v) for k, v in files.items()
    ):
        raise ValueError(f"{path}: not a site digest (a JSON object of path: SHA-256)")
    return files


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """The paths, sorted, whose files differ between the digests or are in only one of them."""
    return sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))


def describe(path: str, a: dict[str, str], b: dict[str, str], name_a: str, name_b: str) -> str:
    if path not in b:
        return f"{path} (only in {name_a})"
    if path not in a:
        return f"{path} (only in {name_b})"
    return f"{path} (differs)"


def count(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


def names_of(paths: list[str]) -> list[str]:
    """How to name each digest in the report: its file name, or its path where names repeat."""
    names = [Path(p).name for p in paths]
    return names if len(set(names)) == len(names) else list(paths)


def compare(paths: list[str], out: TextIO | None = None) -> bool:
    """Print how the digests differ, if they do; True if they are all the same site."""
    out = out or sys.stdout
    digests = [load(p) for p in paths]
    names = names_of(paths)
    # Digests of the same site are grouped, so one odd machine out is reported once, not once
    # for every machine it differs from.
    groups: list[list[int]] = []
    for i, files in enumerate(digests):
        same = next((g for g in groups if digests[g[0]] == files), None)
        if same is None:
            groups.append([i])
        else:
            same.append(i)
    if len(groups) == 1:
        print(f"{len(paths)} digests, one site: {count(len(digests[0]))}, byte for byte", file=out)
        return True
    print(f"{len(groups)} different sites among {len(paths)} digests:", file=out)
    for n, group in enumerate(groups, 1):
        print(f"  site {n}: {', '.join(names[i] for i in group)}", file=out)
    for x, first in enumerate(groups):
        for second in groups[x + 1 :]:
            i, j = first[0], second[0]
            differing = differences(digests[i], digests[j])
            shown = min(SHOWN, len(differing))
            print(
                f"{names[i]} and {names[j]} differ in {count(len(differing))}"
                + (f" (the first {shown}):" if shown < len(differing) else ":"),
                file=out,
            )
            for path in differing[:shown]:
                print("  " + describe(path, digests[i], digests[j], names[i], names[j]), file=out)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("digest", help="write the digest of a built site")
    make.add_argument("site", type=Path, help="the built site's folder, e.g. site")
    make.add_argument("-o", "--output", type=Path, help="the JSON file to write (default: print)")
    check = commands.add_parser("compare", help="exit 1 if any two digests differ")
    check.add_argument("digests", nargs="+", help="digest files written by `digest`")
    args = parser.parse_args(argv)
    # Paths may be non-ASCII; a Windows pipe would otherwise take the ANSI code page and fail.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(encoding="utf-8")

    if args.command == "digest":
        try:
            data = dumps(digest(args.site))
        except NotADirectoryError as error:
            parser.error(str(error))
        if args.output is None:
            sys.stdout.buffer.write(data)
        else:
            args.output.write_bytes(data)
        return 0
    if len(args.digests) < 2:
        parser.error("compare needs two digests or more")
    try:
        return 0 if compare(args.digests) else 1
    except (OSError, ValueError) as error:  # json's errors are ValueErrors too
        parser.error(str(error))


if __name__ == "__main__":
    sys.exit(main())
