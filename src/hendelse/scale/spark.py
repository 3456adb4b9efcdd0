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
   Parquet, partitioned by day (:mod:`hendelse.store.lake`), one file per
   day and table; the lake's ``schema_version`` last, so a lake without it
   is an unfinished run.

The lake holds what ``hendelse ingest`` would store in a new DuckDB file
from the same inputs, row for row (``ingested_at``, the job's start time
here, apart). A run writes the whole lake: an existing lake at the same
path is replaced.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse import __version__
from hendelse.scale.inputs import Root, read_file
from hendelse.scale.partition import (
    COUNTS,
    SKIPPED,
    THREAD_ENV,
    key_item,
    process_partition,
)
from hendelse.store import schema
from hendelse.store.ingest import BATCH_SIZE, IngestError, IngestSummary, Skipped
from hendelse.store.lake import LAKE_FOLDERS, PARTITION_COLUMN, VERSION_COLUMNS, VERSION_TABLE

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
) -> IngestSummary:
    """Read ``sources``, extract their events with Spark and write the lake at ``lake``.

    ``spark``: a session to use (else one is built for ``master``).
    ``partitions``: tasks for the extraction (default: 3 per core of the
    session). Returns the same summary as :func:`hendelse.store.ingest.ingest`
    (``workers`` is the number of partitions); ``report`` writes it as JSON.
    Raises :class:`SparkUnavailable` without PySpark or Java, and
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
    lake_uri = _prepare_lake(spark, str(lake))
    partitions = partitions or max(1, sc.defaultParallelism * TASKS_PER_CORE)
    summary = IngestSummary(
        db=str(lake),
        sources=names,
        workers=partitions,
        started_at=now.isoformat(timespec="seconds"),
    )
    roots, missing = list_roots(spark, names)
    skipped: list[tuple[Any, Skipped]] = [((n, -1, (), 0), s) for n, s in missing]
    output = _rows(spark, roots, published, check_language, partitions, ingested_at, batch_size)
    output.persist(_storage_level())
    rows: dict[str, int] = {}
    try:
        _run_job(spark, output, lake_uri, ingested_at, summary, skipped, rows)
    except Exception as err:
        if not _is_spark_error(err):
            raise
        raise IngestError(
            f"the Spark job failed: {_java_message(err)}. The lake at {lake} is unfinished "
            "(no schema_version); fix the cause (the executors' logs say more) and run "
            "the same command again"
        ) from None
    finally:
        output.unpersist()
    summary.skipped = [s for _, s in sorted(skipped, key=lambda item: item[0])]
    summary.stored = summary.store_articles = rows.get("articles", 0)
    summary.events_stored = summary.store_events = rows.get("events", 0)
    summary.seconds = time.monotonic() - started
    if report is not None:
        Path(report).write_text(
            json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return summary


def _run_job(
    spark: SparkSession,
    output: Any,
    lake_uri: str,
    ingested_at: dt.datetime,
    summary: IngestSummary,
    skipped: list[tuple[Any, Skipped]],
    rows: dict[str, int],
) -> None:
    """Extract (the first action), collect what the summary needs, write every table."""
    for tag, value in output.filter(lambda r: r[0] in (SKIPPED, COUNTS)).collect():
        if tag == SKIPPED:
            skipped.append(value)
            continue
        summary.articles_read += value["articles_read"]
        summary.duplicates += value["duplicates"]
        summary.extractor = value.get("extractor") or summary.extractor
        for table, count in value["rows"].items():
            rows[table] = rows.get(table, 0) + count
    for table in reversed(schema.TABLES):
        _write_table(spark, output, table, lake_uri)
    _write_version(spark, lake_uri, ingested_at)


def _is_spark_error(err: Exception) -> bool:
    """An error of the Spark job (a failed task, a write refused), not of this code."""
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException

    return isinstance(err, Py4JJavaError | PySparkException)


def _rows(
    spark: SparkSession,
    roots: list[Root],
    published: str | None,
    check_language: bool,
    partitions: int,
    ingested_at: dt.datetime,
    batch_size: int,
) -> Any:
    """The RDD of tagged output tuples (see :mod:`hendelse.scale.partition`)."""
    sc = spark.sparkContext
    files = []
    for root in roots:
        reader = partial(_read_files, root, published, check_language)
        # keyed before the union: an ArticleError does not survive pickling, a Skipped does
        files.append(sc.binaryFiles(root.uri).flatMap(reader).map(key_item))
    items = sc.union(files) if files else sc.emptyRDD()
    grouped = items.groupByKey(numPartitions=partitions)
    work = partial(process_partition, ingested_at=ingested_at, batch_size=batch_size)
    return grouped.mapPartitions(work)


def _read_files(
    root: Root, published: str | None, check_language: bool, pair: tuple[str, bytes]
) -> Any:
    uri, data = pair
    return read_file(root, uri, data, published, check_language=check_language)


def _storage_level() -> Any:
    from pyspark import StorageLevel

    return StorageLevel.MEMORY_AND_DISK


def _write_table(spark: SparkSession, output: Any, table: schema.Table, lake_uri: str) -> None:
    """Write one table of the lake, one file per day."""
    name = table.name
    rows = output.filter(lambda r: r[0] == name).map(lambda r: r[1])
    frame: DataFrame = spark.createDataFrame(rows, spark_schema(table.columns))
    frame = frame.repartition(PARTITION_COLUMN).sortWithinPartitions(*_sort_columns(table))
    frame.write.mode("overwrite").partitionBy(PARTITION_COLUMN).parquet(f"{lake_uri}/{name}")


def _sort_columns(table: schema.Table) -> list[str]:
    """Rows of an article together, in record order, for compression and pruning."""
    names = table.column_names
    keys = ["id"] if table.name == "articles" else ["article_id"]
    keys += [n for n in ("event_id", "entity_id", "place_id", "ord", "id") if n in names]
    return list(dict.fromkeys(keys))


def _write_version(spark: SparkSession, lake_uri: str, created_at: dt.datetime) -> None:
    row = [(schema.SCHEMA_VERSION, __version__, created_at)]
    frame = spark.createDataFrame(row, spark_schema(VERSION_COLUMNS, partition=False))
    frame.coalesce(1).write.mode("overwrite").parquet(f"{lake_uri}/{VERSION_TABLE}")


def _prepare_lake(spark: SparkSession, lake: str) -> str:
    """The lake's qualified URI; refuses a file, or a folder holding anything but a lake
    (a lake, or an unfinished one, is replaced), and removes an old lake's version and
    story tables."""
    sc = spark.sparkContext
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(lake)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    qualified = fs.makeQualified(path)
    uri = qualified.toString().rstrip("/")
    if not fs.exists(qualified):
        return uri
    if not fs.getFileStatus(qualified).isDirectory():
        raise IngestError(f"{lake} is a file; give --lake a folder name")
    allowed = LAKE_FOLDERS | {"_SUCCESS"}
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
    # Until the new run has finished, the folder is no lake; old stories would be stale.
    for name in (VERSION_TABLE, *(t.name for t in schema.STORY_TABLES)):
        fs.delete(jvm.org.apache.hadoop.fs.Path(qualified, name), True)
    return uri
