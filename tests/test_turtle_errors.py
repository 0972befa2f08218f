"""Broken Turtle: the error names the file and line, quotes that line as text (not a
bytes repr of another line), and names an undeclared prefix with the line to add."""

from __future__ import annotations

from pathlib import Path

import pytest

from cckg.errors import SyntaxErrorInFile
from cckg.paths import PATHS
from cckg.pipeline.load import parse_file

ZONES = PATHS.root / "data" / "ttl" / "zones.ttl"


def broken_copy(tmp_path: Path, appended: str) -> tuple[Path, int]:
    """zones.ttl with one line appended; returns the copy and that line's number."""
    text = ZONES.read_text(encoding="utf-8").rstrip("\n") + "\n"
    path = tmp_path / "zones.ttl"
    path.write_text(text + appended + "\n", encoding="utf-8")
    return path, text.count("\n") + 1


def error_of(path: Path) -> SyntaxErrorInFile:
    with pytest.raises(SyntaxErrorInFile) as err:
        parse_file(path)
    return err.value


def test_unterminated_string_quotes_its_own_line_as_text(tmp_path: Path):
    line = '<https://w3id.org/cckg/id/zone/x> rdfs:label "unterminated .'
    path, number = broken_copy(tmp_path, line)
    error = error_of(path)
    assert error.where == f"{path}:{number}"
    assert f"{number} | {line}" in error.what
    assert "newline found in string literal" in error.what
    assert "b'" not in error.message and "\\n" not in error.message


def test_undeclared_prefix_is_named_with_its_prefix_line(tmp_path: Path):
    line = "<https://w3id.org/cckg/id/zone/x> skos:prefLabel 'x' ."
    path, number = broken_copy(tmp_path, line)
    error = error_of(path)
    assert error.where == f"{path}:{number}"
    assert "the prefix 'skos:' is not declared" in error.what
    assert f"{number} | {line}" in error.what
    assert error.fix == (
        "add '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .' at the top of the file"
    )


def test_unknown_undeclared_prefix_is_named(tmp_path: Path):
    path, _ = broken_copy(tmp_path, "<https://w3id.org/cckg/id/zone/x> a foo:Bar .")
    error = error_of(path)
    assert "the prefix 'foo:' is not declared" in error.what
    assert "@prefix foo: <namespace IRI> ." in error.fix
