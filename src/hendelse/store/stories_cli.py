"""``hendelse stories``: list the story events of a store, or show one.

Registered on the Typer app in ``hendelse/cli.py``. Before listing, the store
is brought up to date when it needs it (an older schema, or events that are
in no story yet because they were ingested with ``--no-stories``); that
opens it for writing once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def stories_command(
    db: Annotated[
        Path,
        typer.Option(
            "--db", help="The store: a DuckDB file made by `hendelse ingest`, or a lake folder."
        ),
    ] = Path("events.duckdb"),
    event_type: Annotated[
        str | None,
        typer.Option("--type", "-t", help="PLOVER categories, comma-separated: CONSULT,AID."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="An actor or recipient of the story: a name (substring, any case), or a "
            "country or sector code in capitals (NOR, GOV); name:, country:, sector: to be "
            "explicit.",
        ),
    ] = None,
    min_articles: Annotated[
        int,
        typer.Option(
            "--min-articles",
            min=1,
            help="Stories told by at least N articles (1 lists single-article stories too).",
        ),
    ] = 2,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table (for people) or json (one story a line, with its articles, "
            "events and factuality history).",
        ),
    ] = "table",
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Cluster every event of the store again (after a change to the rules).",
        ),
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="At most N stories (0: all).")
    ] = 50,
    story_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="Show this story: every event, when and by whom it was reported, why."
        ),
    ] = None,
) -> None:
    """List story events: events of several articles that describe the same real event.

    Each story keeps every article and outlet that reported it, when it was
    first and last seen, and how its factuality changed (planned→asserted,
    asserted→denied). Stories come most recently seen first. `hendelse
    ingest` keeps them current; a store ingested with --no-stories or made
    by an older hendelse is brought up to date here first.

    Examples:

      hendelse stories --db hendelser.duckdb

      hendelse stories --type CONSULT --actor NOR --format json

      hendelse stories --id S4b843ef12547
    """
    if output_format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    from hendelse.store.db import StoreError
    from hendelse.store.stories import get_story, list_stories

    try:
        _bring_up_to_date(db, rebuild)
        if story_id is not None:
            story = get_story(db, story_id)
            if story is None:
                err_console.print(f"[red]error:[/] no story {escape(story_id)} in {db}")
                raise typer.Exit(1)
            if output_format == "json":
                _write_json(story)
            else:
                _print_story(story)
            return
        total, rows = list_stories(
            db, type=event_type, actor=actor, min_articles=min_articles, limit=limit or None
        )
        if output_format == "json":
            for row in rows:
                _write_json(get_story(db, row["id"]))
        else:
            _print_stories(rows)
    except StoreError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    shown = f"{len(rows)} of {total}" if len(rows) < total else str(total)
    note = "" if min_articles > 1 else "; --min-articles 2 for stories told more than once"
    err_console.print(
        f"{shown} stories told by at least {min_articles} article(s){note}; --id ID shows one"
    )


def _bring_up_to_date(db: Path, rebuild: bool) -> None:
    """Migrate an older store and cluster events that are in no story yet."""
    from hendelse.store.db import Store, StoreError
    from hendelse.store.schema import SCHEMA_VERSION
    from hendelse.store.stories import pending_events, update_stories

    if not rebuild:
        with Store.open(db, read_only=True) as store:
            if store.version == SCHEMA_VERSION and pending_events(store) == 0:
                return
    if db.is_dir():
        raise StoreError(
            f"{db} is a Parquet lake, which is read-only here: its story events are grouped "
            f"by `hendelse ingest --engine spark --lake {db}` (not for a lake that was not "
            "on the driver's disk); to regroup them, load the lake into a store file "
            "(hendelse.store.lake.load_lake) and give --db that file"
        )
    with Store.open(db) as store:
        done = update_stories(store, rebuild=rebuild)
    err_console.print(
        f"stories updated: {done.events_assigned} events clustered into "
        f"{done.stories_written} stories ({done.seconds:.1f} s)"
    )


def _write_json(story: dict[str, Any] | None) -> None:
    sys.stdout.write(json.dumps(story, ensure_ascii=False) + "\n")


def _who(story: dict[str, Any]) -> str:
    who = ", ".join(story["actors"] or [])
    if story["recipients"]:
        who += " → " + ", ".join(story["recipients"])
    return who


def _where(story: dict[str, Any]) -> str:
    place = story["place"] or ""
    if story["place_country"] and story["place_country"] != place:
        place += f" ({story['place_country']})" if place else story["place_country"]
    return place


def _seen(story: dict[str, Any], between: str = " – ") -> str:
    first, last = story["first_seen"] or "?", story["last_seen"] or "?"
    return first if first == last else f"{first}{between}{last}"


def _print_stories(rows: list[dict[str, Any]]) -> None:
    """One story a row of two lines: id and type, first and last seen, who and where."""
    if not rows:
        err_console.print("no stories match")
        return
    table = Table(expand=True, box=box.SIMPLE_HEAD)
    table.add_column("story", no_wrap=True)
    table.add_column("seen", no_wrap=True)
    table.add_column("who / where", overflow="fold", ratio=3)
    table.add_column("art.", justify="right", no_wrap=True)
    table.add_column("sources", overflow="fold", ratio=2)
    table.add_column("factuality", no_wrap=True)
    for row in rows:
        where = _where(row)
        table.add_row(
            f"{row['id']}\n{row['type']}",
            _seen(row, "\n"),
            escape(_who(row)) + (f"\n[dim]{escape(where)}[/]" if where else ""),
            str(row["n_articles"]),
            escape(", ".join(row["sources"] or [])),
            "→\n".join(row["factuality_path"] or []),
        )
    console.print(table)


def _print_story(story: dict[str, Any]) -> None:
    facts = Table(show_header=False, box=None, title=story["id"], title_justify="left")
    facts.add_row("type", f"{story['type']} ({story['quad']})")
    facts.add_row("who", escape(_who(story)))
    facts.add_row("where", escape(_where(story)) or "–")
    dates = story["date_first"] or "?"
    if story["date_last"] and story["date_last"] != story["date_first"]:
        dates += f" – {story['date_last']}"
    facts.add_row("when", dates)
    facts.add_row("seen", f"{_seen(story)} in {story['n_articles']} article(s)")
    facts.add_row("sources", escape(", ".join(story["sources"] or [])))
    facts.add_row("factuality", " → ".join(story["factuality_path"] or []))
    console.print(facts)
    articles = {a["id"]: a for a in story["articles"]}
    table = Table(expand=True)
    table.add_column("published", no_wrap=True)
    table.add_column("source", no_wrap=True)
    table.add_column("factuality", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("sentence", overflow="fold", ratio=3)
    table.add_column("why here", overflow="fold", ratio=2)
    for event in story["events"]:
        article = articles[event["article_id"]]
        table.add_row(
            escape(article["published"] or ""),
            escape(article["source"] or ""),
            event["factuality"] or "",
            event["date"] or "",
            escape(event["sentence"] or ""),
            escape(_why(event)),
        )
    console.print(table)


def _why(event: dict[str, Any]) -> str:
    why = event["why"] or {}
    if "closest" not in why:
        return str(why.get("alone", ""))
    closest = why["closest"]
    parts = [f"{event['similarity']:.2f} with {closest['article_id']}/{closest['event_id']}"]
    for role in ("participants", "actors", "recipients"):
        if isinstance(why.get(role), list):
            parts.append(f"{role}: {', '.join(why[role])}")
    parts += [str(why[k]) for k in ("place", "dates") if k in why]
    return "; ".join(parts)
