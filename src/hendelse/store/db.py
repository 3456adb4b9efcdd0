"""The embedded event store: a DuckDB file holding articles and their event records.

::

    with Store.open("events.duckdb") as store:
        outcome = store.put(record, article)   # "stored" (replacing any earlier version)
        store.stored_hash(article.id)          # to skip unchanged articles

One process writes at a time (DuckDB locks the file); readers open it with
``read_only=True``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse import __version__
from hendelse.store import schema
from hendelse.store.dates import date_range

if TYPE_CHECKING:
    import duckdb

    from hendelse.reader.article import Article

Row = dict[str, Any]


class StoreError(RuntimeError):
    """A store that cannot be opened or used; the message says what to do."""


class SchemaVersionError(StoreError):
    """The file was written by a hendelse with another store schema."""


def content_hash(article: Article) -> str:
    """Hash of everything the extractor reads: text, title, date, source, url, language.

    Two readings of an article with the same hash give the same record (with
    the same model), so the store skips them as "unchanged".
    """
    payload = json.dumps(
        [
            article.text,
            article.title,
            article.published,
            article.source,
            article.url,
            article.language,
        ],
        ensure_ascii=False,
    )
    return "sha256-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    import duckdb  # here, so that importing hendelse.store stays cheap for the CLI

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as err:
        message = str(err)
        if "lock" in message.lower():
            raise StoreError(
                f"{path} is in use by another process (an ingest still running?). "
                f"DuckDB lets one process write a store at a time and no one read it "
                f"meanwhile; wait for it to finish or stop it. ({message})"
            ) from None
        raise StoreError(f"cannot open {path}: {message}") from None
    except duckdb.Error as err:
        raise StoreError(f"cannot open {path} as a DuckDB database: {err}") from None


class Store:
    """A hendelse event store in one DuckDB file. Use :meth:`open`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only
        #: Called inside :meth:`put`'s transaction after the old rows are
        #: deleted (tests use it to crash there).
        self.in_transaction_hook: Callable[[], None] | None = None

    # -- opening ----------------------------------------------------------
    @classmethod
    def open(
        cls, path: str | Path, *, read_only: bool = False, check_version: bool = True
    ) -> Store:
        """Open (and, writable, create) the store at ``path``.

        Raises :class:`SchemaVersionError` for a store of another schema
        version and :class:`StoreError` for a file that is not a hendelse store.
        """
        path = Path(path)
        if path.is_dir():  # a lake (hendelse.store.lake): Parquet files, read-only
            if not read_only:
                raise StoreError(
                    f"{path} is a folder: give the store a file name (a folder is read as a "
                    "lake, which `hendelse ingest --engine spark --lake FOLDER` writes)"
                )
            from hendelse.store.lake import open_lake

            return open_lake(path, check_version=check_version)
        if read_only and not path.exists():
            raise StoreError(
                f"no store at {path}: create one with `hendelse ingest ARTICLES --db {path}`"
            )
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(path, read_only)
        store = cls(con, path, read_only)
        try:
            store._prepare(check_version)
        except BaseException:
            con.close()
            raise
        return store

    def _prepare(self, check_version: bool) -> None:
        tables = {
            name
            for (name,) in self.con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_catalog = current_database()"
            ).fetchall()
        }
        if "schema_version" not in tables:
            if tables:
                raise StoreError(
                    f"{self.path} is a DuckDB database but not a hendelse store "
                    f"(it has tables {', '.join(sorted(tables))} and no schema_version); "
                    "give --db a new file name"
                )
            if self.read_only:
                raise StoreError(
                    f"{self.path} is an empty database, not a hendelse store: "
                    f"create one with `hendelse ingest ARTICLES --db {self.path}`"
                )
            self._create()
            return
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        version = row[0] if row else None
        if check_version and version != schema.SCHEMA_VERSION:
            steps = schema.migration(version)
            if steps is None:
                raise SchemaVersionError(_version_message(self.path, version))
            # Read-only, an older store keeps every table it had; what is new
            # (the story tables) appears once it is opened for writing.
            if not self.read_only:
                self._migrate(steps)

    def _migrate(self, statements: list[str]) -> None:
        """Bring an older store up to date in one transaction (see schema.migration)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            for statement in statements:
                self.con.execute(statement)
            self.con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [schema.SCHEMA_VERSION, __version__, _now()],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _create(self) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            for statement in schema.all_ddl():
                self.con.execute(statement)
            self.con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [schema.SCHEMA_VERSION, __version__, _now()],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # -- context manager --------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------
    @property
    def version(self) -> int | None:
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return row[0] if row else None

    def stored_hash(self, article_id: str) -> str | None:
        """The content hash stored for an article id, or None when it is not stored."""
        row = self.con.execute(
            "SELECT content_hash FROM articles WHERE id = ?", [article_id]
        ).fetchone()
        return row[0] if row else None

    def record(self, article_id: str) -> dict | None:
        """The stored event record of an article, or None."""
        row = self.con.execute("SELECT record FROM articles WHERE id = ?", [article_id]).fetchone()
        return json.loads(row[0]) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {
            table.name: self.con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
            for table in reversed(schema.TABLES)
        }

    # -- writing ----------------------------------------------------------
    def put(
        self,
        record: Mapping[str, Any],
        article: Article,
        *,
        extractor: str | None = None,
        digest: str | None = None,
    ) -> int:
        """Store an article's record, replacing every row stored under its id before.

        Delete and insert are one transaction: a crash midway leaves the
        previous state. ``digest`` is the article's :func:`content_hash` (computed
        when not given). Returns the number of events stored.
        """
        return self.put_many([(record, article, digest)], extractor=extractor)

    def put_many(
        self,
        items: Iterable[tuple[Mapping[str, Any], Article, str | None]],
        *,
        extractor: str | None = None,
    ) -> int:
        """Store several articles' records in one transaction, as :meth:`put` does each.

        Every article replaces all rows stored under its id; all of them are
        stored or, when anything fails (or the process dies), none, and the
        store keeps its previous state. An id given twice keeps the last one.
        Returns the number of events stored.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        now = _now()
        latest: dict[str, dict[str, list[Row]]] = {}
        for record, article, digest in items:
            latest.pop(article.id, None)  # a later version of the same id wins
            latest[article.id] = record_rows(
                record, article, digest or content_hash(article), extractor=extractor, now=now
            )
        if not latest:
            return 0
        ids = list(latest)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            # Rows exist only under a stored article: new ones have nothing to delete.
            marks = ", ".join("?" for _ in ids)
            stored = con.execute(f"SELECT id FROM articles WHERE id IN ({marks})", ids)
            self._delete(*(article_id for (article_id,) in stored.fetchall()))
            if self.in_transaction_hook is not None:
                self.in_transaction_hook()
            for table in reversed(schema.TABLES):  # articles first, then their children
                self._insert(table, [row for rows in latest.values() for row in rows[table.name]])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return sum(len(rows["events"]) for rows in latest.values())

    def delete(self, article_id: str) -> bool:
        """Remove an article and all its rows; False when it was not stored."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            existed = self.stored_hash(article_id) is not None
            self._delete(article_id)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return existed

    def _delete(self, *article_ids: str) -> None:
        if not article_ids:
            return
        marks = ", ".join("?" for _ in article_ids)
        for table in schema.TABLES:
            key = "id" if table.name == "articles" else "article_id"
            self.con.execute(f"DELETE FROM {table.name} WHERE {key} IN ({marks})", article_ids)

    def _insert(self, table: schema.Table, rows: Sequence[Row]) -> None:
        """Insert rows with one statement: DuckDB reads them from one JSON parameter,
        which is many times faster than binding every value as a parameter."""
        if not rows:
            return
        names = table.column_names
        expected = set(names)
        for row in rows:
            if row.keys() != expected:
                extra = sorted(set(row) ^ expected)
                raise ValueError(f"{table.name}: row columns do not match ({extra})")
        payload = json.dumps(rows, ensure_ascii=False, default=_json_default)
        self.con.execute(_insert_statement(table), [payload, _json_structure(table)])


@cache
def _json_structure(table: schema.Table) -> str:
    """The table's row type for DuckDB's ``from_json``: ``[{"col": "TYPE", …}]``."""
    fields: dict[str, Any] = {}
    for name, kind in table.columns:
        base = kind.split()[0]
        fields[name] = [base.removesuffix("[]")] if base.endswith("[]") else base
    return json.dumps([fields])


@cache
def _insert_statement(table: schema.Table) -> str:
    names = ", ".join(f'"{n}"' for n in table.column_names)
    values = ", ".join(f'r."{n}"' for n in table.column_names)
    return (
        f"INSERT INTO {table.name} ({names}) "
        f"SELECT {values} FROM (SELECT unnest(from_json(?, ?)) AS r)"
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} {value!r}")


def _now() -> dt.datetime:
    """The current time in UTC, without a zone (the column is UTC by convention)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _version_message(path: Path, version: int | None) -> str:
    wanted = schema.SCHEMA_VERSION
    if version is not None and version > wanted:
        return (
            f"{path} has store schema version {version}, written by a newer hendelse; "
            f"this hendelse ({__version__}) reads version {wanted}. Upgrade hendelse."
        )
    return (
        f"{path} has store schema version {version}; this hendelse ({__version__}) needs "
        f"version {wanted}. Build a new store by ingesting the articles again, e.g. "
        f"`hendelse ingest ARTICLES --db new.duckdb`. The old store's texts can be "
        f'exported for that with `hendelse sql "SELECT id, title, text, published, source, '
        f'url FROM articles" --db {path} --format json > articles.jsonl`.'
    )


