"""``hendelse ingest --engine spark``: the ingest as a Spark job that writes a lake.

::

    from hendelse.scale.spark import ingest_spark

    summary = ingest_spark(["hdfs:///arkiv/"], "hdfs:///hendelse/lake", master="yarn")

The job, stage by stage:

1. The driver lists the inputs with Hadoop's file system (any path Spark
   reads: local folders, ``hdfs://``, ``s3a://``, ``gs://``; globs work).
2. ``binaryFiles`` gives each executor whole files as bytes; they are read
   into articles by :mod:`hendelse.scale.inputs` with the reader's own
   functions (text, HTML, JSONL and ``.jsonl.gz``, the language check).
   A bad record becomes a skipped item with its file and line.
3. The articles are grouped by id (a shuffle), which spreads them over the
   partitions however few the input files are, and lets every partition
   choose each id's version as the single-process ingest does.
4. ``mapPartitions`` (:func:`hendelse.scale.partition.process_partition`)
   parses and extracts, the pipeline loaded once per Python worker, and
   flattens the records into the store's rows with the store's own code.
5. The rows are kept (memory, then disk) and every table is written once as
   Parquet, partitioned by day (:mod:`hendelse.store.lake`), as new files
   next to the lake's: one file per day and table, plus, for the days that
   held rows of a replaced article, those days' other rows again.
6. The driver groups the events into stories with the store's rules
   (:func:`hendelse.store.stories.update_stories`, through DuckDB reading
   the lake's files) and writes the story tables as new files.
7. The commit: a new ``schema_version`` file with the manifest (the
   lake's files after the run) is renamed into place; then the files it no
   longer lists are removed. A crash before the commit leaves the old lake
   (the next run removes the files it wrote), after it the new one.

A run into an existing lake adds to it as ``hendelse ingest`` adds to a
store: an id the lake holds with the same content is skipped as unchanged,
a changed article replaces its rows, a new one is added. The lake then
holds what ``hendelse ingest`` of the same batches, in the same order,
stores in a DuckDB file, row for row (``ingested_at``, each run's start time
here, and the stories' times apart).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse import __version__
from hendelse.scale.inputs import Root, read_file
from hendelse.scale.partition import (
    COUNTS,
    REPLACED,
    SKIPPED,
    THREAD_ENV,
    key_item,
    process_partition,
    stored_item,
)
from hendelse.store import schema
from hendelse.store.ingest import BATCH_SIZE, IngestError, IngestSummary, Skipped
from hendelse.store.lake import (
    FLAT_TABLES,
    LAKE_FOLDERS,
    MANIFEST_COLUMNS,
    PARTITION_COLUMN,
    VERSION_COLUMNS,
    VERSION_TABLE,
    Manifest,
    new_run_id,
    version_file_name,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import DataType, StructType

DEFAULT_MASTER = "local[*]"
#: Partitions (tasks) per core: more than one evens out tasks of unequal length.
TASKS_PER_CORE = 3
_RECURSIVE = "mapreduce.input.fileinputformat.input.dir.recursive"


class SparkUnavailable(IngestError):
    """PySpark or Java is missing; the message says what to install."""


# -- the session -------------------------------------------------------------------------


def check_spark() -> None:
    """Raise :class:`SparkUnavailable` unless PySpark and a Java runtime are installed."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(
            "the spark engine needs PySpark: pip install 'hendelse[spark]' "
            "(or pip install pyspark), and a Java runtime (17 or newer)"
        ) from None
    if java_executable() is None:
        raise SparkUnavailable(
            "the spark engine needs Java (17 or newer) and none was found on PATH or in "
            "JAVA_HOME: install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) "
            "or set JAVA_HOME to its folder"
        )


