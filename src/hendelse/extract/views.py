"""Showing event records to people (Rich) — the JSON is the record itself."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

FACTUALITY_STYLE = {
    "asserted": "green",
    "planned": "cyan",
    "expected": "cyan",
    "possible": "yellow",
    "reported": "yellow",
    "denied": "red",
    "negated": "red",
    "historical": "dim",
}


def _names(record: dict, roles: list[dict]) -> str:
    entities = {e["id"]: e for e in record["entities"]}
    out = []
    for role in roles:
        entity = entities.get(role["entity"], {})
        label = entity.get("name", role["entity"])
        extra = "/".join(x for x in (entity.get("country"), entity.get("sector")) if x)
        out.append(f"{label} ({extra})" if extra else label)
    return ", ".join(out) or "–"


def print_record(console: Console, record: dict, explain: bool = False) -> None:
    """One article's events as a table; with ``explain``, what produced each field."""
    article = record["article"]
    title = article.get("title") or article["id"]
    console.print(
        f"[bold]{title}[/]  [dim]{article['id']} · published {article.get('published') or '?'}"
        f" · {len(record['events'])} events[/]"
    )
    places = {p["id"]: p for p in record["places"]}
    table = Table(show_lines=True, expand=True)
    for column in ("event", "who → whom", "where / when", "how certain / who says", "evidence"):
        table.add_column(column, overflow="fold")
    entities = {e["id"]: e for e in record["entities"]}
    for event in record["events"]:
        kind = Text(event["type"], style="bold")
        if event.get("mode"):
            kind.append(f" ({event['mode']})")
        kind.append(f"\n{event['quad']}\nCAMEO {event['cameo']}", style="dim")
        who = _names(record, event["actor"])
        if event["recipient"]:
            who += " → " + _names(record, event["recipient"])
        where = "–"
        if event["location"]:
            place = places[event["location"]["place"]]
            where = place["name"] + (f" ({place['country']})" if place.get("country") else "")
        when = "–"
        if event["time"]:
            t = event["time"]
            bits = [t.get("value") or "?"]
            bits += [x for x in (t.get("weekday"), t.get("part")) if x]
            when = " ".join(bits)
        certainty = Text(event["factuality"], style=FACTUALITY_STYLE.get(event["factuality"], ""))
        sources = [entities[a["entity"]]["name"] for a in event["attribution"]]
        if sources:
            certainty.append("\naccording to " + " → ".join(sources))
        certainty.append(f"\nconfidence {event['confidence']:.2f}", style="dim")
        evidence = Text(event["sentence"]["text"])
        if event["mentions"]:
            evidence.append(f"\n+{len(event['mentions'])} more mention(s)", style="dim")
        if explain:
            lines = [f"{k}: {v}" for k, v in event.get("explain", {}).items()]
            evidence.append("\n" + "\n".join(lines), style="dim")
        table.add_row(kind, who, f"{where}\n{when}", certainty, evidence)
    console.print(table)
    if explain:
        for entity in record["entities"]:
            how = "; ".join(entity.get("explain", [])) or "named in the text"
            console.print(
                f"  [bold]{entity['id']}[/] {entity['name']} [dim]{entity['type']} "
                f"{entity.get('country') or '?'} {entity.get('sector') or ''}: {how}[/]"
            )
    console.print()
