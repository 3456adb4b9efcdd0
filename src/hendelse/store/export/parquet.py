"""``parquet``: the flat rows as a Parquet dataset partitioned by the event's date.

The directory is Hive-partitioned by ``year=``, ``month=`` and ``day=`` of the
days the event can lie in (its own time, else its article's date), each only
as precise as those days are: an event on 13 September 2023 is in
``year=2023/month=9/day=13/``, an event "in September" in
``year=2023/month=9/day=__HIVE_DEFAULT_PARTITION__/``, an event without any
date in ``year=__HIVE_DEFAULT_PARTITION__/…``. ``__HIVE_DEFAULT_PARTITION__``
is Hive's name for a missing value: pyarrow, DuckDB and Spark read it as NULL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from hendelse.store.export.events import ExportEvent
from hendelse.store.export.flat import FLAT_COLUMNS, FLAT_KINDS, flat_row

#: The partition columns, outermost first.
PARTITION_COLUMNS = ("year", "month", "day")
#: File names in each partition directory ({i} counts from 0).
BASENAME = "events-{i}.parquet"
#: Rows handed to pyarrow at a time; a row group holds at most five batches,
#: so that pyarrow flushes them instead of keeping a whole partition in memory.
BATCH_ROWS = 2000
#: Partitions one batch may write to (pyarrow's default, 1024, is below the
#: number of days in three years of news).
MAX_PARTITIONS = 100_000


def _schema() -> Any:
    import pyarrow as pa

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "date": pa.date32(),
        "list": pa.list_(pa.string()),
    }
    fields = [pa.field(name, types[FLAT_KINDS[name]]) for name in FLAT_COLUMNS]
    fields += [pa.field("year", pa.int16()), pa.field("month", pa.int8())]
    fields.append(pa.field("day", pa.int8()))
    return pa.schema(fields)


def _partition_values(event: ExportEvent) -> dict[str, int | None]:
    month, day = event.month, event.day
    return {
        "year": event.year,
        "month": month[1] if month else None,
        "day": day.day if day else None,
    }


def _record_batches(events: Iterable[ExportEvent], schema: Any) -> Iterator[Any]:
    import pyarrow as pa

    iterator = iter(events)
    while chunk := list(islice(iterator, BATCH_ROWS)):
        rows = [{**flat_row(e), **_partition_values(e)} for e in chunk]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def write_parquet(events: Iterable[ExportEvent], directory: Path) -> int:
    """Write the dataset into ``directory`` (new or empty); returns the number of files."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    schema = _schema()
    written: list[str] = []
    ds.write_dataset(
        pa.RecordBatchReader.from_batches(schema, _record_batches(events, schema)),
        directory,
        format="parquet",
        partitioning=ds.partitioning(
            pa.schema([schema.field(c) for c in PARTITION_COLUMNS]), flavor="hive"
        ),
        basename_template=BASENAME,
        existing_data_behavior="error",
        max_partitions=MAX_PARTITIONS,
        max_rows_per_group=BATCH_ROWS * 5,
        file_visitor=lambda f: written.append(f.path),
    )
    return len(written)