# -- record -> rows ------------------------------------------------------------


def _span_cols(prefix: str, span: Mapping[str, Any] | None) -> Row:
    span = span or {}
    return {
        f"{prefix}_start": span.get("start"),
        f"{prefix}_end": span.get("end"),
        f"{prefix}_text": span.get("text"),
    }


def record_rows(
    record: Mapping[str, Any],
    article: Article,
    digest: str,
    *,
    extractor: str | None = None,
    now: dt.datetime | None = None,
) -> dict[str, list[Row]]:
    """Flatten an event record into rows per table (keyed by table name)."""
    aid = article.id
    entities = {e["id"]: e for e in record.get("entities") or []}
    places = {p["id"]: p for p in record.get("places") or []}
    published_first, published_last = date_range(article.published)
    rows: dict[str, list[Row]] = {t.name: [] for t in schema.TABLES}
    rows["articles"].append(
        {
            "id": aid,
            "content_hash": digest,
            "title": article.title,
            "published": article.published,
            "published_first": published_first,
            "published_last": published_last,
            "source": article.source,
            "url": article.url,
            "language": article.language,
            "origin": article.origin,
            "text": article.text,
            "schema": record.get("schema"),
            "extractor": extractor,
            "ingested_at": now or _now(),
            "record": record,
        }
    )
    for entity in entities.values():
        rows["entities"].append(
            {
                "article_id": aid,
                "id": entity["id"],
                "name": entity.get("name"),
                "type": entity.get("type"),
                "country": entity.get("country"),
                "sector": entity.get("sector"),
                "role": entity.get("role"),
                "kb": entity.get("kb"),
                "explain": entity.get("explain"),
            }
        )
        for i, mention in enumerate(entity.get("mentions") or []):
            rows["entity_mentions"].append(
                {"article_id": aid, "entity_id": entity["id"], "ord": i}
                | _span_cols("span", mention)
            )
    for place in places.values():
        rows["places"].append(
            {
                "article_id": aid,
                "id": place["id"],
                "name": place.get("name"),
                "country": place.get("country"),
                "admin1": place.get("admin1"),
                "lat": place.get("lat"),
                "lon": place.get("lon"),
                "feature": place.get("feature"),
                "gazetteer_id": place.get("gazetteer_id"),
                "explain": place.get("explain"),
            }
        )
        for i, mention in enumerate(place.get("mentions") or []):
            rows["place_mentions"].append(
                {"article_id": aid, "place_id": place["id"], "ord": i} | _span_cols("span", mention)
            )
    for number, event in enumerate(record.get("events") or []):
        _event_rows(rows, aid, number, event, entities, places)
    return rows


