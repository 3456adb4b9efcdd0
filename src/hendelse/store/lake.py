"""The event lake: the store's tables as date-partitioned Parquet files in a folder.

A lake is what ``hendelse ingest --engine spark`` writes, and what
:func:`write_lake_from_store` exports from a DuckDB store::

    LAKE/
      schema_version/part-RUN.parquet          one row: version, hendelse, created_at,
                                               run, files (the manifest)
      stories/part-RUN.parquet, story_events/… the story tables, not partitioned
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

A lake is a set of files, and its ``schema_version`` file says which: besides
the version it holds the *manifest*, every data file of the lake's current
state (paths relative to the lake), and the id of the run that wrote it
(``schema_version/part-RUN.parquet``). Readers read the files of the
manifest with the greatest run id and nothing else, so a writer adds a
batch crash-safely: new files first, then a new ``schema_version`` file
(written under another name and renamed, the commit), then the files the
new state no longer lists are removed. A crash before the commit leaves the
old lake, whatever files the run wrote; after it, the new one. Files that
no manifest lists are left-overs, removed by the next run
(:func:`stray_files`). A ``schema_version`` file without a manifest (a lake
written before there were manifests) means every file in the table folders.

The story tables (``schema.STORY_TABLES``) are derived from all events:
:func:`story_store` opens a lake for :func:`hendelse.store.stories.update_stories`
(the per-article tables read from the Parquet files, the story tables
copied into memory) and :func:`write_story_files` writes the result as new
files. :func:`write_lake_from_store` exports a store's stories as they are.
So ``hendelse query``, ``sql`` and ``stories --db LAKE`` read a lake as they
read a store (``Store.open`` opens a folder as a lake).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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
#: The manifest's columns in a ``schema_version`` file, after the version's.
MANIFEST_COLUMNS: tuple[tuple[str, str], ...] = (("run", "VARCHAR"), ("files", "VARCHAR[]"))
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


def is_lake(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding a lake (its ``schema_version`` table)."""
    return bool(version_files(Path(path)))


def version_files(lake: Path) -> list[Path]:
    """The lake's ``schema_version`` files (one, but two for a moment while a run commits)."""
    return sorted(table_folder(lake, VERSION_TABLE).glob("*.parquet"))


def new_run_id(now: dt.datetime | None = None) -> str:
    """A run's id: its UTC time, to the microsecond, and a random suffix; ids sort by time."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


def version_file_name(run: str) -> str:
    return f"{VERSION_TABLE}/part-{run}.parquet"


@dataclass(frozen=True)
class Manifest:
    """A lake's current state: the run that wrote it and its data files, relative to the
    lake (``events/date=2024-03-12/part-….parquet``, ``stories/part-….parquet``)."""

    run: str | None
    files: tuple[str, ...]
    #: The ``schema_version`` file it was read from (relative to the lake).
    version_file: str | None = None

    def of(self, table: str) -> list[str]:
        """The files of one table."""
        prefix = f"{table}/"
        return [f for f in self.files if f.startswith(prefix)]


def read_manifest(lake: str | Path) -> Manifest | None:
    """The manifest of the lake at ``lake`` (a local folder), or None when it has no
    ``schema_version`` file (no lake, or a first run that did not finish).

    Of several ``schema_version`` files (a crash between a commit and its
    clean-up) the one of the latest run counts. One without a manifest
    lists every Parquet file in the table folders.
    """
    import duckdb

    lake = Path(lake)
    found = version_files(lake)
    if not found:
        return None
    names = ", ".join(f"'{_quote(f.resolve())}'" for f in found)
    con = duckdb.connect(":memory:")
    try:
        cursor = con.execute(
            f"SELECT * FROM read_parquet([{names}], union_by_name = true, filename = true)"
        )
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    # the latest run's; a file without a run (written before manifests) only when alone
    values = max(rows, key=lambda r: (r.get("run") or "", r["filename"]))
    version_file = Path(values["filename"]).relative_to(lake.resolve()).as_posix()
    files = values.get("files")
    if files is None:  # a lake written before manifests: every file of the table folders
        files = [f for f in _data_files(lake) if not f.startswith(f"{VERSION_TABLE}/")]
    return Manifest(values.get("run"), tuple(sorted(files)), version_file)


def _data_files(lake: Path) -> list[str]:
    """Every Parquet file in the lake's table folders, relative to the lake."""
    out = []
    for name in sorted(LAKE_FOLDERS):
        folder = table_folder(lake, name)
        depth = "*.parquet" if name in FLAT_TABLES else f"{PARTITION_COLUMN}=*/*.parquet"
        out += [p.relative_to(lake).as_posix() for p in sorted(folder.glob(depth))]
    return out


