"""Every URL the server builds: public IRIs <-> local URLs, the endpoint, the dumps.

The data's IRIs live under the public base IRI (https://w3id.org/cckg/); a server answers
them at its own URL (http://127.0.0.1:8000/), so https://w3id.org/cckg/id/place/350100 is
served at http://127.0.0.1:8000/id/place/350100 and the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from starlette.requests import Request

from cckg.pipeline.dist import DUMPS_PATH, SPARQL_PATH
from cckg.server.settings import Settings


def is_web_link(href: object) -> bool:
    """Whether `href` may be a link on a page: an absolute http(s) URL, nothing else.

    IRIs come from the data (and from updates); a `javascript:` or `data:` IRI made into
    an href would run in the reader's browser, so such IRIs are shown as text only.
    """
    if not isinstance(href, str):
        return False
    scheme, colon, rest = href.partition(":")
    return bool(colon) and scheme.lower() in {"http", "https"} and rest.startswith("//")


#: ASCII characters that may stay as they are in a URL in a header (RFC 3986 reserved
#: characters, and '%' so existing escapes are kept); letters, digits and "_.-~" always do.
_HEADER_SAFE = "!#$%&'()*+,/:;=?@[]"


def for_header(url: str) -> str:
    """A URL as an HTTP header can carry it: an IRI's non-ASCII characters (and spaces,
    quotes, angle brackets) percent-encoded as UTF-8 (RFC 3987, 3.1); ASCII URLs are
    unchanged."""
    return quote(url, safe=_HEADER_SAFE)


@dataclass(frozen=True)
class Urls:
    """URLs for one server address: `local_base` ends with '/', e.g. http://127.0.0.1:8000/."""

    base_iri: str
    local_base: str

    def local(self, iri: str) -> str | None:
        """The local URL serving a public IRI, or None if the IRI is not under the base."""
        if iri.startswith(self.base_iri):
            return self.local_base + iri[len(self.base_iri) :]
        return None

    def href(self, iri: str) -> str | None:
        """Where a page links for an IRI: its local URL, else the IRI itself if it is an
        http(s) URL; None (no link, show text) for anything else."""
        target = self.local(iri) or iri
        return target if is_web_link(target) else None

    def iri_for_path(self, path: str) -> str:
        """The public IRI of a local path such as '/id/place/350100'."""
        return self.base_iri + path.lstrip("/")

    def page(self, path: str) -> str:
        """The absolute local URL of a path on this server."""
        return self.local_base + path.lstrip("/")

    def endpoint(self) -> str:
        """The SPARQL endpoint's URL (also the base IRI of queries and updates)."""
        return self.local_base + SPARQL_PATH

    def inbound(self, resource_path: str, ext: str = "",
                params: list[tuple[str, str]] | None = None) -> str:
        """The URL of the list of links to /id/`resource_path`, in a format ('' for HTML,
        'csv', 'json'): /inbound/<resource_path>[.ext][?page=K]."""
        url = self.page(f"inbound/{resource_path}") + (f".{ext}" if ext else "")
        query = urlencode(params or [])
        return f"{url}?{query}" if query else url

    def dump(self, filename: str) -> str:
        """The URL of one dump file of dist/ (e.g. 'cckg.nq')."""
        return f"{self.local_base}{DUMPS_PATH}/{quote(filename)}"


@dataclass(frozen=True)
class UrlBuilder:
    """Makes `Urls` for a request, from CCKG_PUBLIC_URL if set, else the request's own URL."""

    base_iri: str
    public_url: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> UrlBuilder:
        """The builder for a server's settings."""
        return cls(settings.base_iri, settings.public_url)

    def at(self, local_base: str) -> Urls:
        """The URLs of a server reached at `local_base`."""
        base = local_base if local_base.endswith("/") else local_base + "/"
        return Urls(self.base_iri, base)

    def for_request(self, request: Request) -> Urls:
        """The URLs as seen by the client that sent `request`."""
        return self.at(self.public_url or str(request.base_url))
