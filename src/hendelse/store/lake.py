"""The event lake: the store's tables as date-partitioned Parquet files in a folder.

A lake is what ``hendelse ingest --engine spark`` writes, and what
:func:`write_lake_from_store` exports from a DuckDB store::

    LAKE/
      schema_version/part-….parquet            one row: version, hendelse, created_at
      stories/part-0.parquet, story_events/…   the story tables, not partitioned
      articles/date=2023-09-12/part-….parquet
      articles/date=unknown/part-….parquet      articles without a publication date
      events/date=2023-09-11/part-….parquet
      …                                         one folder for each table of schema.TABLES

Every table has the columns of the store's table of the same name (JSON
columns are Parquet strings), plus the Hive partition column ``date``
(``YYYY-MM-DD`` or :data:`UNKNOWN_DATE`), which is in the folder names, not
in the files. Which day a row belongs to:

- ``articles``, ``entities``, ``entity_mentions``, ``places``,
  ``place_mentions``: the article's first publication day
  (``published_first``: "2023-09" is filed under 2023-09-01);
- ``events`` and its children (``event_actors``, ``event_recipients``,
  ``attributions``, ``event_mentions``): the event's first day as
  ``event_summary`` gives it, its own ``event_date`` when it has one, else
  its article's ``published_first``.

:func:`open_lake` gives a read-only :class:`~hendelse.store.db.Store` over a
lake: an in-memory DuckDB connection with a view per table, named and typed
like the store's tables, and the store's ``event_summary`` view.

The story tables (``schema.STORY_TABLES``) are derived from all events at
once, so the spark engine leaves them empty (their folders have no files);
:func:`write_lake_from_store` exports a store's stories as they are. So
``hendelse query --db LAKE`` and ``hendelse sql --db LAKE`` read a lake as
they read a store (``Store.open`` opens a folder as a lake).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse import __version__
from hendelse.store import schema
from hendelse.store.db import SchemaVersionError, Store, StoreError, _version_message

if TYPE_CHECKING:
    import duckdb

    from hendelse.store.db import Row

#: The Hive partition column.
PARTITION_COLUMN = "date"
#: The partition of rows without a day (an undated article, an undated event in one).
UNKNOWN_DATE = "unknown"
#: The partition column is text ("unknown" is no date), not guessed from the values.
HIVE_TYPES = f"hive_types = {{'{PARTITION_COLUMN}': 'VARCHAR'}}"
#: The lake's own table, like the store's ``schema_version``.
VERSION_TABLE = "schema_version"
VERSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("version", "INTEGER"),
    ("hendelse", "VARCHAR"),
    ("created_at", "TIMESTAMP"),
)
#: Tables without date partitions: the lake's version, the derived story tables.
FLAT_TABLES = frozenset({VERSION_TABLE} | {t.name for t in schema.STORY_TABLES})
#: The folders a lake may hold.
LAKE_FOLDERS = frozenset(
    {VERSION_TABLE} | {t.name for t in schema.TABLES} | {t.name for t in schema.STORY_TABLES}
)
#: Tables whose rows are filed under their article's publication day.
ARTICLE_TABLES = frozenset({"articles", "entities", "entity_mentions", "places", "place_mentions"})
#: Tables whose rows are filed under their event's day (the rest).
EVENT_TABLES = frozenset(t.name for t in schema.TABLES) - ARTICLE_TABLES


def base_type(kind: str) -> str:
    """A column's DuckDB type without constraints: "VARCHAR NOT NULL" -> "VARCHAR"."""
    return kind.split()[0]


def day_value(day: dt.date | None) -> str:
    """The partition value of a day: ``2023-09-12``, or ``unknown``."""
    return day.isoformat() if day is not None else UNKNOWN_DATE


def partition_days(rows: Mapping[str, Sequence[Row]]) -> dict[str, list[str]]:
    """The ``date`` partition value of every row of one article (rows as from
    :func:`hendelse.store.db.record_rows`), table by table, row by row."""
    article = rows["articles"][0]
    published = article["published_first"]
    event_days = {
        event["id"]: event["event_date"] or published for event in rows.get("events") or []
    }
    out: dict[str, list[str]] = {}
    for table in schema.TABLES:
        table_rows = rows.get(table.name) or []
        if table.name in ARTICLE_TABLES:
            out[table.name] = [day_value(published)] * len(table_rows)
        elif table.name == "events":
            out[table.name] = [day_value(event_days[r["id"]]) for r in table_rows]
        else:
            out[table.name] = [day_value(event_days.get(r["event_id"])) for r in table_rows]
    return out