def stray_files(lake: str | Path, manifest: Manifest | None) -> list[str]:
    """Files in the lake's table folders that its manifest does not list: what a run that
    crashed (or its clean-up) left behind. Readers never see them; a writer removes them."""
    lake = Path(lake)
    keep = set(manifest.files) if manifest else set()
    if manifest and manifest.version_file:
        keep.add(manifest.version_file)
    return [f for f in _data_files(lake) if f not in keep]


# -- writing from a DuckDB store -------------------------------------------------------


def write_lake_from_store(store: Store, lake: str | Path) -> dict[str, int]:
    """Export a store's tables to a lake at ``lake`` (a new or empty folder, or a lake,
    which is replaced). Returns the rows written per table.

    The old lake's ``schema_version`` goes first, so a crash midway leaves a
    folder that is no lake (and the next export replaces), never a mixture.
    """
    lake = Path(lake)
    check_lake_target(lake)
    lake.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(table_folder(lake, VERSION_TABLE), ignore_errors=True)
    run = new_run_id()
    con = store.con
    counts: dict[str, int] = {}
    files: list[str] = []
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
            f"FILENAME_PATTERN 'part-{run}-{{i}}')"
        )
        files += [p.relative_to(lake).as_posix() for p in sorted(target.glob("*/*.parquet"))]
    for table in schema.STORY_TABLES:
        shutil.rmtree(table_folder(lake, table.name), ignore_errors=True)
        counts[table.name] = con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
    files += write_story_files(con, lake, run)
    write_version(con, lake, run, files)
    return counts


def write_story_files(con: duckdb.DuckDBPyConnection, lake: Path, run: str) -> list[str]:
    """Write the story tables of ``con`` into the lake as new files (one a table, none for
    no rows) named by ``run``; returns their paths relative to the lake."""
    written = []
    for table in schema.STORY_TABLES:
        folder = table_folder(lake, table.name)
        folder.mkdir(parents=True, exist_ok=True)
        if not con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]:
            continue
        columns = ", ".join(f'"{name}"' for name in table.column_names)
        name = f"{table.name}/part-{run}.parquet"
        con.execute(
            f"COPY (SELECT {columns} FROM {table.name}) TO '{_quote(lake / name)}' (FORMAT parquet)"
        )
        written.append(name)
    return written


def write_version_file(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    run: str,
    files: Iterable[str],
    created_at: dt.datetime | None = None,
) -> None:
    """Write a ``schema_version`` file (version and manifest, one row) at ``target``."""
    created_at = created_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        "COPY (SELECT ?::INTEGER AS version, ?::VARCHAR AS hendelse, ?::TIMESTAMP AS "
        f"created_at, ?::VARCHAR AS run, ?::VARCHAR[] AS files) TO '{_quote(target)}' "
        "(FORMAT parquet)",
        [schema.SCHEMA_VERSION, __version__, created_at, run, sorted(files)],
    )


def write_version(
    con: duckdb.DuckDBPyConnection, lake: Path, run: str, files: Iterable[str]
) -> None:
    """Commit a local lake's new state: its ``schema_version`` file is written under a
    hidden name and renamed into place (atomic), then older ones are removed."""
    folder = table_folder(lake, VERSION_TABLE)
    folder.mkdir(parents=True, exist_ok=True)
    final = lake / version_file_name(run)
    hidden = folder / f".{final.name}.tmp"
    write_version_file(con, hidden, run, files)
    os.replace(hidden, final)
    for old in folder.glob("*.parquet"):
        if old != final:
            old.unlink()


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


def _quote(path: Path | str) -> str:
    return str(path).replace("'", "''")


# -- reading ---------------------------------------------------------------------------


