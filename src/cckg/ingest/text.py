"""The text of a policy document: decoding, normalising, and cutting it into the pieces the
extractor reads (sections, appendix rows, sentences, clauses), always by character offsets
into the stored text so that every quote can be checked against it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cckg.errors import CckgError

#: Zero-width characters and the byte-order mark, dropped on registration.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)
#: Full-width ASCII digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) and the ideographic space → ASCII.
_FULL_WIDTH = {
    **{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)},
    **{c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)},
    **{c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}
_LINE_BREAK_SPACE = re.compile(r"[ \t\u3000]*\n\s*")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = "。！？；"
_CLAUSE_END = "，：；。！？"
_HEADING = re.compile(
    r"^\s*((?:[一二三四五六七八九十]+)、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])"
)
_POINT = re.compile(r"^([一二三四五六七八九十]+是)")
_APPENDIX = re.compile(r"^\s*附表")
_ROW = re.compile(r"^\s*(\d{1,3})\s+(\S)")


class TextNotUtf8(CckgError):
    """A document file that is not UTF-8 text."""


def decode(data: bytes, where: str) -> str:
    """The text of a document file, which must be UTF-8 (a byte-order mark is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextNotUtf8(
            f"not UTF-8 text (byte {exc.start} is {data[exc.start : exc.start + 1]!r})",
            where=where,
            fix="convert the file to UTF-8 first, e.g. `iconv -f GB18030 -t UTF-8 in.txt > "
            "out.txt`, and register the converted file",
        ) from exc


@lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters as simplified ones (OpenCC's t2s conversion)."""
    converter = _t2s()
    return str(converter.convert(text))  # type: ignore[attr-defined]


def normalise(text: str) -> str:
    """The stored form of a document: NFC, LF line ends, no zero-width characters,
    ASCII digits and letters, simplified characters, no trailing spaces, one final newline."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE).translate(_FULL_WIDTH)
    text = to_simplified(text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def join_lines(span: str) -> str:
    """A span of the text as one line: whitespace at a line break is dropped (the documents
    break lines anywhere), whitespace inside a line is kept."""
    return _LINE_BREAK_SPACE.sub("", span).strip()


def squeeze(text: str) -> str:
    """The text with every whitespace character removed (how quotes are compared)."""
    return _SPACE.sub("", text)


def quote_at(text: str, start: int, end: int) -> str:
    """The quote of the characters start..end of a document (line breaks joined)."""
    return join_lines(text[start:end])


@dataclass(frozen=True)
class Piece:
    """A run of a document the extractor reads as one unit: a sentence of running text or
    one appendix row, with where it sits."""

    start: int
    end: int
    section: str
    category: str | None = None  # the appendix table heading the row sits under
    row: int | None = None  # the row number in that table
    lead: int | None = None  # offset where a row's words start (after its number)


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[Line]:
    lines, start = [], 0
    for raw in text.split("\n"):
        lines.append(Line(start, start + len(raw), raw))
        start += len(raw) + 1
    return lines


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    return bool(_HEADING.match(stripped)) and "。" not in stripped and len(stripped) <= 60


def _heading_number(line: str) -> str:
    match = _HEADING.match(line.strip())
    return match.group(1).rstrip("、") if match else line.strip()


def _is_title(line: str) -> bool:
    """The document's first line is its title when it is short and ends no sentence."""
    stripped = line.strip()
    return len(stripped) <= 60 and not any(c in stripped for c in _SENTENCE_END + "，")


def _blank_after(lines: list[Line], line: Line) -> bool:
    """Whether a blank line follows `line` (a title stands apart from the text)."""
    index = lines.index(line)
    return index + 1 < len(lines) and not lines[index + 1].text.strip()


def _is_note(line: str) -> bool:
    """A line in （…） after a table (authors, sources) ends the table."""
    stripped = line.strip()
    return stripped.startswith("（") and stripped.endswith("）")


def _is_category(line: str) -> bool:
    """A heading line inside an appendix table: words without a row number or full stop."""
    stripped = line.strip()
    return bool(stripped) and not _ROW.match(line) and "。" not in stripped and len(stripped) <= 40


def pieces(text: str) -> list[Piece]:
    """The document as sentences of running text (ended by 。！？；) and appendix rows."""
    found: list[Piece] = []
    section = ""
    body_start: int | None = None
    in_table = False
    category: str | None = None
    row: tuple[int, int, int] | None = None  # (number, start, lead)
    lines = _lines(text)

    def flush_body(until: int) -> None:
        nonlocal body_start
        if body_start is not None:
            found.extend(_sentences(text, body_start, until, section))
        body_start = None

    def flush_row(until: int) -> None:
        nonlocal row
        if row is not None:
            number, start, lead = row
            end = _trim_end(text, start, until)
            found.append(Piece(start, end, f"附表：{category}", category, number, lead))
        row = None

    first = next((line for line in lines if line.text.strip()), None)
    for line in lines:
        if not line.text.strip():
            continue
        if _APPENDIX.match(line.text):
            flush_body(line.start)
            flush_row(line.start)
            in_table, category, section = True, None, line.text.strip()
            continue
        if line is first and _is_title(line.text) and _blank_after(lines, line):
            section = ""
            continue
        if in_table and _is_note(line.text):
            flush_row(line.start)
            in_table, section = False, "附注"
            body_start = line.start
            continue
        if in_table:
            match = _ROW.match(line.text)
            if match:
                flush_row(line.start)
                row = (
                    int(match.group(1)),
                    line.start + match.start(2),
                    line.start + match.start(2),
                )
            elif row is not None and not _is_category(line.text):
                continue  # a row that goes on over several lines
            elif row is not None and _continues_row(text, row, line):
                continue
            else:
                flush_row(line.start)
                category = line.text.strip()
            continue
        if _is_heading(line.text):
            flush_body(line.start)
            section = _heading_number(line.text)
            continue
        if body_start is None:
            body_start = line.start
    flush_body(len(text))
    flush_row(len(text))
    return found


def _continues_row(text: str, row: tuple[int, int, int], line: Line) -> bool:
    """Whether a short line after a row is still that row: the row so far has no words
    after its province name, or ends inside a sentence (no 。 and not at a table heading
    ending in 省份/身份)."""
    words = text[row[2] : line.start].split()
    stripped = line.text.strip()
    if len(words) <= 1:
        return True
    return not stripped.endswith(("省份", "身份", "城市", "地区"))


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _sentences(text: str, start: int, end: int, section: str) -> list[Piece]:
    """Sentences of running text between start and end, each with its point (一是, 二是)."""
    found: list[Piece] = []
    point = ""
    cursor = start
    quote_depth = 0
    for i in range(start, end):
        char = text[i]
        if char in "“《（":
            quote_depth += 1
        elif char in "”》）" and quote_depth:
            quote_depth -= 1
        if (char in _SENTENCE_END and quote_depth == 0) or i == end - 1:
            stop = i + 1
            while cursor < stop and text[cursor].isspace():
                cursor += 1
            if cursor < stop:
                head = squeeze(text[cursor : min(stop, cursor + 12)])
                match = _POINT.match(head)
                if match:
                    point = match.group(1)
                label = f"{section}、{point}" if section and point else section or point
                found.append(Piece(cursor, _trim_end(text, cursor, stop), label))
            cursor = stop
    return found


def clause_spans(text: str) -> list[tuple[int, int]]:
    """The clauses of a sentence, cut at ，：；。！？ outside “…”, 《…》 and （…）."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for i, char in enumerate(text):
        if char in "“《（(":
            depth += 1
        elif char in "”》）)" and depth:
            depth -= 1
        elif char in _CLAUSE_END and depth == 0:
            if text[start:i].strip():
                spans.append((start, i))
            start = i + 1
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


class View:
    """A piece of a document as one line (whitespace at line breaks dropped), with the
    offset in the document of every character, so rules read words that a line break cut
    (率先\\n达峰) and still report where they are."""

    def __init__(self, text: str, start: int, end: int) -> None:
        chars: list[str] = []
        offsets: list[int] = []
        i = start
        while i < end:
            if text[i].isspace():
                j = i
                while j < end and text[j].isspace():
                    j += 1
                if "\n" not in text[i:j]:
                    chars.extend(text[i:j])
                    offsets.extend(range(i, j))
                i = j
                continue
            chars.append(text[i])
            offsets.append(i)
            i += 1
        self.document = text
        self.string = "".join(chars)
        self.offsets = offsets

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The document offsets of the view's characters start..end."""
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else len(self.document)
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1