def java_executable() -> str | None:
    """The ``java`` Spark will start: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if candidate.is_file() else None
    return shutil.which("java")


def build_session(
    master: str | None = None,
    *,
    app_name: str = "hendelse ingest",
    progress: bool = True,
    config: dict[str, str] | None = None,
) -> SparkSession:
    """A SparkSession for the ingest (or the one already running in this process).

    ``master`` None means: the one ``spark-submit`` was given, else
    :data:`DEFAULT_MASTER`. Python workers use one BLAS thread each, and in
    local mode run this Python (so they import this hendelse).
    """
    check_spark()
    from pyspark.sql import SparkSession

    submitted = "PYSPARK_GATEWAY_PORT" in os.environ  # started by spark-submit
    if master is None and not submitted:
        master = DEFAULT_MASTER
    if master is not None and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    settings = {
        f"spark.hadoop.{_RECURSIVE}": "true",
        "spark.ui.showConsoleProgress": "true" if progress else "false",
        **{f"spark.executorEnv.{name}": "1" for name in THREAD_ENV},
        **(config or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


# -- types -------------------------------------------------------------------------------


def spark_type(kind: str) -> DataType:
    """The Spark type of a store column's DuckDB type (JSON is text in Parquet)."""
    from pyspark.sql import types as T

    base = kind.split()[0]
    if base.endswith("[]"):
        return T.ArrayType(spark_type(base[:-2]), containsNull=True)
    simple = {
        "VARCHAR": T.StringType(),
        "JSON": T.StringType(),
        "INTEGER": T.IntegerType(),
        "DOUBLE": T.DoubleType(),
        "DATE": T.DateType(),
        "TIMESTAMP": T.TimestampNTZType(),  # the store's TIMESTAMP: UTC without a zone
    }
    try:
        return simple[base]
    except KeyError:
        raise ValueError(f"no Spark type for the store type {kind!r}") from None


def spark_schema(columns: Iterable[tuple[str, str]], *, partition: bool = True) -> StructType:
    """A table's Spark schema: its columns (NOT NULL kept), then the ``date`` partition."""
    from pyspark.sql import types as T

    fields = [
        T.StructField(name, spark_type(kind), nullable="NOT NULL" not in kind.upper())
        for name, kind in columns
    ]
    if partition:
        fields.append(T.StructField(PARTITION_COLUMN, T.StringType(), nullable=False))
    return T.StructType(fields)


# -- the inputs --------------------------------------------------------------------------