def open_lake(path: str | Path, *, check_version: bool = True) -> Store:
    """A read-only :class:`Store` over the lake at ``path``: views named and typed like
    the store's tables, and ``event_summary``, over the files of its manifest.

    The connection may read the lake's folder and nothing else on disk, and
    cannot write files. Raises :class:`StoreError` for a folder that is no
    lake and :class:`SchemaVersionError` for a lake of another schema version.
    """
    import duckdb

    path = Path(path)
    if not path.is_dir():
        raise StoreError(f"no lake at {path}: write one with `hendelse ingest --engine spark`")
    manifest = read_manifest(path)
    if manifest is None:
        raise StoreError(
            f"{path} is a folder but not a hendelse lake (no {VERSION_TABLE}/*.parquet in it): "
            "give --db a store file or a folder written by `hendelse ingest --engine spark`"
        )
    con = duckdb.connect(":memory:")
    try:
        _create_views(con, path, manifest)
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


def _create_views(con: duckdb.DuckDBPyConnection, lake: Path, manifest: Manifest) -> None:
    for name, columns in _lake_tables():
        files = [manifest.version_file] if name == VERSION_TABLE else manifest.of(name)
        con.execute(f"CREATE VIEW {name} AS {select_table(lake, name, columns, files)}")
    con.execute(schema.EVENT_SUMMARY_VIEW)


def _lake_tables() -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every table of a lake with its columns: the version, per-article and story tables."""
    tables: list[tuple[str, tuple[tuple[str, str], ...]]] = [(VERSION_TABLE, VERSION_COLUMNS)]
    tables += [(t.name, t.columns) for t in reversed(schema.TABLES)]
    tables += [(t.name, t.columns) for t in reversed(schema.STORY_TABLES)]
    return tables


def select_table(
    lake: Path, name: str, columns: Sequence[tuple[str, str]], files: Sequence[str | None]
) -> str:
    """A SELECT of a lake table's rows from ``files`` (relative to the lake), columns named
    and typed as in the store."""
    paths = [f for f in files if f]
    if not paths:  # a table without rows: its columns and no rows
        cols = ", ".join(f'CAST(NULL AS {base_type(k)}) AS "{c}"' for c, k in columns)
        return f"SELECT {cols} WHERE false"
    options = "union_by_name = true"
    if name not in FLAT_TABLES:
        options += f", hive_partitioning = true, {HIVE_TYPES}"
    cols = ", ".join(_column_sql(column, kind) for column, kind in columns)
    listed = ", ".join(f"'{_quote(lake.resolve() / f)}'" for f in paths)
    return f"SELECT {cols} FROM read_parquet([{listed}], {options})"


def load_lake(lake: str | Path, db: str | Path) -> dict[str, int]:
    """Copy a lake into a new DuckDB store at ``db`` (for ``hendelse serve`` and the
    other commands that want a store file). Returns rows per table."""
    lake = Path(lake)
    open_lake(lake).close()  # a lake, of this schema version
    manifest = read_manifest(lake)
    assert manifest is not None  # open_lake refuses a folder without one
    if Path(db).exists():
        raise StoreError(f"{db} exists: load a lake into a new store file")
    counts: dict[str, int] = {}
    with Store.open(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        try:
            for name, columns in _lake_tables()[1:]:
                names = ", ".join(f'"{c}"' for c, _ in columns)
                select = select_table(lake, name, columns, manifest.of(name))
                con.execute(f"INSERT INTO {name} ({names}) {select}")
                counts[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return counts


# -- stories on a lake -----------------------------------------------------------------


def story_store(lake: Path, manifest: Manifest) -> Store:
    """A writable :class:`Store` in memory for
    :func:`hendelse.store.stories.update_stories` over a local lake: the per-article
    tables are views over the lake's files (DuckDB reads only the columns and row
    groups the story queries need, never the texts), the story tables are copied
    into memory. :func:`write_story_files` writes the result."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for table in reversed(schema.TABLES):
            select = select_table(lake, table.name, table.columns, manifest.of(table.name))
            con.execute(f"CREATE VIEW {table.name} AS {select}")
        for table in reversed(schema.STORY_TABLES):
            con.execute(table.ddl())
            names = ", ".join(f'"{c}"' for c in table.column_names)
            select = select_table(lake, table.name, table.columns, manifest.of(table.name))
            con.execute(f"INSERT INTO {table.name} ({names}) {select}")
    except BaseException:
        con.close()
        raise
    return Store(con, lake, read_only=False)


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
