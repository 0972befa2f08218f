"""SERVICE, LOAD and LATERAL are seen as pyoxigraph's grammar reads them: glued or not.

pyoxigraph needs no word boundary after a keyword (`LOADSILENT<x>` is LOAD SILENT <x>),
so the lexer refuses any bare word or prefix that contains one of them.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cckg.rdf import sparql_lex

ISSUE_FORMS = [
    # the forms of the issue: each reached a loopback listener through pyoxigraph
    "LOADSILENT<http://127.0.0.1:9999/x>",
    "INSERT { ?s ?p ?o } WHERE { SERVICESILENT<http://127.0.0.1:9999/u>{?s ?p ?o} }",
    "PREFIX ex: <http://127.0.0.1:9999/> LOADex:u4",
    "SELECT * { SERVICESILENT<http://127.0.0.1:9999/u>{?s ?p ?o} }",
]


@pytest.mark.parametrize("text", ISSUE_FORMS)
def test_issue_forms_are_refused(text: str) -> None:
    with pytest.raises(sparql_lex.RemoteError, match="would fetch remote data"):
        sparql_lex.analyse(text)


def test_pyoxigraph_really_reads_glued_keywords() -> None:
    """The premise: pyoxigraph parses the glued forms (as LOAD/SERVICE), it does not refuse."""
    store = ox.Store()
    store.update("LOADSILENT<http://127.0.0.1:1/x>")  # port 1: refused at once, SILENT
    with pytest.raises(OSError):
        store.update("PREFIX ex: <http://127.0.0.1:1/> LOADex:u4")


def test_lateral_is_refused_with_its_own_advice() -> None:
    with pytest.raises(sparql_lex.RemoteError) as refused:
        sparql_lex.analyse("SELECT * { ?s ?p ?o LATERAL { SELECT * { ?s ?p ?x } LIMIT 1 } }")
    assert "SPARQL 1.2" in str(refused.value) and "SPARQL 1.1" in refused.value.fix
    with pytest.raises(sparql_lex.RemoteError) as glued:
        sparql_lex.analyse("SELECT * {?s ?p ?o}LATERAL{}")
    assert glued.value.keywords == ["LATERAL"]


def test_words_that_only_resemble_keywords_pass() -> None:
    for text in (
        'SELECT ?load ?service { ?load ?p "LOAD SERVICE" }',
        "SELECT * { ?s <http://x/LOAD> ?o } # SERVICE <http://x>",
        "PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ex:loader }",
        "INSERT DATA { <http://a> <http://b> 'LOADSILENT<http://x>' }",
    ):
        sparql_lex.analyse(text)


def _cased(word: str, flips: list[bool]) -> str:
    return "".join(c.lower() if flip else c for c, flip in zip(word, flips, strict=False))


@st.composite
def glued(draw: st.DrawFn) -> str:
    """A text with SERVICE or LOAD glued to what follows, in any case, maybe escaped."""
    keyword = draw(st.sampled_from(["SERVICE", "LOAD", "LATERAL"]))
    word = _cased(keyword, draw(st.lists(st.booleans(), min_size=8, max_size=8)))
    if draw(st.booleans()):  # \u-escape one letter: SPARQL decodes escapes everywhere
        i = draw(st.integers(0, len(word) - 1))
        word = word[:i] + f"\\u{ord(word[i]):04X}" + word[i + 1 :]
    glue = draw(st.sampled_from([
        "<http://127.0.0.1:9999/x>", "SILENT<http://127.0.0.1:9999/x>", "silent<http://h/>",
        "ex:u4", ":u", "(", "{", "#comment\n<http://h/>", "\t<http://h/>", "SILENT",
        "_x", "Silent ex:u", "",
    ]))
    before = draw(st.sampled_from(["", " ", "{", "}", ";", ".", "(", "\n", "x", "?v ", "1"]))
    frame = draw(st.sampled_from([
        "{}", "PREFIX ex: <http://127.0.0.1:9999/> {}",
        "INSERT {{ ?s ?p ?o }} WHERE {{ {} }}", "SELECT * {{ ?s ?p ?o {} }}",
        "CLEAR ALL ; {}", "ASK {{ {} }}",
    ]))
    return frame.format(before + word + glue)


@settings(max_examples=400, deadline=None)
@given(glued())
def test_generated_glued_keywords_are_never_let_through(text: str) -> None:
    with pytest.raises((sparql_lex.RemoteError, sparql_lex.LexError)):
        sparql_lex.analyse(text)
