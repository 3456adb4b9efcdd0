"""The spark engine against the single-process ingest, in a real Spark (local[2]).

Both engines read the same inputs (articles written for this test: dated and
undated, JSONL, gzipped JSONL, text, HTML, a broken line, a duplicate, a
later version of an id, an English article, and the bundled examples). The
lake the Spark job writes must hold, table by table and row by row, what
the single-process ingest stores in a new DuckDB file (``ingested_at``
apart), report the same skipped inputs, and answer ``hendelse query`` the
same. One Spark session serves the whole module.

A second batch (an unchanged article, a changed one, new ones, one that
joins an existing story) is then added to the lake: the lake must equal the
lake one run over both batches writes, and the store that ingesting both
batches in turn builds, story tables included; a run that crashes before
its commit must leave the lake as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hendelse.cli import app
from hendelse.store import Store, ingest
from hendelse.store.db import table_rows
from hendelse.store.lake import UNKNOWN_DATE, read_manifest, stray_files, write_lake_from_store
from hendelse.store.schema import STORY_TABLES

pytest.importorskip("pyspark", reason="the spark engine needs pyspark (pip install '.[spark]')")

import hendelse.scale.spark as spark_engine
from hendelse.scale.spark import (
    SparkUnavailable,
    build_session,
    check_spark,
    ingest_spark,
    java_executable,
)

if java_executable() is None:
    pytest.skip(
        "the spark engine needs Java (17 or newer), and none is installed", allow_module_level=True
    )

pytestmark = pytest.mark.slow
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "hendelse" / "examples"

RECORDS = [
    {
        "id": "ntb-fisk",
        "title": "Fiskere protesterte i Bodø",
        "text": "Fiskere protesterte i Bodø\n\nFlere hundre fiskere demonstrerte mandag "
        "utenfor Fiskeridirektoratet i Bodø. Norges Fiskarlag krever at kvotene for torsk "
        "økes neste år, sier lederen til NTB.",
        "published": "2024-03-12",
        "source": "NTB",
        "url": "https://example.no/fisk",
    },
    {
        "id": "ntb-moete",
        "title": "Statsministeren møtte Finlands president",
        "text": "Statsministeren møtte Finlands president\n\nStatsminister Jonas Gahr Støre "
        "møtte Finlands president Alexander Stubb i Helsingfors tirsdag. De ble enige om å "
        "styrke forsvarssamarbeidet i nord, opplyser Statsministerens kontor.",
        "published": "2024-03",
        "source": "NTB",
    },
    {
        "id": "udatert",
        "title": "Brann i Trondheim",
        "text": "Brann i Trondheim\n\nBrannvesenet slukket en brann i en boligblokk i "
        "Trondheim. Politiet etterforsker brannen og har avhørt to vitner.",
    },
    "{ødelagt json",
    {
        "id": "ntb-fisk",  # the same article again: a duplicate
        "title": "Fiskere protesterte i Bodø",
        "text": "Fiskere protesterte i Bodø\n\nFlere hundre fiskere demonstrerte mandag "
        "utenfor Fiskeridirektoratet i Bodø. Norges Fiskarlag krever at kvotene for torsk "
        "økes neste år, sier lederen til NTB.",
        "published": "2024-03-12",
        "source": "NTB",
        "url": "https://example.no/fisk",
    },
    {
        "id": "streik",
        "title": "Streik ved sykehuset",
        "text": "Streik ved sykehuset\n\nSykepleierne ved Haukeland universitetssjukehus gikk "
        "ut i streik onsdag. Fagforbundet sier at lønnstilbudet fra arbeidsgiveren er for "
        "lavt.",
        "published": "2024-03-20",
    },
    {
        "id": "english",
        "title": "Fishermen protest",
        "text": "Several hundred fishermen demonstrated on Monday outside the fisheries "
        "directorate in Bodø, demanding higher quotas for cod next year, their leader said.",
        "published": "2024-03-12",
    },
    {
        "id": "streik",  # a later version of the same id: it replaces the first
        "title": "Streiken ved sykehuset er over",
        "text": "Streiken ved sykehuset er over\n\nSykepleierne ved Haukeland "
        "universitetssjukehus avsluttet streiken fredag etter at partene ble enige om en "
        "ny avtale, opplyser Norsk Sykepleierforbund.",
        "published": "2024-03-22",
    },
]
GZ_RECORDS = [
    {
        "id": "gz-ras",
        "title": "Ras stengte veien",
        "text": "Ras stengte veien\n\nEt jordras stengte riksvei 13 i Vestland natt til "
        "søndag. Statens vegvesen regner med at veien åpner igjen mandag.",
        "published": "2024-04-07T08:30:00+02:00",
    },
]
TEXTS = {
    "tekster/valg.txt": " date 2024-09-10\nValgkamp i Tromsø\n\nOrdføreren i Tromsø "
    "kritiserte regjeringen torsdag for kutt i bevilgningene til Nord-Norge.",
    "tekster/uten-dato.txt": "Møte om klima\n\nKlimaministeren møtte miljøorganisasjonene "
    "i Oslo for å diskutere nye utslippsmål, ifølge departementet.",
}
HTML = """<!doctype html><html lang="nb"><head><title>Ordfører gikk av</title>
<meta property="article:published_time" content="2024-05-02T10:00:00+02:00"></head>
<body><article><h1>Ordfører gikk av</h1>
<p>Ordføreren i Kristiansand trakk seg torsdag etter kritikk fra bystyret.</p>
<p>Hun sier til Fædrelandsvennen at hun vil bruke mer tid på familien.</p>
</article></body></html>
"""

#: The second batch: an unchanged article, a changed one, a new one, and the text of an
#: example under a new id (its events join the example's story).
TROMSO = (EXAMPLES / "toppmote-tromso-motet.txt").read_text(encoding="utf-8").split("\n", 1)[1]
BATCH_B = [
    RECORDS[0],
    {
        "id": "streik",
        "title": "Sykepleierne godtok avtalen",
        "text": "Sykepleierne godtok avtalen\n\nSykepleierne ved Haukeland "
        "universitetssjukehus stemte mandag for den nye avtalen med arbeidsgiveren, "
        "opplyser Norsk Sykepleierforbund.",
        "published": "2024-03-25",
    },
    {
        "id": "flom-voss",
        "title": "Flom på Voss",
        "text": "Flom på Voss\n\nFlommen tvang politiet til å evakuere tretti hus på Voss "
        "natt til tirsdag, melder NRK.",
        "published": "2024-04-09",
    },
    {
        "id": "tromso-kopi",
        "title": "Nordiske ledere enige om tettere samarbeid i nord",
        "text": TROMSO.strip(),
        "published": "2024-10-08",
        "source": "Nordlys",
    },
]


def write_batch_b(root: Path) -> str:
    folder = root / "parti-b"
    folder.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in BATCH_B]
    (folder / "2024-03-b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(folder)


def story_rows(store: Store) -> dict[str, list[tuple]]:
    """The story tables' rows, sorted, without the times a run sets."""
    times = {"updated_at", "joined_at", "article_ingested_at"}
    out = {}
    for table in STORY_TABLES:
        names = ", ".join(n for n in table.column_names if n not in times)
        rows = store.con.execute(f"SELECT {names} FROM {table.name}").fetchall()
        out[table.name] = sorted(rows, key=repr)
    return out