def _entity_cols(entities: Mapping[str, Mapping[str, Any]], entity_id: str | None) -> Row:
    entity = entities.get(entity_id or "") or {}
    return {
        "entity_id": entity_id,
        "name": entity.get("name"),
        "type": entity.get("type"),
        "country": entity.get("country"),
        "sector": entity.get("sector"),
    }


def _event_rows(
    rows: dict[str, list[Row]],
    aid: str,
    number: int,
    event: Mapping[str, Any],
    entities: Mapping[str, Mapping[str, Any]],
    places: Mapping[str, Mapping[str, Any]],
) -> None:
    eid = event["id"]
    time = event.get("time") or {}
    first, last = date_range(time.get("value"))
    location = event.get("location") or {}
    place = places.get(location.get("place") or "") or {}
    rows["events"].append(
        {
            "article_id": aid,
            "id": eid,
            "ord": number,
            "type": event.get("type"),
            "mode": event.get("mode"),
            "context": list(event.get("context") or []),
            "cameo": event.get("cameo"),
            "quad": event.get("quad"),
            "factuality": event.get("factuality"),
            "confidence": event.get("confidence"),
            "time_value": time.get("value"),
            "time_granularity": time.get("granularity"),
            "time_weekday": time.get("weekday"),
            "time_part": time.get("part"),
            **_span_cols("time", time.get("span")),
            "event_date": first,
            "event_date_end": last,
            "place_id": location.get("place"),
            "place_name": place.get("name"),
            "place_country": place.get("country"),
            "place_lat": place.get("lat"),
            "place_lon": place.get("lon"),
            "place_feature": place.get("feature"),
            **_span_cols("location", location.get("span")),
            **_span_cols("trigger", event.get("trigger")),
            **_span_cols("sentence", event.get("sentence")),
            "explain": event.get("explain"),
        }
    )
    for table, key in (("event_actors", "actor"), ("event_recipients", "recipient")):
        for i, role in enumerate(event.get(key) or []):
            rows[table].append(
                {"article_id": aid, "event_id": eid, "ord": i}
                | _entity_cols(entities, role.get("entity"))
                | _span_cols("span", role.get("span"))
            )
    for i, source in enumerate(event.get("attribution") or []):
        rows["attributions"].append(
            {"article_id": aid, "event_id": eid, "ord": i}
            | _entity_cols(entities, source.get("entity"))
            | _span_cols("span", source.get("span"))
            | _span_cols("cue", source.get("cue"))
        )
    for i, mention in enumerate(event.get("mentions") or []):
        rows["event_mentions"].append(
            {"article_id": aid, "event_id": eid, "ord": i} | _span_cols("span", mention)
        )


def table_rows(store: Store, tables: Iterable[str] | None = None) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, for comparing stores (``ingested_at`` left out)."""
    out: dict[str, list[tuple]] = {}
    for table in reversed(schema.TABLES):
        if tables is not None and table.name not in tables:
            continue
        names = [n for n in table.column_names if n != "ingested_at"]
        result = store.con.execute(f"SELECT {', '.join(names)} FROM {table.name}").fetchall()
        out[table.name] = sorted(result, key=repr)
    return out