def list_roots(
    spark: SparkSession, sources: Sequence[str]
) -> tuple[list[Root], list[tuple[int, Skipped]]]:
    """The files and folders the sources name (globs expanded), and the sources that
    name nothing, with their numbers (skipped as the single-process reader skips them)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    roots: list[Root] = []
    missing: list[tuple[int, Skipped]] = []
    for number, source in enumerate(sources):
        path = jvm.org.apache.hadoop.fs.Path(source)
        try:
            statuses = path.getFileSystem(conf).globStatus(path)
        except Exception as err:  # py4j wraps the Java exception: no such file system, …
            reason = f"cannot list the input: {_java_message(err)}"
            missing.append((number, Skipped(source, "read", reason)))
            continue
        matches = sorted(
            ((s.getPath().toString(), bool(s.isDirectory())) for s in statuses or []),
            key=lambda m: m[0],
        )
        if not matches:
            missing.append((number, Skipped(source, "read", "no such file or folder")))
        for uri, is_dir in matches:
            roots.append(Root(number, len(roots), source, uri, is_dir))
    return roots, missing


def _java_message(err: Exception) -> str:
    java = getattr(err, "java_exception", None)
    return str(java.getMessage()) if java is not None else str(err)


# -- the job -----------------------------------------------------------------------------


def ingest_spark(
    sources: Iterable[str | Path],
    lake: str | Path,
    *,
    spark: SparkSession | None = None,
    master: str | None = None,
    published: str | None = None,
    check_language: bool = True,
    partitions: int | None = None,
    batch_size: int = BATCH_SIZE,
    report: str | Path | None = None,
    progress: bool = True,
    force: bool = False,
    stories: bool = True,
) -> IngestSummary:
    """Read ``sources``, extract their events with Spark and add them to the lake at
    ``lake`` (created when missing).

    ``spark``: a session to use (else one is built for ``master``).
    ``partitions``: tasks for the extraction (default: 3 per core of the
    session). ``force`` extracts articles the lake holds unchanged again;
    ``stories`` (default) groups the events into story events afterwards,
    on a lake on this machine's file system. Returns the same summary as
    :func:`hendelse.store.ingest.ingest` (``workers`` is the number of
    partitions); ``report`` writes it as JSON. Raises
    :class:`SparkUnavailable` without PySpark or Java, and
    :class:`IngestError` when the lake cannot be written.
    """
    from hendelse.reader.article import normalise_published

    if isinstance(sources, str | Path):
        sources = [sources]
    names = [str(s) for s in sources]
    if published is not None:
        published = normalise_published(published, "--published")
    from hendelse.store.ingest import _check_model

    _check_model()
    started = time.monotonic()
    now = dt.datetime.now(dt.UTC)
    ingested_at = now.replace(tzinfo=None, microsecond=0)
    if spark is None:
        spark = build_session(master, progress=progress)
    sc = spark.sparkContext
    sc._jsc.hadoopConfiguration().set(_RECURSIVE, "true")
    target = _prepare_lake(spark, str(lake))
    old = _read_manifest(spark, target) or Manifest(None, ())
    _remove_strays(target, old)
    partitions = partitions or max(1, sc.defaultParallelism * TASKS_PER_CORE)
    summary = IngestSummary(
        db=str(lake),
        sources=names,
        workers=partitions,
        started_at=now.isoformat(timespec="seconds"),
    )
    roots, missing = list_roots(spark, names)
    skipped: list[tuple[Any, Skipped]] = [((n, -1, (), 0), s) for n, s in missing]
    stored = _stored_hashes(spark, target, old)
    work = partial(process_partition, ingested_at=ingested_at, batch_size=batch_size, force=force)
    output = _rows(spark, roots, stored, published, check_language, partitions, work)
    output.persist(_storage_level())
    job = _Job(spark, output, target, old, new_run_id(now.replace(tzinfo=None)), ingested_at)
    try:
        job.run(summary, skipped, stories=stories)
    except Exception as err:
        if not _is_spark_error(err):
            raise
        raise IngestError(
            f"the Spark job failed: {_java_message(err)}. The lake at {lake} is as it was "
            "before this run; fix the cause (the executors' logs say more) and run the same "
            "command again"
        ) from None
    finally:
        output.unpersist()
    summary.skipped = [s for _, s in sorted(skipped, key=lambda item: item[0])]
    summary.seconds = time.monotonic() - started
    if report is not None:
        Path(report).write_text(
            json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return summary


# -- the lake's folder -------------------------------------------------------------------


@dataclass
class _Lake:
    """The lake's folder as Hadoop sees it (any file system Spark writes to)."""

    uri: str  # qualified, without a trailing /
    fs: Any  # org.apache.hadoop.fs.FileSystem
    jvm: Any
    #: The folder on this machine's file system, or None (hdfs://, s3a://, …).
    local: Path | None

    def path(self, relative: str = "") -> Any:
        """A Hadoop Path in the lake."""
        return self.jvm.org.apache.hadoop.fs.Path(
            f"{self.uri}/{relative}" if relative else self.uri
        )

    def glob(self, pattern: str) -> list[str]:
        """What a glob matches, relative to the lake."""
        prefix = self.uri + "/"
        statuses = self.fs.globStatus(self.path(pattern)) or []
        return sorted(str(s.getPath().toString()).removeprefix(prefix) for s in statuses)

    def files(self, table: str) -> list[str]:
        """The Parquet files in a table's folder (its day folders)."""
        if table in FLAT_TABLES:
            return self.glob(f"{table}/*.parquet")
        return self.glob(f"{table}/{PARTITION_COLUMN}=*/*.parquet")

    def data_files(self) -> list[str]:
        return [f for name in sorted(LAKE_FOLDERS) for f in self.files(name)]

    def delete(self, relative: str) -> None:
        self.fs.delete(self.path(relative), True)


def _prepare_lake(spark: SparkSession, lake: str) -> _Lake:
    """The lake's folder; refuses a file, or a folder holding anything but a lake."""
    sc = spark.sparkContext
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(lake)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(path)
    uri = qualified.toString().rstrip("/")
    local = Path(qualified.toUri().getPath()) if qualified.toUri().getScheme() == "file" else None
    target = _Lake(uri, fs, jvm, local)
    if not fs.exists(qualified):
        return target
    if not fs.getFileStatus(qualified).isDirectory():
        raise IngestError(f"{lake} is a file; give --lake a folder name")
    allowed = LAKE_FOLDERS | {"_SUCCESS", _COMMIT}
    others = sorted(
        name
        for name in (s.getPath().getName() for s in fs.listStatus(qualified))
        if name not in allowed and not name.startswith(".")
    )
    if others:
        raise IngestError(
            f"{lake} holds files that are not a hendelse lake ({', '.join(others[:5])}); "
            "give --lake a new folder name"
        )
    return target


def _read_manifest(spark: SparkSession, lake: _Lake) -> Manifest | None:
    """The lake's manifest (as :func:`hendelse.store.lake.read_manifest` reads it, on any
    file system), or None when there is no lake yet."""
    found = lake.glob(f"{VERSION_TABLE}/*.parquet")
    if not found:
        return None
    rows = {name: spark.read.parquet(f"{lake.uri}/{name}").first().asDict() for name in found}
    name = max(rows, key=lambda n: (rows[n].get("run") or "", n))
    files = rows[name].get("files")
    if files is None:  # a lake written before manifests: every file of the table folders
        files = [f for f in lake.data_files() if not f.startswith(f"{VERSION_TABLE}/")]
    return Manifest(rows[name].get("run"), tuple(sorted(files)), name)


