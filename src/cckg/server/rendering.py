"""What the HTML pages share: `render` (the one place templates become responses), small
SELECTs over the store, links to things, and escaping for messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cckg.rdf.terms import curie
from cckg.server.context import AppContext
from cckg.server.urls import Urls, is_web_link
from cckg.server.views import Label, Value

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


_ENV.tests["web_link"] = is_web_link


def printable(text: str) -> str:
    """`text` with every non-printable character escaped as Python writes it (NUL as \\x00,
    newline as \\n), so an error message never echoes raw control characters."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render(
    request: Request, ctx: AppContext, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A template rendered as an HTML response, with `urls` for this request."""
    urls = ctx.urls.for_request(request)
    html = _ENV.get_template(name).render(urls=urls, **context)
    return HTMLResponse(html, status_code=status)


def link_from_row(urls: Urls, row: dict[str, Any]) -> Value:
    """A link from a row with ?s, ?len (English label) and ?lzh (Chinese label)."""
    iri = row["s"].value
    label = Label(literal_text(row.get("len")), literal_text(row.get("lzh")), curie(iri))
    return Value(label.text, href=urls.href(iri), iri=iri)


def literal_text(term: ox.Literal | None) -> str | None:
    return term.value if term is not None else None
