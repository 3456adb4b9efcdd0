"""``hendelse ingest --engine spark``: the command line's side of the Spark ingest.

``hendelse.store.cli_commands.ingest_command`` owns the options and hands
the spark engine's run to :func:`spark_ingest_command`, which checks the
options that only the other engine takes, runs
:func:`hendelse.scale.spark.ingest_spark` and prints the ingest summary.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

ENGINES = ("local", "spark")


def check_engine(engine: str, lake: str | None, spark_master: str | None) -> None:
    """Refuse an unknown engine, and the spark options without ``--engine spark``."""
    if engine not in ENGINES:
        raise typer.BadParameter(f"use one of {', '.join(ENGINES)}", param_hint="--engine")
    if engine == "local":
        for value, name in ((lake, "--lake"), (spark_master, "--spark-master")):
            if value is not None:
                raise typer.BadParameter(
                    "goes with --engine spark (the local engine writes --db)", param_hint=name
                )


def spark_ingest_command(
    sources: list[str],
    *,
    lake: str | None,
    master: str | None,
    published: str | None,
    report: Path | None,
    language_check: bool,
    progress: bool,
    workers: int,
    force: bool,
    stories: bool = True,
) -> None:
    """Run the Spark ingest into ``lake`` and print the summary (exit codes as ingest's)."""
    from hendelse.reader import ArticleError
    from hendelse.store.cli_commands import _print_summary, err_console
    from hendelse.store.ingest import IngestError

    if lake is None:
        raise typer.BadParameter(
            "--engine spark writes a lake: give its folder, e.g. --lake hendelser-lake/ "
            "(or hdfs:///…, s3a://…)",
            param_hint="--lake",
        )
    if workers != 1:
        raise typer.BadParameter(
            "the spark engine runs one task per core of its cluster: use --spark-master "
            "local[N] (or the cluster's settings) instead of --workers",
            param_hint="--workers",
        )
    if "-" in sources:
        raise typer.BadParameter(
            "the spark engine reads files and folders, not standard input", param_hint="SOURCES"
        )
    from hendelse.scale.spark import ingest_spark

    try:
        summary = ingest_spark(
            sources,
            lake,
            master=master,
            published=published,
            check_language=language_check,
            report=report,
            progress=progress,
            force=force,
            stories=stories,
        )
    except ArticleError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(2) from None
    except IngestError as err:
        err_console.print(f"[red]error:[/] {escape(str(err))}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print(
            "[yellow]interrupted[/]: the lake is as it was before this run; "
            "run the same command again."
        )
        raise typer.Exit(130) from None
    _print_summary(summary, listed=False)
    if summary.stories is None:
        err_console.print(
            "[yellow]note[/]: story events are grouped only in a lake on this machine's file "
            "system; this lake's story tables are left as they were (see docs/scale.md)"
        )
    if summary.skipped and not summary.articles_read:
        raise typer.Exit(1)
