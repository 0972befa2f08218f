"""Every cckg:quote in data/ttl/*.ttl is the report's own words (whitespace aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from cckg.paths import PATHS
from cckg.rdf.namespaces import CCKG

_SPACE = re.compile(r"\s+")
CONTEXT = 15


def normalise(text: str) -> str:
    """The text with every whitespace character removed (the report breaks lines anywhere)."""
    return _SPACE.sub("", text)


def matched_prefix(quote: str, report: str) -> int:
    """Length of the longest prefix of `quote` that occurs in `report` (both normalised)."""
    low, high = 0, len(quote)
    while low < high:  # prefixes are monotone: if a prefix occurs, every shorter one does
        mid = (low + high + 1) // 2
        if quote[:mid] in report:
            low = mid
        else:
            high = mid - 1
    return low


def describe_mismatch(quote: str, report: str) -> str:
    """Where a normalised quote leaves the normalised report, and what each side has there."""
    n = matched_prefix(quote, report)
    if n == 0:
        return f"not even its first character {quote[:1]!r} occurs in the report"
    at = report.find(quote[:n])
    return (
        f"matches the report for {n} characters (…{quote[max(0, n - CONTEXT):n]!r}), "
        f"then the quote has {quote[n:n + CONTEXT]!r} where the report has "
        f"{report[at + n:at + n + CONTEXT]!r}"
    )


def display(path: Path) -> str:
    """The path relative to the repository root when it lies inside it, else its name."""
    try:
        return path.resolve().relative_to(PATHS.root.resolve()).as_posix()
    except ValueError:
        return path.name


def quote_problems(files: list[Path], report_text: str) -> tuple[int, list[str]]:
    """Count the quotes in `files` and describe each that is not in the report (or not @zh)."""
    report = normalise(report_text)
    count, problems = 0, []
    for path in files:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            problems.append(f"{display(path)}: does not parse as Turtle: {exc}")
            continue
        for subject, quote in sorted(graph.subject_objects(CCKG.quote)):
            count += 1
            if not isinstance(quote, Literal) or quote.language != "zh":
                problems.append(f"{display(path)}: <{subject}>: cckg:quote is not an @zh literal")
                continue
            text = normalise(str(quote))
            if not text or text not in report:
                problems.append(
                    f"{display(path)}: <{subject}>: quote not in data/source/report.txt: "
                    + describe_mismatch(text, report)
                )
    return count, problems


def data_files() -> list[Path]:
    """Every instance-data file: the quotes of all engineers are checked."""
    return sorted(PATHS.data.glob("*.ttl"))


def test_every_quote_is_in_the_report() -> None:
    count, problems = quote_problems(data_files(), PATHS.report.read_text(encoding="utf-8"))
    assert count >= 48, f"expected at least the 48 appendix quotes, found {count}"
    assert not problems, "\n".join(problems)


def test_quote_text_is_checked_against_the_real_report() -> None:
    report = PATHS.report.read_text(encoding="utf-8")
    # A quote that spans a line break in the report passes once whitespace is removed.
    assert "率先实现达峰目标，鼓励其他设区市" in normalise(report)
    assert "鼓励南昌市、景德镇市、赣州市、抚州市、吉安市、共青城市\n" in report


HEADER = (
    "@prefix cckg: <https://w3id.org/cckg/ontology#> .\n"
    "@prefix passage: <https://w3id.org/cckg/id/passage/> .\n"
)


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_line_broken_quote_passes(tmp_path: Path) -> None:
    ok = _write(
        tmp_path,
        "ok.ttl",
        'passage:x a cckg:SourcePassage ; cckg:quote "江西 鼓励南昌市、景德镇市、赣州市、'
        '抚州市、吉安市、共青城市率先实现达峰目标"@zh .\n',
    )
    count, problems = quote_problems([ok], PATHS.report.read_text(encoding="utf-8"))
    assert (count, problems) == (1, [])


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        # 2025 for 2020: the year in 北京's row is doctored.
        (
            "北京 2025年并尽早达峰",
            "then the quote has '5年并尽早达峰' where the report has '0年并尽早达峰",
        ),
        # 争取 for 力争: one word swapped.
        ("江西 争取部分重化工业 2020 年左右实现率先达峰", "then the quote has '争取部分重化工业"),
    ],
)
def test_doctored_quote_is_caught(tmp_path: Path, quote: str, expected: str) -> None:
    bad = _write(
        tmp_path,
        "doctored.ttl",
        f'passage:doctored a cckg:SourcePassage ; cckg:quote "{quote}"@zh .\n',
    )
    count, problems = quote_problems([bad], PATHS.report.read_text(encoding="utf-8"))
    assert count == 1
    assert len(problems) == 1
    message = problems[0]
    assert message.startswith("doctored.ttl: <https://w3id.org/cckg/id/passage/doctored>")
    assert expected in message


def test_untagged_quote_is_caught(tmp_path: Path) -> None:
    bad = _write(tmp_path, "plain.ttl", 'passage:p cckg:quote "天津 2025年左右达峰" .\n')
    _, problems = quote_problems([bad], PATHS.report.read_text(encoding="utf-8"))
    assert problems == [
        "plain.ttl: <https://w3id.org/cckg/id/passage/p>: cckg:quote is not an @zh literal"
    ]


def test_every_passage_in_the_data_has_a_quote() -> None:
    missing = []
    for path in data_files():
        graph = Graph().parse(path, format="turtle")
        for passage in graph.subjects(RDF.type, CCKG.SourcePassage):
            if (passage, CCKG.quote, None) not in graph:
                missing.append(f"{display(path)}: <{passage}>")
    assert not missing, "passages without cckg:quote:\n" + "\n".join(missing)
