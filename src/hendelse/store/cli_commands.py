"""The store's commands for the ``hendelse`` command line: ingest, query, sql.

Register them on the Typer app (``hendelse/cli.py``)::

    from hendelse.store.cli_commands import ingest_command, query_command, sql_command

    app.command("ingest")(ingest_command)
    app.command("query")(query_command)
    app.command("sql")(sql_command)

Nothing heavy is imported until a command runs.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err_console = Console(stderr=True)

FORMATS = ("table", "json", "csv")

DbOpt = Annotated[
    Path,
    typer.Option(
        "--db",
        help="The store: a DuckDB file. ingest creates it; query and sql read it (or a lake "
        "folder that ingest --engine spark wrote).",
    ),
]
OutputFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table (for people), json (one object a line) or csv (with a header row).",
    ),
]


def _check_format(value: str) -> None:
    if value not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")


# -- ingest ----------------------------------------------------------------------


def ingest_command(
    sources: Annotated[
        list[str],  # not Path, which would make the spark engine's hdfs://nn/x hdfs:/nn/x
        typer.Argument(
            help="Article files, folders (read recursively, in name order) or '-' for "
            "standard input: plain text, HTML, JSONL (.jsonl, .jsonl.gz). With --engine "
            "spark: any path Spark reads (hdfs://, s3a://, globs).",
            show_default=False,
        ),
    ],
    db: DbOpt = Path("events.duckdb"),
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="Processes that parse and extract (each loads the model once, about "
            "250 MB). 1 works in this process; use up to the number of CPU cores.",
        ),
    ] = 1,
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date for every input (ISO 8601, may be partial: 2023-09). "
            "Overrides dates in the files.",
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the summary as JSON to FILE: counts, every skipped input with "
            "its file, line and reason.",
        ),
    ] = None,
    language_check: Annotated[
        bool,
        typer.Option(
            "--language-check/--no-language-check",
            help="Skip articles that are not Norwegian (the default), or read every "
            "article as Bokmål.",
        ),
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Extract again articles whose content is unchanged (after a model update).",
        ),
    ] = False,
    progress: Annotated[
        bool,
        typer.Option("--progress/--no-progress", help="Show the progress bar on stderr."),
    ] = True,
    stories: Annotated[
        bool,
        typer.Option(
            "--stories/--no-stories",
            help="After storing, put new events into story events (the default); "
            "--no-stories leaves that to a later ingest or `hendelse stories`.",
        ),
    ] = True,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="local: worker processes on this machine write --db. spark: a Spark job "
            "(pip install 'hendelse[spark]', Java 17) writes a Parquet lake (--lake).",
        ),
    ] = "local",
    lake: Annotated[
        str | None,
        typer.Option(
            "--lake",
            help="With --engine spark: the lake folder to write (local, hdfs://, s3a://); "
            "date-partitioned Parquet that query, sql and DuckDB read. Replaced if it exists.",
        ),
    ] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="With --engine spark: the Spark master (default local[*], or the one "
            "spark-submit was given): local[4], yarn, spark://host:7077, k8s://….",
        ),
    ] = None,
) -> None:
    """Store the events of an archive of articles in a DuckDB file.

    Reads the articles, extracts their events (hendelse/1 records) in
    --workers processes and stores each article with its entities, places
    and events in the store. An article is stored under its id (a JSONL
    record's "id", a file's name, or a hash of its text); storing it again
    replaces what was stored before, and an article whose content did not
    change is skipped as unchanged. Bad inputs are listed with their file
    and line and skipped; the rest goes on.

    Interrupted (Ctrl-C, a crash, kill -9)? Run the same command again: it
    resumes where it stopped and ends with the same store an uninterrupted
    run gives.

    Examples:

      hendelse ingest arkiv/ --db hendelser.duckdb

      hendelse ingest nrk-2023.jsonl.gz --db hendelser.duckdb --workers 4 --report ingest.json

      hendelse ingest side.html --published 2023-09-12

      hendelse ingest hdfs:///arkiv/ --engine spark --lake hdfs:///lake --spark-master yarn
    """
    from hendelse.scale.cli import check_engine

    check_engine(engine, lake, spark_master)
    if engine == "spark":
        from hendelse.scale.cli import spark_ingest_command

        spark_ingest_command(
            sources,
            lake=lake,
            master=spark_master,
            published=published,
            report=report,
            language_check=language_check,
            progress=progress,
            workers=workers,
            force=force,
            stories=stories,
        )
        return
    from hendelse.reader import ArticleError
    from hendelse.store.ingest import IngestError, ingest

    try:
        summary = ingest(
            sources,
            db,
            workers=workers,
            published=published,
            report=report,
            progress=progress,
            check_language=language_check,
            force=force,
            stories=stories,
        )
    except ArticleError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(2) from None
    except IngestError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print(
            "[yellow]interrupted[/]: what was stored is kept; run the same command again to resume."
        )
        raise typer.Exit(130) from None
    _print_summary(summary, listed=progress)
    if summary.skipped and not summary.articles_read:
        raise typer.Exit(1)


#: Skipped inputs listed after the summary when they were not listed as they came.
MAX_LISTED = 50


def _print_summary(summary: Any, *, listed: bool) -> None:
    table = Table(show_header=False, box=None, title="ingest", title_justify="left")
    table.add_row("articles read", str(summary.articles_read))
    table.add_row("stored", str(summary.stored))
    table.add_row("unchanged", str(summary.unchanged))
    if summary.duplicates:
        table.add_row("duplicates", f"{summary.duplicates} (same id and content again)")
    table.add_row("skipped", str(len(summary.skipped)))
    for reason, count in summary.skipped_reasons.items():
        table.add_row("", f"{count} × {escape(reason)}")
    table.add_row("events stored", str(summary.events_stored))
    table.add_row(
        "store now",
        f"{summary.store_articles} articles, {summary.store_events} events in {summary.db}",
    )
    if summary.stories is not None:
        done = summary.stories
        table.add_row(
            "stories",
            f"{done['events_assigned']} events clustered; {done['stories_total']} stories, "
            f"{done['multi_article_stories']} told by several articles",
        )
    table.add_row("time", f"{summary.seconds:.1f} s")
    console.print(table)
    if summary.skipped and not listed:
        for skipped in summary.skipped[:MAX_LISTED]:
            err_console.print(
                f"[yellow]skipped[/] {escape(skipped.where)}: {escape(skipped.reason)}"
            )
        if len(summary.skipped) > MAX_LISTED:
            err_console.print(
                f"… and {len(summary.skipped) - MAX_LISTED} more (--report FILE lists them all)"
            )


# -- the event filters of query and export ------------------------------------

TypeOpt = Annotated[
    str | None,
    typer.Option("--type", "-t", help="PLOVER categories, comma-separated: ASSAULT,COERCE."),
]
QuadOpt = Annotated[
    str | None,
    typer.Option(
        "--quad",
        help="Quad classes, comma-separated: 'verbal cooperation', 'material "
        "cooperation', 'verbal conflict', 'material conflict'.",
    ),
]
ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--actor",
        help="An actor's name (substring, any case), or a country or sector code in "
        "capitals (RUS, GOV). Prefix name:, country: or sector: to be explicit.",
    ),
]
RecipientOpt = Annotated[
    str | None, typer.Option("--recipient", help="A recipient, as for --actor.")
]
PlaceOpt = Annotated[
    str | None,
    typer.Option("--place", help="A place name (substring), or a country code in capitals (UKR)."),
]
NearOpt = Annotated[
    str | None,
    typer.Option(
        "--near",
        help="LAT,LON,KM: events located within KM kilometres of the point "
        "(60.39,5.32,50 for 50 km around Bergen).",
    ),
]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Events on or after this day (2023, 2023-09, 2023-09-12): the whole "
        "range of days the event can mean must lie within --from/--to.",
    ),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Events on or before this day (2023-09 = to Sept 30)."),
]
FactualityOpt = Annotated[
    str | None,
    typer.Option(
        "--factuality",
        help="Comma-separated: asserted, planned, expected, possible, reported, "
        "denied, negated, historical.",
    ),
]
SourceOpt = Annotated[
    str | None,
    typer.Option(
        "--source",
        help='Who the event is attributed to ("according to"), as for --actor: NTB, MED, USA.',
    ),
]
TextOpt = Annotated[
    str | None,
    typer.Option("--text", help="A substring of the event's sentence (any case)."),
]
MinConfidenceOpt = Annotated[
    float | None,
    typer.Option("--min-confidence", min=0.0, max=1.0, help="Events at least this sure."),
]


# -- query -----------------------------------------------------------------------

QUERY_TABLE_COLUMNS = ("date", "type", "actors", "recipients", "place", "factuality", "conf")


def query_command(
    db: DbOpt = Path("events.duckdb"),
    event_type: TypeOpt = None,
    quad: QuadOpt = None,
    actor: ActorOpt = None,
    recipient: RecipientOpt = None,
    place: PlaceOpt = None,
    near: NearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    factuality: FactualityOpt = None,
    source: SourceOpt = None,
    text: TextOpt = None,
    min_confidence: MinConfidenceOpt = None,
    output_format: OutputFormatOpt = "table",
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="At most N events (0: all).")
    ] = 100,
) -> None:
    """Find events in a store: filter by type, actor, place, date, factuality, source, text.

    Filters combine (all must hold); events come newest first. An event's
    date is its own time value's (an event "i går" in an article of
    2023-09-13 is 2023-09-12), else its article's publication date.

    Examples:

      hendelse query --type ASSAULT --place UKR --from 2023-09 --to 2023-09

      hendelse query --actor "Støre" --format json

      hendelse query --actor RUS --recipient UKR --factuality asserted,reported

      hendelse query --near 59.91,10.75,25 --type PROTEST --format csv > oslo.csv

      hendelse query --source NTB --text "møte"
    """
    _check_format(output_format)
    from hendelse.store.db import StoreError
    from hendelse.store.query import COLUMNS, query

    near_value = parse_near(near) if near else None
    try:
        rows = query(
            db,
            type=event_type,
            quad=quad,
            actor=actor,
            recipient=recipient,
            place=place,
            near=near_value,
            date_from=date_from,
            date_to=date_to,
            factuality=factuality,
            source=source,
            text=text,
            min_confidence=min_confidence,
            limit=limit or None,
        )
    except StoreError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    except ValueError as err:  # a bad date or --near
        raise typer.BadParameter(str(err)) from None
    columns = list(COLUMNS) + (["distance_km"] if near_value else [])
    if output_format == "table":
        _print_events(rows, near_value is not None, limit)
    else:
        _write_rows(columns, [tuple(r.get(c) for c in columns) for r in rows], output_format)


def parse_near(value: str) -> tuple[float, float, float]:
    parts = value.replace(" ", "").split(",")
    try:
        lat, lon, km = (float(p) for p in parts)
    except ValueError:
        raise typer.BadParameter(
            "give LAT,LON,KM, e.g. 60.39,5.32,50", param_hint="--near"
        ) from None
    return lat, lon, km


def _print_events(rows: list[dict[str, Any]], with_distance: bool, limit: int) -> None:
    if not rows:
        err_console.print("no events match")
        return
    table = Table(show_lines=False, expand=True)
    for name in QUERY_TABLE_COLUMNS:
        short = name in ("date", "type", "factuality", "conf")
        table.add_column(name, no_wrap=short, overflow="fold", ratio=None if short else 1)
    if with_distance:
        table.add_column("km", justify="right", no_wrap=True)
    table.add_column("sentence", overflow="fold", ratio=3)
    for row in rows:
        date = row["time_value"] or (f"({row['published']})" if row["published"] else "")
        place = row["place"] or ""
        if row["place_country"]:
            place += f" ({row['place_country']})"
        cells = [
            escape(date),
            row["type"] or "",
            escape(_names(row["actors"], row["actor_countries"])),
            escape(_names(row["recipients"], row["recipient_countries"])),
            escape(place),
            row["factuality"] or "",
            f"{row['confidence']:.2f}" if row["confidence"] is not None else "",
        ]
        if with_distance:
            cells.append(f"{row['distance_km']:.0f}")
        sentence = escape(row["sentence"] or "")
        if row["attributed_to"]:
            sources = escape(", ".join(map(str, row["attributed_to"])))
            sentence += f"  [dim](ifølge {sources})[/]"
        cells.append(sentence)
        table.add_row(*cells)
    console.print(table)
    note = "; dates in parentheses are publication dates"
    if limit and len(rows) == limit:
        note += f"; the first {limit} shown (--limit 0 shows all)"
    err_console.print(f"{len(rows)} events{note}")


def _names(names: Sequence[str | None] | None, countries: Sequence[str | None] | None) -> str:
    out = []
    for name, country in zip(names or [], countries or [], strict=False):
        out.append(f"{name} ({country})" if country else str(name))
    return ", ".join(out)


# -- sql -------------------------------------------------------------------------


def sql_command(
    statement: Annotated[
        str,
        typer.Argument(
            help="One SQL statement: SELECT, EXPLAIN, PRAGMA or CALL (DuckDB's dialect).",
            show_default=False,
        ),
    ],
    db: DbOpt = Path("events.duckdb"),
    output_format: OutputFormatOpt = "table",
) -> None:
    """Run a read-only SQL query on a store (DuckDB SQL; writes are refused).

    The tables are articles, entities, entity_mentions, places,
    place_mentions, events, event_actors, event_recipients, attributions and
    event_mentions, plus the view event_summary (one row per event with
    names joined in); docs/store.md describes every column. Events are
    keyed by (article_id, id).

    Examples:

      hendelse sql "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC"

      hendelse sql "SELECT a.name, a.country, count(*) AS n FROM event_actors a
        JOIN events e ON e.article_id = a.article_id AND e.id = a.event_id
        WHERE e.type = 'ASSAULT' GROUP BY ALL ORDER BY n DESC LIMIT 20"

      hendelse sql "SELECT * FROM event_summary WHERE place_country = 'UKR'" --format csv

      hendelse sql "DESCRIBE events"
    """
    _check_format(output_format)
    from hendelse.store.db import StoreError
    from hendelse.store.query import sql

    try:
        result = sql(db, statement)
    except StoreError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    if output_format == "table":
        table = Table()
        for name in result.columns:
            table.add_column(escape(name), overflow="fold")
        for row in result.rows:
            table.add_row(*(escape(_cell(v)) for v in row))
        console.print(table)
        err_console.print(f"{len(result.rows)} rows")
    else:
        json_columns = {i for i, kind in enumerate(result.types) if kind == "JSON"}
        _write_rows(result.columns, result.rows, output_format, json_columns)


# -- output ----------------------------------------------------------------------


def _cell(value: Any) -> str:
    """A value as text for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _write_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output_format: str,
    json_columns: set[int] | frozenset[int] = frozenset(),
) -> None:
    """Rows as JSON lines (JSON columns embedded as values) or CSV with a header."""
    out = sys.stdout
    if output_format == "json":
        for row in rows:
            values = [
                json.loads(v) if i in json_columns and isinstance(v, str) else v
                for i, v in enumerate(row)
            ]
            obj = dict(zip(columns, values, strict=True))
            out.write(json.dumps(obj, ensure_ascii=False, default=_json_default) + "\n")
        return
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
