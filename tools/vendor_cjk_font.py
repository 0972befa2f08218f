"""Vendor the Noto Sans SC web font (OFL-1.1, npm @fontsource/noto-sans-sc) for the pages.

The package slices the font into ~100 woff2 files, each with a CSS unicode-range. This
copies the slices (weight 400) that hold a character the pages can show — every CJK or
full-width character of ontology/, data/ttl/ and the templates — and writes
static/fonts/noto-sans-sc.css with their @font-face rules, so Chinese renders on a
machine without CJK fonts while a browser loads only the slices a page needs. Run it again
after new documents bring new characters (tests/server/test_shipped_font.py says when):

    .venv/bin/python tools/vendor_cjk_font.py [VERSION]
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "src" / "cckg" / "server" / "static" / "fonts"
PACKAGE = "@fontsource/noto-sans-sc"
VERSION = "5.3.0"
LICENCE = "OFL-1.1"
CSS_NAME = "noto-sans-sc.css"
FAMILY = "Noto Sans SC"
#: Characters from here up are left to the shipped font (CJK radicals onwards, full-width forms).
FIRST_CJK = 0x2E80
_FACE = re.compile(r"@font-face\s*{(.*?)}", re.S)
_SRC = re.compile(r"url\(\./files/([^)]+\.woff2)\)")
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


def page_texts(root: Path = ROOT) -> list[Path]:
    """The files whose characters the pages show: ontology, data and templates."""
    return sorted(
        [*root.glob("ontology/*.ttl"), *root.glob("data/ttl/**/*.ttl"),
         *root.glob("src/cckg/server/templates/*.html")]
    )


def used_characters(root: Path = ROOT) -> set[int]:
    """Code points at or above FIRST_CJK in the files the pages show."""
    used: set[int] = set()
    for path in page_texts(root):
        used.update(ord(c) for c in path.read_text(encoding="utf-8") if ord(c) >= FIRST_CJK)
    return used


def parse_ranges(text: str) -> set[int]:
    """The code points of a CSS unicode-range value ('U+4e00-4e0f,U+3000')."""
    points: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def font_faces(css: str) -> list[tuple[str, str]]:
    """(woff2 file name, unicode-range) of every @font-face rule of a CSS file."""
    faces = []
    for body in _FACE.findall(css):
        src, ranges = _SRC.search(body), _RANGE.search(body)
        if src and ranges:
            faces.append((src.group(1), ranges.group(1).strip()))
    return faces


def face_rule(file_name: str, ranges: str) -> str:
    return (
        "@font-face {\n"
        f"  font-family: '{FAMILY}';\n  font-style: normal;\n  font-display: swap;\n"
        f"  font-weight: 400;\n  src: url(./{file_name}) format('woff2');\n"
        f"  unicode-range: {ranges};\n}}\n"
    )


def vendor(version: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{version}"], cwd=work,
                       check=True, stdout=subprocess.DEVNULL)
        tarball = next(Path(work).glob("*.tgz"))
        with tarfile.open(tarball) as archive:
            archive.extractall(work, filter="data")
        package = Path(work) / "package"
        licence = json.loads((package / "package.json").read_text())["license"]
        if licence != LICENCE:
            sys.exit(f"{PACKAGE}@{version} is licensed {licence!r}, not {LICENCE}: not vendoring")
        used = used_characters()
        chosen = [(f, r) for f, r in font_faces((package / "400.css").read_text())
                  if parse_ranges(r) & used]
        missing = used - set().union(*(parse_ranges(r) for _, r in chosen))
        if missing:
            sys.exit(f"no slice holds {''.join(map(chr, sorted(missing)))!r}")
        shutil.rmtree(DEST, ignore_errors=True)
        DEST.mkdir(parents=True)
        for file_name, _ in chosen:
            shutil.copyfile(package / "files" / file_name, DEST / file_name)
        header = (f"/* {FAMILY} (weight 400) from npm {PACKAGE}@{version}, {LICENCE}: the "
                  f"{len(chosen)} slices that hold the pages' characters. Written by "
                  "tools/vendor_cjk_font.py. */\n")
        (DEST / CSS_NAME).write_text(header + "".join(face_rule(f, r) for f, r in chosen))
        shutil.copyfile(package / "LICENSE", DEST / "LICENSE.txt")
        (DEST / "VERSION.txt").write_text(
            f"{PACKAGE} {version} (npm), licence {LICENCE}, vendored by tools/vendor_cjk_font.py\n"
        )
        print(f"vendored {len(chosen)} slices of {PACKAGE}@{version} into {DEST}")


if __name__ == "__main__":
    vendor(sys.argv[1] if len(sys.argv) > 1 else VERSION)
