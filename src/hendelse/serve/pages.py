"""The web pages: server-rendered shells (Jinja2) whose scripts read the JSON API.

Every page is rendered here with its interface text in Norwegian (default)
or English, the filter form filled in from the query string, and a
Content-Security-Policy that allows scripts, styles and connections from the
server itself only: no inline script, no CDN, no external map tiles. The
scripts in ``static/`` fetch ``/api/...`` and build the DOM with
``textContent``/``createElement`` only, so text from articles is never
parsed as HTML.

The language is ``?lang=nb|en`` (remembered in the ``hendelse_lang``
cookie), else the cookie, else Norwegian.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from hendelse.serve.params import plover_types
from hendelse.serve.shapes import ShapesError, countries_geojson

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LANGUAGES = ("nb", "en")
LANG_COOKIE = "hendelse_lang"
#: Filters of the event list, as the API names them (all optional).
TEXT_FILTERS = ("q", "actor", "recipient", "country", "place", "since", "until", "source")
LIST_FILTERS = ("type", "quad", "factuality")
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
FACTUALITIES = (
    "asserted",
    "planned",
    "expected",
    "possible",
    "reported",
    "denied",
    "negated",
    "historical",
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

router = APIRouter(include_in_schema=False)


@cache
def texts() -> dict[str, Any]:
    """The interface text (templates/texts.yaml), checked to have every language."""
    path = TEMPLATES / "texts.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in data.items():
        entries = value.values() if key.endswith("_names") else [value]
        for entry in entries:
            known = entry if isinstance(entry, dict) else {}
            missing = [lang for lang in LANGUAGES if lang not in known]
            if missing:
                raise ValueError(f"{path}: `{key}` lacks the text for {', '.join(missing)}")
    return data


@cache
def texts_for(lang: str) -> dict[str, Any]:
    """One language's texts: plain keys as strings, ``*_names`` as dicts of strings."""
    out: dict[str, Any] = {}
    for key, value in texts().items():
        if key.endswith("_names"):
            out[key] = {name: entry[lang] for name, entry in value.items()}
        else:
            out[key] = value[lang]
    return out


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _language(request: Request) -> tuple[str, bool]:
    """The page's language, and whether it was chosen now (then it is remembered)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked, True
    stored = request.cookies.get(LANG_COOKIE)
    return (stored if stored in LANGUAGES else "nb"), False


def _filters(request: Request) -> dict[str, Any]:
    """The event filters in the query string, for filling in the form."""
    params = request.query_params
    values: dict[str, Any] = {name: params.get(name, "") for name in TEXT_FILTERS}
    values["min_confidence"] = params.get("min_confidence", "")
    for name in LIST_FILTERS:
        chosen: list[str] = []
        for value in params.getlist(name):
            chosen += [v.strip() for v in value.split(",") if v.strip()]
        values[name] = chosen
    return values


def render(request: Request, template: str, page: str, **context: Any) -> HTMLResponse:
    """A page in the request's language, with the security headers."""
    lang, chosen = _language(request)
    t = texts_for(lang)
    other = "en" if lang == "nb" else "nb"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch_url = f"{quote(request.url.path)}?{urlencode([*query, ('lang', other)])}"
    html = (
        _environment()
        .get_template(template)
        .render(
            lang=lang,
            other_lang=other,
            switch_url=switch_url,
            t=t,
            page=page,
            filters=_filters(request),
            types=plover_types(),
            quads=QUADS,
            factualities=FACTUALITIES,
            **context,
        )
    )
    response = HTMLResponse(html, headers=SECURITY_HEADERS)
    if chosen:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response


@router.get("/", response_class=HTMLResponse)
def events_page(request: Request) -> HTMLResponse:
    return render(request, "events.html", "events")


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    return render(request, "article.html", "article", article_id=article_id)


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    return render(request, "map.html", "map")


@cache
def _countries_gzip() -> bytes:
    return gzip.compress(countries_geojson(), compresslevel=9, mtime=0)


@router.get("/map/countries.geojson")
def countries(request: Request) -> Response:
    """Natural Earth country outlines, simplified (see :mod:`hendelse.serve.shapes`).

    Sent gzip-compressed when the browser accepts it (about a quarter of the size).
    """
    try:
        compressed = "gzip" in request.headers.get("accept-encoding", "")
        body = _countries_gzip() if compressed else countries_geojson()
    except ShapesError as err:
        return JSONResponse({"detail": str(err)}, status_code=503)
    headers = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/geo+json", headers=headers)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request) -> HTMLResponse:
    return render(request, "timeline.html", "timeline")


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request) -> HTMLResponse:
    return render(request, "network.html", "network")


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request) -> HTMLResponse:
    return render(
        request,
        "stories.html",
        "stories",
        min_articles=request.query_params.get("min_articles", "1"),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    return render(request, "story.html", "stories", story_id=story_id)


@router.get("/paste", response_class=HTMLResponse)
def paste_page(request: Request) -> HTMLResponse:
    return render(request, "paste.html", "paste")
