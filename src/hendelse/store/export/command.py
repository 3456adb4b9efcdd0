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

from hendelse.store.cli_commands import (
    ActorOpt,
    FactualityOpt,
    FromOpt,
    MinConfidenceOpt,
    NearOpt,
    PlaceOpt,
    QuadOpt,
    RecipientOpt,
    SourceOpt,
    TextOpt,
    ToOpt,
    TypeOpt,
    parse_near,
)

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

    near_value = parse_near(near) if near else None
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