def _remove_strays(lake: _Lake, manifest: Manifest) -> None:
    """Remove what a crashed run left: files no manifest lists, Spark's and the commit's
    scratch folders."""
    keep = set(manifest.files) | {manifest.version_file}
    for name in lake.data_files():
        if name not in keep:
            lake.delete(name)
    for scratch in (*lake.glob("*/_temporary"), *lake.glob(_COMMIT)):
        lake.delete(scratch)


# -- the job -----------------------------------------------------------------------------

#: The folder a run's ``schema_version`` file is written in before its rename.
_COMMIT = "_commit"


@dataclass
class _Job:
    """Writing one run's rows into the lake, its stories, and the commit."""

    spark: SparkSession
    output: Any  # the RDD of tagged tuples (hendelse.scale.partition)
    lake: _Lake
    old: Manifest
    run_id: str
    ingested_at: dt.datetime

    def run(
        self, summary: IngestSummary, skipped: list[tuple[Any, Skipped]], *, stories: bool
    ) -> None:
        """Extract (the first action), write every table, group stories, commit, clean up."""
        rows: dict[str, int] = {}
        replaced = 0
        for tag, value in self.output.filter(lambda r: r[0] in (SKIPPED, COUNTS)).collect():
            if tag == SKIPPED:
                skipped.append(value)
                continue
            summary.articles_read += value["articles_read"]
            summary.duplicates += value["duplicates"]
            summary.unchanged += value["unchanged"]
            replaced += value["replaced"]
            summary.extractor = value.get("extractor") or summary.extractor
            for table, count in value["rows"].items():
                rows[table] = rows.get(table, 0) + count
        summary.stored = rows.get("articles", 0)
        summary.events_stored = rows.get("events", 0)
        files = set(self.old.files)
        replaced_ids = self._replaced_ids() if replaced else None
        for table in reversed(schema.TABLES):
            frame = self._new_rows(table)
            if replaced_ids is not None:
                kept, redone = self._kept_rows(table, replaced_ids)
                if redone:
                    frame = frame.unionByName(kept)
                    files -= set(redone)
            files |= self._write(table, frame)
        if stories and self.lake.local is not None:
            files = self._stories(self.lake.local, files, summary)
        summary.store_articles = self._count(schema.ARTICLES, files)
        summary.store_events = self._count(schema.EVENTS, files)
        _commit(self.spark, self.lake, self.run_id, files, self.ingested_at)
        # Only file system calls from here: a crash leaves strays for the next run.
        for name in sorted(set(self.old.files) - files):  # what the new state no longer lists
            self.lake.delete(name)
        if self.old.version_file:
            self.lake.delete(self.old.version_file)

    def _new_rows(self, table: schema.Table) -> DataFrame:
        name = table.name
        rows = self.output.filter(lambda r: r[0] == name).map(lambda r: r[1])
        return self.spark.createDataFrame(rows, spark_schema(table.columns))

    def _replaced_ids(self) -> DataFrame:
        ids = self.output.filter(lambda r: r[0] == REPLACED).map(lambda r: (r[1],))
        return self.spark.createDataFrame(ids, "article_id string")

    def _read(self, table: schema.Table, files: Sequence[str]) -> DataFrame:
        """Rows of a table from some of the lake's files, with their ``date``."""
        return (
            self.spark.read.schema(spark_schema(table.columns))
            .option("basePath", f"{self.lake.uri}/{table.name}")
            .parquet(*(f"{self.lake.uri}/{name}" for name in files))
        )

    def _kept_rows(self, table: schema.Table, replaced_ids: DataFrame) -> tuple[Any, list[str]]:
        """The files of the days that hold rows of replaced articles, and those days'
        other rows, to be written again without them."""
        old = self.old.of(table.name)
        if not old:
            return None, []
        key = "id" if table.name == "articles" else "article_id"
        ids = replaced_ids.withColumnRenamed("article_id", key)
        hit = self._read(table, old).join(ids, key, "left_semi").select(PARTITION_COLUMN)
        days = {row[0] for row in hit.distinct().collect()}
        redone = [name for name in old if _day_of(name) in days]
        if not redone:
            return None, []
        return self._read(table, redone).join(ids, key, "left_anti"), redone

    def _write(self, table: schema.Table, frame: DataFrame) -> set[str]:
        """Write rows as new files of the table's days; returns the new files."""
        before = set(self.lake.files(table.name))
        frame = frame.repartition(PARTITION_COLUMN).sortWithinPartitions(*_sort_columns(table))
        frame.write.mode("append").partitionBy(PARTITION_COLUMN).parquet(
            f"{self.lake.uri}/{table.name}"
        )
        return set(self.lake.files(table.name)) - before

    def _stories(self, local: Path, files: set[str], summary: IngestSummary) -> set[str]:
        """Group the events into stories on the driver, DuckDB reading the lake's files (the
        new ones included); returns the files with the new story files for the old."""
        from hendelse.store.lake import story_store, write_story_files
        from hendelse.store.stories import update_stories

        with story_store(local, Manifest(self.run_id, tuple(sorted(files)))) as store:
            summary.stories = update_stories(store).to_dict()
            written = write_story_files(store.con, local, self.run_id)
        old = {name for t in schema.STORY_TABLES for name in self.old.of(t.name)}
        return (files - old) | set(written)

    def _count(self, table: schema.Table, files: set[str]) -> int:
        names = sorted(f for f in files if f.startswith(f"{table.name}/"))
        return self._read(table, names).count() if names else 0