def write_inputs(root: Path) -> list[str]:
    """The test archive, and the sources to give both engines."""
    archive = root / "arkiv"
    (archive / "tekster").mkdir(parents=True)
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in RECORDS]
    lines.insert(2, "")  # a blank line: skipped, yet counted in line numbers
    (archive / "2024-03.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(archive / "2024-04.jsonl.gz", "wt", encoding="utf-8") as handle:
        for record in GZ_RECORDS:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    for name, text in TEXTS.items():
        (archive / name).write_text(text, encoding="utf-8")
    (archive / "ordfoerer.html").write_text(HTML, encoding="utf-8")
    return [str(archive), str(EXAMPLES), str(root / "finnes-ikke")]


@pytest.fixture(scope="module")
def spark():
    session = build_session(
        "local[2]",
        progress=False,
        config={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2",
            "spark.driver.memory": "1g",
        },
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory):
    """Both engines on the same inputs: the spark engine through the command line."""
    root = tmp_path_factory.mktemp("spark")
    sources = write_inputs(root)
    db, lake, report = root / "store.duckdb", root / "lake", root / "spark-report.json"
    local = ingest(sources, db, workers=1, progress=False)
    options = ["--engine", "spark", "--lake", str(lake), "--no-progress", "--report", str(report)]
    result = CliRunner().invoke(app, ["ingest", *sources, *options])
    assert result.exit_code == 0, result.output
    return {
        "root": root,
        "sources": sources,
        "db": db,
        "lake": lake,
        "local": local.to_dict(),
        "spark": json.loads(report.read_text(encoding="utf-8")),
    }


def test_lake_rows_equal_the_single_process_store(runs):
    with (
        Store.open(runs["db"], read_only=True) as store,
        Store.open(runs["lake"], read_only=True) as lake,
    ):
        expected, got = table_rows(store), table_rows(lake)
        expected_stories, got_stories = story_rows(store), story_rows(lake)
        told = "SELECT count(*) FROM stories WHERE n_articles > 1"
        multi = store.con.execute(told).fetchone()[0]
    assert expected["articles"], "the single-process ingest stored nothing"
    assert expected["events"], "no events were extracted from the test articles"
    for table, rows in expected.items():
        assert got[table] == rows, f"table {table} differs between the lake and the store"
    assert multi, "the single-process ingest made no story of several articles"
    for table, rows in expected_stories.items():
        assert got_stories[table] == rows, f"table {table} differs between the lake and the store"


def test_the_same_articles_are_read_chosen_and_skipped(runs):
    local, spark = runs["local"], runs["spark"]
    for key in ("articles_read", "duplicates", "store_totals", "extractor"):
        assert spark[key] == local[key], key
    assert spark["duplicates"] == 1
    # The local engine stores the first version of "streik" and then its replacement;
    # the spark engine stores only the version that wins.
    assert spark["stored"] == local["stored"] - 1 == local["store_totals"]["articles"]
    assert spark["db"] == str(runs["lake"])

    def skipped(summary: dict) -> list[tuple]:
        return sorted((s["where"], s["stage"], s["reason"]) for s in summary["skipped_items"])

    assert skipped(spark) == skipped(local)
    wheres = [where for where, _, _ in skipped(spark)]
    archive = runs["sources"][0]
    assert f"{archive}/2024-03.jsonl:5" in wheres  # the broken line, counted past the blank
    assert f"{archive}/2024-03.jsonl:8" in wheres  # the English article
    assert runs["sources"][2] in wheres  # the source that does not exist


def test_later_versions_win_and_origins_match_the_reader(runs):
    archive = runs["sources"][0]
    with Store.open(runs["lake"], read_only=True) as lake:
        rows = dict(lake.con.execute("SELECT id, origin FROM articles").fetchall())
        title = lake.con.execute("SELECT title FROM articles WHERE id = 'streik'").fetchone()[0]
    assert title == "Streiken ved sykehuset er over"
    assert rows["streik"] == f"{archive}/2024-03.jsonl:9"
    assert rows["ntb-fisk"] == f"{archive}/2024-03.jsonl:1"  # the first of equal versions
    assert rows["gz-ras"] == f"{archive}/2024-04.jsonl.gz:1"
    assert rows["uten-dato"] == f"{archive}/tekster/uten-dato.txt"
    assert rows["ordfoerer"] == f"{archive}/ordfoerer.html"


def test_duckdb_reads_the_date_partitions(runs):
    """The Parquet files as any DuckDB reads them; days as the lake's rules say."""
    import duckdb

    lake = runs["lake"]
    con = duckdb.connect()

    def read(table: str) -> str:
        return (
            f"read_parquet('{lake}/{table}/*/*.parquet', hive_partitioning = true, "
            "hive_types = {'date': 'VARCHAR'})"
        )

    articles = dict(con.execute(f"SELECT id, date FROM {read('articles')}").fetchall())
    assert articles["ntb-fisk"] == "2024-03-12"
    assert articles["ntb-moete"] == "2024-03-01"  # "2024-03": the month's first day
    assert articles["gz-ras"] == "2024-04-07"
    assert articles["udatert"] == UNKNOWN_DATE
    assert articles["uten-dato"] == UNKNOWN_DATE
    wrong = con.execute(
        f"SELECT count(*) FROM {read('events')} e JOIN {read('articles')} a "
        "ON a.id = e.article_id WHERE e.date <> coalesce(strftime(coalesce(e.event_date, "
        f"a.published_first), '%Y-%m-%d'), '{UNKNOWN_DATE}')"
    ).fetchone()[0]
    assert wrong == 0
    orphans = con.execute(
        f"SELECT count(*) FROM {read('event_actors')} x LEFT JOIN {read('events')} e "
        "ON e.article_id = x.article_id AND e.id = x.event_id AND e.date = x.date "
        "WHERE e.id IS NULL"
    ).fetchone()[0]
    assert orphans == 0, "an actor row is filed under another day than its event"
    files = sorted(p.relative_to(lake).parts[0] for p in lake.glob("*/date=*/*.parquet"))
    assert "events" in files and "articles" in files


def test_the_lake_equals_the_store_exported_with_duckdb(runs, tmp_path):
    """write_lake_from_store (DuckDB's COPY … PARTITION_BY) files every row under the
    same day as the Spark job."""
    import duckdb

    exported = tmp_path / "export"
    with Store.open(runs["db"], read_only=True) as store:
        write_lake_from_store(store, exported)
    con = duckdb.connect()
    for table in ("articles", "events", "event_actors", "attributions", "entities"):
        sets = []
        for lake in (runs["lake"], exported):
            pattern = f"{lake}/{table}/*/*.parquet"
            key = "id" if table == "articles" else "article_id"
            sets.append(
                con.execute(
                    f"SELECT {key}, date, count(*) FROM read_parquet('{pattern}', "
                    "hive_partitioning = true, hive_types = {'date': 'VARCHAR'}) GROUP BY ALL "
                    "ORDER BY ALL"
                ).fetchall()
            )
        assert sets[0] == sets[1], table


def test_query_and_sql_read_the_lake_as_the_store(runs):
    runner = CliRunner()
    outputs = []
    for db in (runs["db"], runs["lake"]):
        result = runner.invoke(app, ["query", "--db", str(db), "--format", "json", "--limit", "0"])
        assert result.exit_code == 0, result.output
        outputs.append([json.loads(line) for line in result.stdout.splitlines()])
    assert outputs[0] and outputs[0] == outputs[1]
    result = runner.invoke(
        app,
        [
            "sql",
            "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY type",
            "--db",
            str(runs["lake"]),
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("type,n\n")


def test_stories_reads_the_lake_as_the_store(runs):
    from hendelse.store.stories import list_stories

    everything = {"min_articles": 1, "limit": None}
    assert list_stories(runs["lake"], **everything) == list_stories(runs["db"], **everything)
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", str(runs["lake"]), "--format", "json"])
    assert result.exit_code == 0, result.output
    told = [json.loads(line) for line in result.stdout.splitlines()]
    assert told and all(story["n_articles"] > 1 for story in told)
    result = runner.invoke(app, ["stories", "--db", str(runs["lake"]), "--rebuild"])
    assert result.exit_code == 1
    assert "load_lake" in " ".join(result.output.split())


class Crash(Exception):
    """Stands for the driver dying at a point of the run."""


def crash(*args: object, **kwargs: object) -> None:
    raise Crash


@pytest.fixture(scope="module")
def increments(spark, runs):
    """Batch B added: to a copy of the lake (after a run that crashed before its commit),
    to a copy of the store, and, with A, in one run into a new lake."""
    root = runs["root"]
    batch = write_batch_b(root)
    lake, db = root / "lake-ab", root / "store-ab.duckdb"
    shutil.copytree(runs["lake"], lake)
    shutil.copy(runs["db"], db)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spark_engine, "_commit", crash)
        with pytest.raises(Crash):
            ingest_spark([batch], lake, spark=spark, partitions=2, progress=False)
    with Store.open(lake, read_only=True) as crashed:
        after_crash = table_rows(crashed), story_rows(crashed)
    strays = stray_files(lake, read_manifest(lake))
    spark_b = ingest_spark([batch], lake, spark=spark, partitions=2, progress=False)
    local_b = ingest([batch], db, workers=1, progress=False)
    once = root / "lake-once"
    sources = [*runs["sources"], batch]
    ingest_spark(sources, once, spark=spark, partitions=2, progress=False)
    return {
        "lake": lake,
        "db": db,
        "once": once,
        "after_crash": after_crash,
        "strays": strays,
        "spark": spark_b.to_dict(),
        "local": local_b.to_dict(),
    }


def test_a_crash_before_the_commit_leaves_the_old_lake(runs, increments):
    with Store.open(runs["lake"], read_only=True) as before:
        assert increments["after_crash"] == (table_rows(before), story_rows(before))
    assert any(name.startswith("events/") for name in increments["strays"]), (
        "the crashed run wrote no files"
    )
    lake = increments["lake"]
    assert stray_files(lake, read_manifest(lake)) == []  # the next run removed them
    assert not (lake / "_commit").exists()


def test_a_batch_added_to_the_lake_equals_one_run_and_the_store(increments):
    with (
        Store.open(increments["lake"], read_only=True) as added,
        Store.open(increments["once"], read_only=True) as once,
        Store.open(increments["db"], read_only=True) as store,
    ):
        rows, stories = table_rows(added), story_rows(added)
        assert rows == table_rows(once)
        assert stories == story_rows(once)
        assert rows == table_rows(store)
        assert stories == story_rows(store)
        title = added.con.execute("SELECT title FROM articles WHERE id = 'streik'").fetchone()
        assert title == ("Sykepleierne godtok avtalen",)
        joined = added.con.execute(
            "SELECT count(DISTINCT se.article_id) FROM story_events se JOIN story_events o "
            "ON o.story_id = se.story_id WHERE o.article_id = 'tromso-kopi'"
        ).fetchone()[0]
    assert joined > 1, "the copy's events did not join the example's story"


def test_a_batch_skips_unchanged_articles_as_the_store_does(increments):
    spark, local = increments["spark"], increments["local"]
    for key in ("articles_read", "duplicates", "unchanged", "stored", "store_totals"):
        assert spark[key] == local[key], key
    assert spark["unchanged"] == 1 and spark["stored"] == 3
    assert spark["stories"]["events_assigned"] == local["stories"]["events_assigned"]
    with Store.open(increments["lake"], read_only=True) as lake:
        created = lake.con.execute("SELECT created_at FROM schema_version").fetchone()[0]
    assert abs(created - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(hours=1)


def test_a_folder_with_other_files_is_not_overwritten(spark, tmp_path):
    (tmp_path / "notater.txt").write_text("viktig", encoding="utf-8")
    from hendelse.store.ingest import IngestError

    with pytest.raises(IngestError, match="not a hendelse lake"):
        ingest_spark([str(EXAMPLES)], tmp_path, spark=spark)
    assert (tmp_path / "notater.txt").read_text(encoding="utf-8") == "viktig"


def test_a_partition_skips_what_the_lake_holds_unchanged_as_ingest_does():
    """process_partition (no Spark needed) given the lake's content hashes: an id held with
    the content of every version read is unchanged, unless forced; a changed one replaces."""
    from hendelse.reader.article import Article
    from hendelse.scale.partition import COUNTS, REPLACED, process_partition, stored_item
    from hendelse.store.db import content_hash

    def version(n: int, article_id: str, text: str) -> tuple:
        article = Article(text=text, id=article_id, published="2024-03-12")
        return (0, 0, (), n), content_hash(article), article

    same = version(0, "samme", "Statsministeren møtte Finlands president i Helsingfors tirsdag.")
    old = version(1, "endret", "Sykepleierne gikk ut i streik onsdag.")
    new = version(2, "endret", "Sykepleierne avsluttet streiken fredag.")
    fresh = version(3, "ny", "Fiskere demonstrerte mandag utenfor Fiskeridirektoratet i Bodø.")
    groups = [
        ("samme", [same, stored_item("samme", same[1])[1]]),
        ("endret", [stored_item("endret", old[1])[1], old, new]),
        ("ny", [fresh]),
    ]

    def run(force: bool) -> tuple[dict, list[str], set[str]]:
        out = list(process_partition(groups, ingested_at=dt.datetime(2024, 3, 12), force=force))
        counts = next(value for tag, value in out if tag == COUNTS)
        replaced = [value for tag, value in out if tag == REPLACED]
        stored = {value[0] for tag, value in out if tag == "articles"}
        return counts, replaced, stored

    counts, replaced, stored = run(force=False)
    assert (counts["articles_read"], counts["unchanged"], counts["duplicates"]) == (4, 2, 0)
    assert replaced == ["endret"] and stored == {"endret", "ny"}
    counts, replaced, stored = run(force=True)
    assert counts["unchanged"] == 0
    assert sorted(replaced) == ["endret", "samme"] and stored == {"samme", "endret", "ny"}


def test_missing_pyspark_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now fails
    with pytest.raises(SparkUnavailable, match=r"hendelse\[spark\]"):
        check_spark()


def test_missing_java_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "ingen-java"))
    with pytest.raises(SparkUnavailable, match="JAVA_HOME"):
        check_spark()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "spark"], "--lake"),
        (["--lake", "sjø/"], "--engine spark"),
        (["--engine", "hadoop"], "local, spark"),
        (["--engine", "spark", "--lake", "sjø/", "--workers", "2"], "--spark-master"),
    ],
)
def test_engine_options_are_checked(args, message, tmp_path):
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_spark_submit_runs_the_command_line(tmp_path):
    """The cluster way: spark-submit starts the driver (submit.py) and chooses the master."""
    import os
    import subprocess

    import hendelse.scale.submit as submit

    spark_submit = Path(sys.executable).parent / "spark-submit"
    if not spark_submit.exists():
        pytest.skip(f"no {spark_submit} (PySpark installed without its scripts)")
    one = tmp_path / "en"
    one.mkdir()
    (one / "valg.txt").write_text(TEXTS["tekster/valg.txt"], encoding="utf-8")
    lake = tmp_path / "lake"
    env = os.environ | {"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    command = [str(spark_submit), "--master", "local[1]", "--conf", "spark.ui.enabled=false"]
    command += [submit.__file__, "ingest", str(one), "--engine", "spark", "--lake", str(lake)]
    report = tmp_path / "report.json"
    command += ["--no-progress", "--report", str(report)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "stored" in done.stdout
    # 3 tasks per core of local[1], spark-submit's master (local[*] would give 3 per core here)
    assert json.loads(report.read_text(encoding="utf-8"))["workers"] == 3
    with Store.open(lake, read_only=True) as store:
        assert store.counts()["articles"] == 1


def test_an_empty_folder_gives_an_empty_lake(spark, tmp_path):
    empty = tmp_path / "tom"
    empty.mkdir()
    lake = tmp_path / "lake"
    for _ in range(2):  # a new lake, then nothing added to it
        summary = ingest_spark([str(empty)], lake, spark=spark, partitions=2)
        assert (summary.articles_read, summary.stored, summary.skipped) == (0, 0, [])
    with Store.open(lake, read_only=True) as store:
        assert set(store.counts().values()) == {0}
        assert store.con.execute("SELECT count(*) FROM event_summary").fetchone()[0] == 0
    assert len(list((lake / "schema_version").glob("*.parquet"))) == 1
    assert stray_files(lake, read_manifest(lake)) == []
