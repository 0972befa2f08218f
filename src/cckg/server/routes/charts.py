"""/map, /timeline, /compare: the charts researchers expect, each with a table beside it.

The page embeds its data as JSON for the chart (static/charts.js draws it with the vendored
ECharts) and renders the same data as a table, which is the chart's text alternative and
works without JavaScript. /map.json and /timeline.json give the data alone.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse

from cckg.rdf.query_exec import select_rows
from cckg.server import charts
from cckg.server.context import AppContext
from cckg.server.lists import ListError, Select, Tokens
from cckg.server.rendering import render

MAX_COMPARED = 6


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json")


def router(ctx: AppContext) -> APIRouter:
    """GET/HEAD /map[.json], /timeline[.json], /compare and /favicon.ico."""
    api = APIRouter()

    def run(sparql: str) -> list[dict[str, Any]]:
        return select_rows(ctx.store, sparql)

    query: Select = run

    def place_iri(request: Request, token: str) -> str:
        return Tokens(ctx.urls.for_request(request).base_iri).iri(token, "place")

    @api.api_route("/map", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def map_page(request: Request) -> HTMLResponse:
        data = charts.map_data(query)
        return render(request, ctx, "map.html", data=data, data_json=data.as_json())

    @api.api_route("/map.json", methods=["GET", "HEAD"])
    def map_json() -> Response:
        return _json(charts.map_data(query).as_json())

    @api.api_route("/timeline", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def timeline_page(request: Request) -> HTMLResponse:
        data = charts.timeline(query)
        return render(request, ctx, "timeline.html", data=data, data_json=data.as_json())

    @api.api_route("/timeline.json", methods=["GET", "HEAD"])
    def timeline_json(
        request: Request, place: str | None = Query(None, max_length=300)
    ) -> Response:
        try:
            iri = place_iri(request, place) if place else None
        except ListError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=400)
        return _json(charts.timeline(query, iri).as_json())

    @api.api_route("/compare", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def compare_page(request: Request) -> Response:
        tokens = request.query_params.getlist("place")[:MAX_COMPARED]
        known = charts.jurisdictions(query)
        by_iri = {j["iri"]: j for j in known}
        try:
            iris = [place_iri(request, t) for t in tokens]
        except ListError as exc:
            return PlainTextResponse(exc.message + "\n", status_code=400)
        unknown = [t for t, i in zip(tokens, iris, strict=True) if i not in by_iri]
        if unknown:
            return PlainTextResponse(
                f"place: {', '.join(unknown)} is no jurisdiction with commitments.\n"
                "How to fix: pick places from the list on /compare (e.g. place=place/370000)\n",
                status_code=400,
            )
        sides = charts.compare(query, iris) if iris else []
        token_of = Tokens(ctx.urls.for_request(request).base_iri).token
        return render(
            request, ctx, "compare.html", sides=sides,
            kinds=[k for k in charts.kind_labels() if any(k[0] in s.by_kind for s in sides)],
            choices=[{**j, "token": token_of(j["iri"]), "chosen": j["iri"] in iris}
                     for j in known],
        )

    @api.api_route("/favicon.ico", methods=["GET", "HEAD"])
    def favicon(request: Request) -> Response:
        return RedirectResponse(ctx.urls.for_request(request).page("static/favicon.svg"), 301)

    return api