def _partition_sql(table: str) -> tuple[str, str]:
    """``(FROM clause, day expression)`` of a store table, as :func:`partition_days` files it."""
    day = "a.published_first"
    if table == "articles":
        source = "articles t"
        day = "t.published_first"
    elif table in ARTICLE_TABLES:
        source = f"{table} t JOIN articles a ON a.id = t.article_id"
    elif table == "events":
        source = "events t JOIN articles a ON a.id = t.article_id"
        day = "coalesce(t.event_date, a.published_first)"
    else:
        source = (
            f"{table} t JOIN events e ON e.article_id = t.article_id AND e.id = t.event_id "
            "JOIN articles a ON a.id = t.article_id"
        )
        day = "coalesce(e.event_date, a.published_first)"
    return source, f"coalesce(strftime({day}, '%Y-%m-%d'), '{UNKNOWN_DATE}')"


def table_folder(lake: str | Path, table: str) -> Path:
    return Path(lake) / table


def parquet_glob(lake: str | Path, table: str) -> str:
    """The files of a table: ``LAKE/TABLE/date=*/*.parquet``, or ``LAKE/TABLE/*.parquet``
    for the tables without partitions."""
    folder = table_folder(lake, table).resolve()
    if table in FLAT_TABLES:
        return str(folder / "*.parquet")
    return str(folder / f"{PARTITION_COLUMN}=*" / "*.parquet")


def is_lake(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding a lake (its ``schema_version`` table)."""
    return any(table_folder(path, VERSION_TABLE).glob("*.parquet"))


# -- writing from a DuckDB store -------------------------------------------------------


def write_lake_from_store(store: Store, lake: str | Path) -> dict[str, int]:
    """Export a store's tables to a lake at ``lake`` (a new or empty folder, or a lake,
    which is replaced). Returns the rows written per table."""
    lake = Path(lake)
    check_lake_target(lake)
    lake.mkdir(parents=True, exist_ok=True)
    con = store.con
    counts: dict[str, int] = {}
    for table in reversed(schema.TABLES):
        source, day = _partition_sql(table.name)
        columns = ", ".join(f't."{name}"' for name in table.column_names)
        target = table_folder(lake, table.name)
        count = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
        counts[table.name] = count
        shutil.rmtree(target, ignore_errors=True)  # an earlier lake's days
        if not count:  # COPY writes nothing for no rows: an empty folder says "no rows"
            target.mkdir()
            continue
        con.execute(
            f"COPY (SELECT {columns}, {day} AS {PARTITION_COLUMN} FROM {source}) "
            f"TO '{_quote(target)}' (FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN}), "
            "FILENAME_PATTERN 'part-{i}')"
        )
    for table in schema.STORY_TABLES:
        counts[table.name] = _copy_flat(con, table, lake)
    write_version(con, lake)
    return counts


def _copy_flat(con: duckdb.DuckDBPyConnection, table: schema.Table, lake: Path) -> int:
    """Write a table without partitions as one file (none when it has no rows)."""
    folder = table_folder(lake, table.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    count = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
    if count:
        columns = ", ".join(f'"{name}"' for name in table.column_names)
        target = _quote(folder / "part-0.parquet")
        con.execute(f"COPY (SELECT {columns} FROM {table.name}) TO '{target}' (FORMAT parquet)")
    return count


def write_version(con: duckdb.DuckDBPyConnection, lake: Path, created_at: Any = None) -> None:
    """Write the lake's ``schema_version`` table (one row) with DuckDB."""
    folder = table_folder(lake, VERSION_TABLE)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.parquet"):
        old.unlink()
    created_at = created_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        f"COPY (SELECT ?::INTEGER AS version, ?::VARCHAR AS hendelse, "
        f"?::TIMESTAMP AS created_at) TO '{_quote(folder / 'part-0.parquet')}' (FORMAT parquet)",
        [schema.SCHEMA_VERSION, __version__, created_at],
    )


def check_lake_target(lake: Path) -> None:
    """Refuse to write a lake over a file, or into a folder that holds something else
    (a lake, or an unfinished one, may be replaced)."""
    if lake.exists() and not lake.is_dir():
        raise StoreError(f"{lake} is a file; give the lake a folder name")
    others = sorted(
        child.name
        for child in (lake.iterdir() if lake.is_dir() else ())
        if child.name not in LAKE_FOLDERS and not child.name.startswith((".", "_"))
    )
    if others:
        raise StoreError(
            f"{lake} holds files that are not a hendelse lake ({', '.join(others[:5])}); "
            "give the lake a new folder name"
        )


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


