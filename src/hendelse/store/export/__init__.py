"""Exports of the event store: PLOVER JSON, GDELT TSV, CSV, Parquet, GeoJSON.

:func:`export` selects events with ``hendelse query``'s filters and writes
them in one of :data:`FORMATS`::

    from hendelse.store.export import export

    export("hendelser.duckdb", "gdelt-tsv", "hendelser.tsv", type="ASSAULT")
    export("hendelser.duckdb", "parquet", "hendelser-parquet/", date_from="2023")

One module per format (``plover``, ``gdelt``, ``flat`` for CSV, ``parquet``,
``geojson``); ``events`` gathers the rows they share, ``codes`` the code
tables. ``docs/export.md`` documents every field of every format.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from hendelse.store.db import Store
from hendelse.store.export.events import ExportEvent, load_events
from hendelse.store.query import event_filter

#: The formats, in the order the documentation gives them.
FORMATS = ("plover-json", "gdelt-tsv", "csv", "parquet", "geojson")
#: Formats written to a directory rather than a file or standard output.
DIRECTORY_FORMATS = frozenset({"parquet"})


class ExportError(ValueError):
    """An export that cannot be made as asked (format, output, options)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    events: int  # events that passed the filters
    written: int  # records written: events, or located events for geojson
    output: Path | None  # None: standard output (or the stream given)
    files: int = 1  # parquet: files in the dataset


def _text_writer(fmt: str, header: bool) -> Callable[[Sequence[ExportEvent], TextIO], int]:
    """The writer of a text format; it returns how many records it wrote."""
    if fmt == "plover-json":
        from hendelse.store.export.plover import write_plover

        return write_plover
    if fmt == "gdelt-tsv":
        from hendelse.store.export.gdelt import write_gdelt

        return partial(write_gdelt, header=header)
    if fmt == "csv":
        from hendelse.store.export.flat import write_csv

        return write_csv
    from hendelse.store.export.geojson import write_geojson

    return write_geojson


def check_request(fmt: str, output: str | Path | TextIO | None, header: bool) -> None:
    """Refuse, before the store is read, an export that cannot be made as asked."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if header and fmt != "gdelt-tsv":
        raise ExportError(
            f"--header is for --format gdelt-tsv (GDELT files have no header line); "
            f"{fmt} output has its own layout"
        )
    if fmt in DIRECTORY_FORMATS:
        if not isinstance(output, str | Path):
            raise ExportError(
                f"{fmt} writes a directory of files, not to standard output: give --output DIR"
            )
        directory = Path(output)
        if directory.exists() and not directory.is_dir():
            raise ExportError(f"--output {directory} is a file; {fmt} needs a directory")
        if directory.is_dir() and any(directory.iterdir()):
            raise ExportError(
                f"--output {directory} is not empty: give a new or empty directory "
                "(an export never overwrites a dataset)"
            )
    elif isinstance(output, str | Path) and Path(output).is_dir():
        raise ExportError(f"--output {output} is a directory; {fmt} writes one file")


def export(
    db: Store | str | Path,
    fmt: str,
    output: str | Path | TextIO | None = None,
    *,
    header: bool = False,
    **filters: Any,
) -> ExportResult:
    """Write the events that pass ``filters`` in format ``fmt``.

    ``filters`` are the keyword arguments of
    :func:`hendelse.store.query.event_filter` (``type``, ``actor``,
    ``date_from``, …). ``output`` is a file (a directory for ``parquet``) or a
    text stream; None writes text formats to standard output. A file is
    written under a temporary name and renamed when complete, so a failed
    export leaves no half file. ``header`` adds GDELT's column names as a
    first line (``gdelt-tsv`` only).

    Raises :class:`ExportError` for a request that cannot be made,
    ``ValueError`` for a bad filter (a date, ``near``) and
    :class:`hendelse.store.StoreError` for a store that cannot be read.
    """
    check_request(fmt, output, header)
    f = event_filter(**filters)
    if isinstance(db, Store):
        events = load_events(db, f)
    else:
        with Store.open(db, read_only=True) as store:
            events = load_events(store, f)
    if fmt in DIRECTORY_FORMATS:
        from hendelse.store.export.parquet import write_parquet

        directory = Path(output)  # type: ignore[arg-type]  # check_request made sure
        files = write_parquet(events, directory)
        return ExportResult(fmt, len(events), len(events), directory, files)
    write = _text_writer(fmt, header)
    if output is None or not isinstance(output, str | Path):
        written = write(events, output or sys.stdout)
        return ExportResult(fmt, len(events), written, None)
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    unfinished = path.with_name(f".{path.name}.part")
    try:
        with unfinished.open("w", encoding="utf-8", newline="") as out:
            written = write(events, out)
        os.replace(unfinished, path)
    finally:
        unfinished.unlink(missing_ok=True)
    return ExportResult(fmt, len(events), written, path)


__all__ = ["DIRECTORY_FORMATS", "FORMATS", "ExportError", "ExportResult", "export"]