def _day_of(name: str) -> str:
    """The day of a partitioned file: ``events/date=2024-03-12/part-….parquet``."""
    return name.split("/")[1].removeprefix(f"{PARTITION_COLUMN}=")


def _commit(
    spark: SparkSession, lake: _Lake, run: str, files: Iterable[str], created_at: dt.datetime
) -> None:
    """Make the run's state the lake's: its ``schema_version`` file, with the manifest, is
    written aside and renamed into place (atomic on a local disk and HDFS)."""
    scratch = f"{_COMMIT}/{run}"
    row = [(schema.SCHEMA_VERSION, __version__, created_at, run, sorted(files))]
    columns = VERSION_COLUMNS + MANIFEST_COLUMNS
    frame = spark.createDataFrame(row, spark_schema(columns, partition=False))
    frame.coalesce(1).write.parquet(f"{lake.uri}/{scratch}")
    (written,) = lake.glob(f"{scratch}/*.parquet")
    lake.fs.mkdirs(lake.path(VERSION_TABLE))
    if not lake.fs.rename(lake.path(written), lake.path(version_file_name(run))):
        raise IngestError(f"cannot rename {written} to {version_file_name(run)} in {lake.uri}")
    lake.delete(_COMMIT)


def _is_spark_error(err: Exception) -> bool:
    """An error of the Spark job (a failed task, a write refused), not of this code."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    return isinstance(err, Py4JJavaError | PySparkException)


def _stored_hashes(spark: SparkSession, lake: _Lake, manifest: Manifest) -> Any:
    """The RDD of ``(id, (STORED, content hash))`` of every article the lake holds."""
    files = manifest.of("articles")
    if not files:
        return spark.sparkContext.emptyRDD()
    frame = spark.read.parquet(*(f"{lake.uri}/{name}" for name in files))
    return frame.select("id", "content_hash").rdd.map(lambda r: stored_item(r[0], r[1]))


def _rows(
    spark: SparkSession,
    roots: list[Root],
    stored: Any,
    published: str | None,
    check_language: bool,
    partitions: int,
    work: Callable[..., Any],
) -> Any:
    """The RDD of tagged output tuples (see :mod:`hendelse.scale.partition`): the articles
    read and the lake's content hashes, grouped by id, through ``work``."""
    sc = spark.sparkContext
    files = []
    for root in roots:
        reader = partial(_read_files, root, published, check_language)
        # keyed before the union: an ArticleError does not survive pickling, a Skipped does
        files.append(sc.binaryFiles(root.uri).flatMap(reader).map(key_item))
    items = sc.union([*files, stored])
    return items.groupByKey(numPartitions=partitions).mapPartitions(work)


def _read_files(
    root: Root, published: str | None, check_language: bool, pair: tuple[str, bytes]
) -> Any:
    uri, data = pair
    return read_file(root, uri, data, published, check_language=check_language)


def _storage_level() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK


def _sort_columns(table: schema.Table) -> list[str]:
    """Rows of an article together, in record order, for compression and pruning."""
    names = table.column_names
    keys = ["id"] if table.name == "articles" else ["article_id"]
    keys += [n for n in ("event_id", "entity_id", "place_id", "ord", "id") if n in names]
    return list(dict.fromkeys(keys))