# -- reading ---------------------------------------------------------------------------


def open_lake(path: str | Path, *, check_version: bool = True) -> Store:
    """A read-only :class:`Store` over the lake at ``path``: views named and typed like
    the store's tables, and ``event_summary``.

    The connection may read the lake's folder and nothing else on disk, and
    cannot write files. Raises :class:`StoreError` for a folder that is no
    lake and :class:`SchemaVersionError` for a lake of another schema version.
    """
    import duckdb

    path = Path(path)
    if not path.is_dir():
        raise StoreError(f"no lake at {path}: write one with `hendelse ingest --engine spark`")
    if not is_lake(path):
        raise StoreError(
            f"{path} is a folder but not a hendelse lake (no {VERSION_TABLE}/*.parquet in it): "
            "give --db a store file or a folder written by `hendelse ingest --engine spark`"
        )
    con = duckdb.connect(":memory:")
    try:
        _create_views(con, path)
        con.execute(f"SET allowed_directories = ['{_quote(path.resolve())}/']")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        store = Store(con, path, read_only=True)
        version = store.version
        if check_version and version != schema.SCHEMA_VERSION:
            raise SchemaVersionError(_version_message(path, version))
    except duckdb.Error as err:
        con.close()
        raise StoreError(f"cannot read the lake at {path}: {err}") from None
    except BaseException:
        con.close()
        raise
    return store


def _create_views(con: duckdb.DuckDBPyConnection, lake: Path) -> None:
    for name, columns in _lake_tables():
        con.execute(f"CREATE VIEW {name} AS {select_table(lake, name, columns)}")
    con.execute(schema.EVENT_SUMMARY_VIEW)


def _lake_tables() -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every table of a lake with its columns: the version, per-article and story tables."""
    tables: list[tuple[str, tuple[tuple[str, str], ...]]] = [(VERSION_TABLE, VERSION_COLUMNS)]
    tables += [(t.name, t.columns) for t in reversed(schema.TABLES)]
    tables += [(t.name, t.columns) for t in reversed(schema.STORY_TABLES)]
    return tables


def select_table(lake: Path, name: str, columns: Sequence[tuple[str, str]]) -> str:
    """A SELECT of a lake table's rows, columns named and typed as in the store."""
    pattern = parquet_glob(lake, name)
    if not _has_files(pattern):  # a table without rows: its columns and no rows
        cols = ", ".join(f'CAST(NULL AS {base_type(k)}) AS "{c}"' for c, k in columns)
        return f"SELECT {cols} WHERE false"
    options = "union_by_name = true"
    if name not in FLAT_TABLES:
        options += f", hive_partitioning = true, {HIVE_TYPES}"
    cols = ", ".join(_column_sql(column, kind) for column, kind in columns)
    return f"SELECT {cols} FROM read_parquet('{_quote(Path(pattern))}', {options})"


def load_lake(lake: str | Path, db: str | Path) -> dict[str, int]:
    """Copy a lake into a new DuckDB store at ``db`` (for ``hendelse stories``, ``serve``
    and the other commands that want a store file). Returns rows per table."""
    lake = Path(lake)
    open_lake(lake).close()  # a lake, of this schema version
    if Path(db).exists():
        raise StoreError(f"{db} exists: load a lake into a new store file")
    counts: dict[str, int] = {}
    with Store.open(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        try:
            for name, columns in _lake_tables()[1:]:
                names = ", ".join(f'"{c}"' for c, _ in columns)
                con.execute(f"INSERT INTO {name} ({names}) {select_table(lake, name, columns)}")
                counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return counts


def _has_files(pattern: str) -> bool:
    import glob

    return bool(glob.glob(pattern))


def _column_sql(name: str, kind: str) -> str:
    """A column of a lake view, typed as in the store (JSON text minified as the store
    keeps it)."""
    kind = base_type(kind)
    if kind == "JSON":
        return f'json("{name}") AS "{name}"'
    return f'CAST("{name}" AS {kind}) AS "{name}"'


def json_text(value: Any) -> str | None:
    """A JSON column's value as the text a lake stores (compact, non-ASCII kept)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
