"""``hendelse export``: the store's events as PLOVER JSON, GDELT TSV, CSV, Parquet or GeoJSON.

Registered on the Typer app in ``hendelse/cli.py``; nothing heavy is imported
until the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from hendelse.store.cli_commands import _parse_near

err_console = Console(stderr=True)

FORMAT_HELP = (
    "plover-json (POLECAT's fields, one JSON object a line), gdelt-tsv (the 61 columns "
    "of GDELT 2.0 events), csv, parquet (a directory partitioned by date) or geojson "
    "(located events as points)."
)


def export_command(
    output_format: Annotated[
        str, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)
    ],
    db: Annotated[
        Path, typer.Option("--db", help="The store: a DuckDB file made by hendelse ingest.")
    ] = Path("events.duckdb"),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write (standard output when not given), or for parquet the "
            "directory (new or empty; required).",
        ),
    ] = None,
    header: Annotated[
        bool,
        typer.Option("--header", help="gdelt-tsv: start with a line of GDELT's column names."),
    ] = False,
    event_type: Annotated[
        str | None,
        typer.Option("--type", "-t", help="PLOVER categories, comma-separated: ASSAULT,COERCE."),
    ] = None,
    quad: Annotated[
        str | None,
        typer.Option("--quad", help="Quad classes, comma-separated: 'material conflict'."),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor",
            help="An actor's name (substring), or a country or sector code in capitals "
            "(RUS, GOV); name:, country:, sector: to be explicit.",
        ),
    ] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", help="A recipient, as for --actor.")
    ] = None,
    place: Annotated[
        str | None,
        typer.Option("--place", help="A place name (substring) or a country code (UKR)."),
    ] = None,
    near: Annotated[
        str | None,
        typer.Option("--near", help="LAT,LON,KM: events located within KM km of the point."),
    ] = None,
    date_from: Annotated[
        str | None,
        typer.Option("--from", help="Events on or after this day (2023, 2023-09, 2023-09-12)."),
    ] = None,
    date_to: Annotated[
        str | None,
        typer.Option("--to", help="Events on or before this day (2023-09 = to Sept 30)."),
    ] = None,
    factuality: Annotated[
        str | None,
        typer.Option("--factuality", help="Comma-separated: asserted, planned, reported, …"),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Who the event is attributed to, as for --actor."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="A substring of the event's sentence (any case)."),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option("--min-confidence", min=0.0, max=1.0, help="Events at least this sure."),
    ] = None,
) -> None:
    """Export events from a store: PLOVER JSON, GDELT TSV, CSV, Parquet or GeoJSON.

    Takes the filters of hendelse query (all must hold) and writes every
    event that passes, newest first. docs/export.md describes each format
    field by field.

    Examples:

      hendelse export --format plover-json --output hendelser.jsonl

      hendelse export --format gdelt-tsv --type ASSAULT --from 2023-09 > angrep.tsv

      hendelse export --format parquet --output hendelser-parquet/

      hendelse export --format geojson --place NOR --output norge.geojson
    """
    from hendelse.store.db import StoreError
    from hendelse.store.export import ExportError, export

    near_value = _parse_near(near) if near else None
    try:
        result = export(
            db,
            output_format,
            output,
            header=header,
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
        )
    except ExportError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(2) from None
    except StoreError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    except ValueError as err:  # a bad date or --near
        raise typer.BadParameter(str(err)) from None
    where = f" to {escape(str(result.output))}" if result.output else ""
    if result.format == "geojson":
        what = f"{result.written} located events (of {result.events})"
    else:
        what = f"{result.written} events"
    if result.format == "parquet":
        where += f" in {result.files} files"
    err_console.print(f"{result.format}: {what}{where}")
    if not result.events:
        err_console.print("no events match the filters")
