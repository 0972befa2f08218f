"""CCKG is a typed library (PEP 561): researchers' type checkers read its annotations."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_ships_its_py_typed_marker() -> None:
    assert (ROOT / "src" / "cckg" / "py.typed").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in config["tool"]["setuptools"]["package-data"]["cckg"]


def test_a_script_using_cckg_is_checked_against_its_types(tmp_path: Path) -> None:
    script = tmp_path / "use.py"
    script.write_text(
        "from cckg.rdf.sparql_lex import analyse\n"
        "form: int = analyse('ASK {}').shape.form\n", encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    # The wrong annotation is caught: mypy read cckg's own types, not Any.
    assert checked.returncode == 1, checked.stdout
    assert 'Incompatible types in assignment (expression has type "str | None"' in checked.stdout
