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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from hendelse.store.db import Store
from hendelse.store.export.events import ExportEvent, iter_events
from hendelse.store.query import EventFilter, event_filter

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


def _text_writer(fmt: str, header: bool) -> Callable[[Iterable[ExportEvent], TextIO], int]:
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


class _Counted:
    """An iterator over ``items`` that counts what it has handed on."""

    def __init__(self, items: Iterable[ExportEvent]) -> None:
        self._items = iter(items)
        self.count = 0

    def __iter__(self) -> Iterator[ExportEvent]:
        return self

    def __next__(self) -> ExportEvent:
        item = next(self._items)
        self.count += 1
        return item


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
    text stream; None writes text formats to standard output. A regular file
    is written under a temporary name and renamed when complete, so a failed
    export leaves no half file; a device or a named pipe (``/dev/null``, a
    FIFO) is written to as it is. ``header`` adds GDELT's column names as a
    first line (``gdelt-tsv`` only). Events are read and written in batches,
    so memory does not grow with the size of the export.

    Raises :class:`ExportError` for a request that cannot be made,
    ``ValueError`` for a bad filter (a date, ``near``) and
    :class:`hendelse.store.StoreError` for a store that cannot be read.
    """
    check_request(fmt, output, header)
    f = event_filter(**filters)
    if isinstance(db, Store):
        return _write(db, f, fmt, output, header)
    with Store.open(db, read_only=True) as store:
        return _write(store, f, fmt, output, header)


def _write(
    store: Store, f: EventFilter, fmt: str, output: str | Path | TextIO | None, header: bool
) -> ExportResult:
    events = _Counted(iter_events(store, f))
    if fmt in DIRECTORY_FORMATS:
        from hendelse.store.export.parquet import write_parquet

        directory = Path(output)  # type: ignore[arg-type]  # check_request made sure
        files = write_parquet(events, directory)
        return ExportResult(fmt, events.count, events.count, directory, files)
    write = _text_writer(fmt, header)
    if output is None or not isinstance(output, str | Path):
        written = write(events, output or sys.stdout)
        return ExportResult(fmt, events.count, written, None)
    path = Path(output)
    if path.exists() and not path.is_file():  # a device or a pipe: /dev/null, /dev/stdout
        with path.open("w", encoding="utf-8", newline="") as out:
            written = write(events, out)
        return ExportResult(fmt, events.count, written, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    unfinished = path.with_name(f".{path.name}.part")
    try:
        with unfinished.open("w", encoding="utf-8", newline="") as out:
            written = write(events, out)
        os.replace(unfinished, path)
    finally:
        unfinished.unlink(missing_ok=True)
    return ExportResult(fmt, events.count, written, path)


__all__ = ["DIRECTORY_FORMATS", "FORMATS", "ExportError", "ExportResult", "export"]
