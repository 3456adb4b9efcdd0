"""``/docs``: the API's documentation, rendered by the server from its OpenAPI schema.

FastAPI's own ``/docs`` loads Swagger UI from a CDN; this page is plain HTML
with no scripts and no external resources, so it works with no network. For
each endpoint it lists the parameters with their types, limits and
descriptions, and for ``GET`` endpoints without path parameters it offers a
form that sends the request (the answer is the JSON itself).
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem;
color:#1d1d1f}
h1{margin-bottom:.2rem}code,pre{font-family:ui-monospace,monospace;font-size:13px}
section{border-top:1px solid #ccc;padding:.6rem 0}
.m{display:inline-block;min-width:3.5rem;font-weight:bold;color:#fff;background:#2a6;
padding:0 .4rem;border-radius:3px;text-align:center}.m.post{background:#26a}
table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{border:1px solid #ddd;
padding:.2rem .4rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
form{background:#f7f7f7;padding:.5rem;border-radius:4px}form label{display:inline-block;
margin:.1rem .6rem .1rem 0}input{font:inherit;width:9rem}
"""


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"] if s.get("type") != "null")
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    return str(schema.get("type", "any"))


def _limits(schema: dict[str, Any]) -> str:
    found = []
    for key, label in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
    ):
        for part in [schema, *schema.get("anyOf", [])]:
            if key in part:
                found.append(f"{label} {part[key]}")
    if "default" in schema:
        found.append(f"default {schema['default']}")
    return ", ".join(found)


def _parameters(operation: dict[str, Any]) -> str:
    params = operation.get("parameters") or []
    if not params:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p['in'])}</td>"
        f"<td>{escape(_type(p.get('schema', {})))}</td>"
        f"<td>{'yes' if p.get('required') else ''}</td>"
        f"<td>{escape(_limits(p.get('schema', {})))}</td>"
        f"<td>{escape(p.get('description') or p.get('schema', {}).get('description') or '')}"
        "</td></tr>"
        for p in params
    )
    return (
        "<table><tr><th>parameter</th><th>in</th><th>type</th><th>required</th>"
        f"<th>limits</th><th>meaning</th></tr>{rows}</table>"
    )


def _form(path: str, operation: dict[str, Any]) -> str:
    params = operation.get("parameters") or []
    if any(p["in"] == "path" for p in params):
        return ""
    fields = "".join(
        f'<label>{escape(p["name"])} <input name="{escape(p["name"])}"></label>'
        for p in params
        if p["in"] == "query"
    )
    return (
        f'<form method="get" action="{escape(path)}">{fields}'
        '<button type="submit">Send</button> '
        "<small>(empty fields are left out: no filter)</small></form>"
    )


def _body(operation: dict[str, Any], schemas: dict[str, Any]) -> str:
    content = (operation.get("requestBody") or {}).get("content", {})
    schema = (content.get("application/json") or {}).get("schema")
    if not schema:
        return ""
    if "$ref" in schema:
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code></td><td>{escape(_type(prop))}</td>"
        f"<td>{'yes' if name in required else ''}</td>"
        f"<td>{escape(prop.get('description', ''))}</td></tr>"
        for name, prop in schema.get("properties", {}).items()
    )
    return (
        "<p>JSON body:</p><table><tr><th>field</th><th>type</th><th>required</th>"
        f"<th>meaning</th></tr>{rows}</table>"
    )


def render(spec: dict[str, Any]) -> str:
    """The documentation page for an OpenAPI schema."""
    info = spec.get("info", {})
    schemas = spec.get("components", {}).get("schemas", {})
    sections = []
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            responses = ", ".join(
                f"{code} {r.get('description', '')}" for code, r in op.get("responses", {}).items()
            )
            sections.append(
                f'<section id="{escape(op.get("operationId", path))}">'
                f'<h3><span class="m {method}">{method.upper()}</span> <code>{escape(path)}</code>'
                f" — {escape(op.get('summary', ''))}</h3>"
                f"<p>{escape(op.get('description', '')).replace(chr(10) + chr(10), '<br><br>')}</p>"
                f"{_parameters(op)}{_body(op, schemas)}"
                f"<p><small>Answers: {escape(responses)}</small></p>"
                f"{_form(path, op) if method == 'get' else ''}</section>"
            )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(info.get('title', 'API'))} API</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(info.get('title', 'API'))} API "
        f"<small>{escape(str(info.get('version', '')))}</small></h1>"
        f"<p>{escape(info.get('description', ''))}</p>"
        '<p>The machine-readable schema: <a href="/openapi.json">/openapi.json</a> (OpenAPI '
        f"{escape(str(spec.get('openapi', '')))}).</p>{''.join(sections)}</body></html>"
    )


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))
