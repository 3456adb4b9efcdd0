"""The lake (date-partitioned Parquet) written from a DuckDB store, and read back.

A store is built once from the bundled example articles with the real
ingest; its lake must read back row for row, under the same names and
types, through ``Store.open(folder)``, ``hendelse query`` and ``hendelse sql``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from hendelse.cli import app
from hendelse.store import SchemaVersionError, Store, StoreError, ingest, query, sql
from hendelse.store.db import table_rows
from hendelse.store.lake import (
    UNKNOWN_DATE,
    load_lake,
    open_lake,
    partition_days,
    read_manifest,
    stray_files,
    write_lake_from_store,
    write_version_file,
)
from hendelse.store.query import ReadOnlyError, SqlError
from hendelse.store.schema import STORY_TABLES

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "hendelse" / "examples"


@pytest.fixture(scope="module")
def store_and_lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("lake")
    db, lake = root / "store.duckdb", root / "lake"
    ingest([EXAMPLES], db, workers=1, progress=False)
    with Store.open(db, read_only=True) as store:
        counts = write_lake_from_store(store, lake)
    return db, lake, counts


def story_rows(store: Store) -> dict[str, list[tuple]]:
    return {
        t.name: sorted(store.con.execute(f"SELECT * FROM {t.name}").fetchall(), key=repr)
        for t in STORY_TABLES
    }


def test_the_lake_reads_back_as_the_store(store_and_lake):
    db, lake, counts = store_and_lake
    with Store.open(db, read_only=True) as store, Store.open(lake, read_only=True) as lakestore:
        assert counts["events"] > 0
        assert lakestore.counts() == store.counts()
        assert table_rows(lakestore) == table_rows(store)
        assert story_rows(lakestore) == story_rows(store)
        for name in ("events", "articles", "event_summary"):
            # names and types as in the store (a view cannot say NOT NULL)
            want = [r[:2] for r in store.con.execute(f"DESCRIBE {name}").fetchall()]
            got = [r[:2] for r in lakestore.con.execute(f"DESCRIBE {name}").fetchall()]
            assert got == want, name


def test_hive_partitions_by_day(store_and_lake):
    _, lake, _ = store_and_lake
    days = {p.name for p in (lake / "articles").iterdir()}
    assert all(d.startswith("date=") for d in days)
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT date, published_first FROM read_parquet('{lake}/articles/*/*.parquet', "
        "hive_partitioning = true, hive_types = {'date': 'VARCHAR'})"
    ).fetchall()
    assert rows
    for day, first in rows:
        assert day == (first.isoformat() if first else UNKNOWN_DATE)


def test_partition_days_follow_the_event_then_the_article():
    article = {"id": "a", "published_first": dt.date(2024, 3, 1)}
    rows = {
        "articles": [article],
        "entities": [{"article_id": "a", "id": "E1"}],
        "events": [
            {"article_id": "a", "id": "V1", "event_date": dt.date(2024, 2, 27)},
            {"article_id": "a", "id": "V2", "event_date": None},
        ],
        "event_actors": [{"article_id": "a", "event_id": "V1"}],
        "attributions": [{"article_id": "a", "event_id": "V2"}],
    }
    days = partition_days(rows)
    assert days["articles"] == days["entities"] == ["2024-03-01"]
    assert days["events"] == ["2024-02-27", "2024-03-01"]
    assert days["event_actors"] == ["2024-02-27"]
    assert days["attributions"] == ["2024-03-01"]
    undated = partition_days({"articles": [{"id": "b", "published_first": None}], "events": []})
    assert undated["articles"] == [UNKNOWN_DATE]


def test_query_and_sql_take_a_lake_folder(store_and_lake):
    db, lake, _ = store_and_lake
    assert query(lake, limit=None) == query(db, limit=None)
    statement = "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type"
    assert sql(lake, statement).rows == sql(db, statement).rows
    result = CliRunner().invoke(
        app, ["sql", "SELECT count(*) AS n FROM event_summary", "--db", str(lake), "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == str(len(query(db, limit=None)))


def test_a_lake_cannot_be_written_or_used_to_read_other_files(store_and_lake, tmp_path):
    _, lake, _ = store_and_lake
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(lake)
    with pytest.raises(ReadOnlyError):
        sql(lake, f"COPY events TO '{tmp_path / 'ut.csv'}'")
    outside = tmp_path / "hemmelig.csv"
    outside.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(SqlError, match=r"(?i)permission|disabled"):
        sql(lake, f"SELECT * FROM read_csv('{outside}')")


def test_folders_that_are_not_lakes_are_refused(store_and_lake, tmp_path):
    db, _, _ = store_and_lake
    (tmp_path / "notat.txt").write_text("ikke en innsjø", encoding="utf-8")
    with pytest.raises(StoreError, match="not a hendelse lake"):
        open_lake(tmp_path)
    with Store.open(db, read_only=True) as store, pytest.raises(StoreError, match=r"notat\.txt"):
        write_lake_from_store(store, tmp_path)
    assert (tmp_path / "notat.txt").exists()


def test_a_lake_of_another_version_is_refused_but_sql_reads_it(store_and_lake, tmp_path):
    db, _, _ = store_and_lake
    lake = tmp_path / "gammel"
    with Store.open(db, read_only=True) as store:
        write_lake_from_store(store, lake)
    version_file = next((lake / "schema_version").glob("*.parquet"))
    duckdb.connect().execute(
        "COPY (SELECT 1::INTEGER AS version, '0.0.1' AS hendelse, now()::TIMESTAMP "
        f"AS created_at) TO '{version_file}' (FORMAT parquet)"
    )
    with pytest.raises(SchemaVersionError, match="version 1"):
        Store.open(lake, read_only=True)
    assert sql(lake, "SELECT max(version) FROM schema_version").rows == [(1,)]


def test_an_empty_store_makes_an_empty_lake(tmp_path):
    db, lake = tmp_path / "tom.duckdb", tmp_path / "tom"
    with Store.open(db) as store:
        counts = write_lake_from_store(store, lake)
    assert set(counts.values()) == {0}
    with Store.open(lake, read_only=True) as lakestore:
        assert set(lakestore.counts().values()) == {0}
    assert query(lake) == []


def test_rewriting_a_lake_leaves_no_old_days(store_and_lake, tmp_path):
    db, _, _ = store_and_lake
    target = tmp_path / "igjen"
    with Store.open(db, read_only=True) as store:
        write_lake_from_store(store, target)
    with Store.open(tmp_path / "tom.duckdb") as empty:
        write_lake_from_store(empty, target)
    assert not list(target.glob("*/date=*/*.parquet"))
    assert query(target) == []


def test_a_lake_loads_into_a_new_store(store_and_lake, tmp_path):
    db, lake, _ = store_and_lake
    copy = tmp_path / "kopi.duckdb"
    counts = load_lake(lake, copy)
    with Store.open(db, read_only=True) as store, Store.open(copy, read_only=True) as loaded:
        assert counts["events"] == store.counts()["events"]
        assert table_rows(loaded) == table_rows(store)
        assert story_rows(loaded) == story_rows(store)
    with pytest.raises(StoreError, match="exists"):
        load_lake(lake, copy)


def test_a_lake_is_the_files_its_manifest_lists(store_and_lake, tmp_path):
    """A file no manifest lists (what a run that crashed before its commit leaves) is
    not read; the lake's files are the manifest's."""
    import shutil

    db, lake, _ = store_and_lake
    copy = tmp_path / "kopi"
    shutil.copytree(lake, copy)
    manifest = read_manifest(copy)
    assert manifest is not None and manifest.run
    assert stray_files(copy, manifest) == []
    events = manifest.of("events")
    assert events and all(name.startswith("events/date=") for name in events)
    stray = copy / events[0].replace("part-", "part-ukjent-")
    shutil.copy(copy / events[0], stray)
    # an earlier run's schema_version file, as a crash between a commit and its clean-up
    # leaves it: the latest run's manifest counts
    older = copy / "schema_version" / "part-20000101T000000000000-gammel.parquet"
    write_version_file(duckdb.connect(), older, "20000101T000000000000-gammel", [])
    assert read_manifest(copy) == manifest
    leftovers = {stray.relative_to(copy).as_posix(), older.relative_to(copy).as_posix()}
    assert set(stray_files(copy, manifest)) == leftovers
    with Store.open(db, read_only=True) as store, Store.open(copy, read_only=True) as lakestore:
        assert table_rows(lakestore) == table_rows(store)
