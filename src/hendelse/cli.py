"""The ``hendelse`` command line."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hendelse import __version__

HELP = """\
hendelse turns Norwegian news into event data: who did what to whom, where,
when, according to whom, and how certain.

The flow is reader -> nlp -> extract -> resolve -> store -> serve. Start with:

\b
  hendelse demo                          the main job on the bundled example articles
  hendelse extract artikkel.txt --explain  events, and what produced each field
  hendelse extract arkiv.jsonl -f jsonl  one event record per article
  hendelse ingest arkiv/ --db events.duckdb  store an archive's events
  hendelse query --type ASSAULT --actor RUS  find stored events
  hendelse eval                          score against the gold annotations

Inputs are plain text (optionally with a first line " date 2023-09"), JSONL
(one article a line: id, title, text, published, url, source; .jsonl.gz
too), HTML pages, or a folder of such files; "-" reads standard input.
Every command has --help; docs/cli.md lists them all.
"""

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console()
err_console = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hendelse {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """hendelse: Norwegian news to event data."""


def example_paths() -> list[Path]:
    """The example articles that ship with the package."""
    folder = resources.files("hendelse").joinpath("examples")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def _read(inputs: list[Path], published: str | None):
    """Articles from the inputs; bad inputs are reported on stderr and skipped."""
    from hendelse.reader import ArticleError, read_paths

    articles = []
    problems = 0
    try:
        for item in read_paths(inputs, published):
            if isinstance(item, ArticleError):
                problems += 1
                err_console.print(f"[yellow]skipped[/] {item}")
            else:
                articles.append(item)
    except ArticleError as err:  # a bad --published value
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2) from None
    return articles, problems


def _load_pipeline():
    from hendelse.nlp.pipeline import ModelNotFoundError, load

    try:
        return load()
    except ModelNotFoundError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(1) from None


InputsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Article files, folders or '-' for standard input. Default: the bundled examples.",
        show_default=False,
    ),
]
PublishedOpt = Annotated[
    str | None,
    typer.Option(
        "--published",
        help="Publication date for every input (ISO 8601, may be partial: 2023-09). "
        "Overrides dates in the files.",
    ),
]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="Output: 'table' for people, 'json' for machines.")
]


@app.command()
def analyse(
    inputs: InputsArg = None,
    published: PublishedOpt = None,
    output_format: FormatOpt = "table",
    tokens: Annotated[
        bool, typer.Option("--tokens/--no-tokens", help="Show the token table (table format).")
    ] = True,
) -> None:
    """Show what the Norwegian pipeline finds: layout, sentences, tokens and entities.

    Each token gets its lemma, NDT part of speech (tag), UD part of speech,
    morphology, head and NDT dependency label; entities use NorNE's labels
    (PER, ORG, GPE_LOC, GPE_ORG, LOC, PROD, EVT, DRV, MISC).

    Examples:

      hendelse analyse artikkel.txt

      echo "Statsministeren besøkte Tromsø i går." | hendelse analyse - --format json
    """
    if output_format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    from hendelse.nlp.pipeline import analyse_many
    from hendelse.nlp.views import doc_to_dict, print_doc

    articles, problems = _read(inputs or example_paths(), published)
    nlp = _load_pipeline()
    for article, doc in zip(articles, analyse_many(articles, nlp), strict=True):
        if output_format == "json":
            sys.stdout.write(json.dumps(doc_to_dict(article, doc), ensure_ascii=False) + "\n")
        else:
            print_doc(console, article, doc, show_tokens=tokens)
    if problems and not articles:
        raise typer.Exit(1)


@app.command()
def extract(
    inputs: InputsArg = None,
    published: PublishedOpt = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="'table' for people; 'json' (indented) or 'jsonl' (one record a line).",
        ),
    ] = "table",
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Show which lexicon entry and rules produced each field."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON records (one per line) to FILE."),
    ] = None,
) -> None:
    """Extract events: who did what to whom, where, when, according to whom, how certain.

    Prints one event record per article (the hendelse/1 contract; see
    docs/event-record.md): entities, places and PLOVER events with actor,
    recipient, location, time, factuality, attribution and the evidence
    spans they came from.

    Examples:

      hendelse extract artikkel.txt --explain

      hendelse extract arkiv.jsonl --format jsonl > hendelser.jsonl

      hendelse extract side.html --published 2023-09-12
    """
    if output_format not in ("table", "json", "jsonl"):
        raise typer.BadParameter("use 'table', 'json' or 'jsonl'", param_hint="--format")
    from hendelse.extract import Extractor
    from hendelse.extract.views import print_record
    from hendelse.nlp.pipeline import analyse_many

    articles, problems = _read(inputs or example_paths(), published)
    nlp = _load_pipeline()
    extractor = Extractor()
    sink = output.open("w", encoding="utf-8") if output else None
    try:
        for article, doc in zip(articles, analyse_many(articles, nlp), strict=True):
            record = extractor(article, doc)
            line = json.dumps(record, ensure_ascii=False)
            if sink is not None:
                sink.write(line + "\n")
            if output_format == "jsonl" and sink is None:
                sys.stdout.write(line + "\n")
            elif output_format == "json" and sink is None:
                sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
            elif output_format == "table":
                print_record(console, record, explain=explain)
    finally:
        if sink is not None:
            sink.close()
    if problems and not articles:
        raise typer.Exit(1)


def default_gold_paths() -> list[Path]:
    """The repository's own gold set and, when present, the shared seed gold."""
    repo = Path(__file__).resolve().parents[2]
    candidates = [repo / "gold", repo.parent / "shared" / "gold"]
    return [p for p in candidates if p.is_dir()]


@app.command("eval")
def evaluate(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Gold files or folders (default: the repository's gold/ and ../shared/gold).",
            show_default=False,
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details/--summary", help="List every gold event and miss.")
    ] = True,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the report as JSON to FILE.")
    ] = None,
) -> None:
    """Score the extractor against gold annotations (precision, recall, attributes).

    Every gold article (and every variant with another publication date)
    is run through the pipeline and the extractor; predicted events are
    matched to gold events by the rules in gold/README.md. Prints event
    precision, recall and F1 overall and by type, the accuracy of location,
    time, factuality and attribution on matched events, the entity, place
    and not-actor checks, and what was missed or invented.

    Examples:

      hendelse eval

      hendelse eval gold/ --summary --json report.json
    """
    from hendelse.evaluate import GoldError, evaluate_paths
    from hendelse.extract import Extractor
    from hendelse.nlp.pipeline import analyse
    from hendelse.reader.sources import article_from_text

    paths = gold or default_gold_paths()
    if not paths:
        err_console.print("[red]error:[/] no gold folder found: pass gold files or folders")
        raise typer.Exit(2)
    nlp = _load_pipeline()
    extractor = Extractor()

    def predict(text: str, published: str | None, doc_id: str) -> dict:
        article = article_from_text(text, where=doc_id, id=doc_id, published=published)
        return extractor(article, analyse(article, nlp))

    try:
        report = evaluate_paths(paths, predict)
    except GoldError as err:
        err_console.print(f"[red]error:[/] {err}")
        raise typer.Exit(2) from None
    report.print(console, details=details)
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))


@app.command()
def resolve(
    name: Annotated[str, typer.Argument(help="An actor's name as written: 'Sergej Sjojgu'.")],
    date: Annotated[
        str | None,
        typer.Option("--date", help="When (ISO 8601, may be partial): offices held then count."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most N candidates.")] = 5,
) -> None:
    """Show the knowledge-base actors a name may denote, with scores (for inspection).

    Matching ignores case, accents, hyphens and a genitive -s, knows
    Norwegian and English spellings ("Sjojgu" = "Shoigu"), and falls back
    to fuzzy matching; with --date, the office held then decides the role
    and sector.

    Examples:

      hendelse resolve "Sergej Sjojgu" --date 2023-09-13

      hendelse resolve Kozjemjako
    """
    from hendelse.resolve import actors

    table = Table("score", "how", "id", "name", "country", "sector", "role", "in office")
    for c in actors.lookup(name, date, limit=limit):
        table.add_row(
            f"{c.score:.2f}", f"{c.match} '{c.matched}'", c.actor.id, c.actor.name,
            c.country or "–", c.sector or "–", c.role or "–",
            "–" if c.in_office is None else ("yes" if c.in_office else "no"),
        )  # fmt: skip
    if not table.rows:
        console.print(f"no actor known as {name!r}")
        raise typer.Exit(1)
    console.print(table)


@app.command()
def place(
    name: Annotated[str, typer.Argument(help="A place name as written: 'Khasan', 'Moskva'.")],
    country: Annotated[
        str | None, typer.Option("--country", help="A country hint, ISO 3166-1 alpha-3: RUS.")
    ] = None,
    feature: Annotated[
        str | None,
        typer.Option("--feature", help="A kind hint: country, admin1, city, facility, region."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most N candidates.")] = 5,
) -> None:
    """Show the gazetteer's places for a name, with scores (for inspection).

    The gazetteer is GeoNames (cities of 500 people and more), admin
    regions, countries and notable facilities, with Norwegian names and
    transliterations; it is built into a local index on first use.

    Examples:

      hendelse place Khasan --country RUS

      hendelse place "Vostotsjnyj kosmodrom"
    """
    from hendelse.resolve import gazetteer

    table = Table("score", "name", "country", "admin1", "lat", "lon", "feature", "id", "why")
    for c in gazetteer.candidates(name, country=country, feature=feature, limit=limit):
        table.add_row(
            f"{c.score:.2f}", c.name, c.country or "–", c.admin1 or "–",
            f"{c.lat:.3f}" if c.lat is not None else "–",
            f"{c.lon:.3f}" if c.lon is not None else "–",
            c.feature, c.gazetteer_id, c.why,
        )  # fmt: skip
    if not table.rows:
        console.print(f"no place known as {name!r}")
        raise typer.Exit(1)
    console.print(table)


def _register_store_commands() -> None:
    """`ingest`, `query`, `sql` (hendelse.store.cli_commands) and `stories`
    (hendelse.store.stories_cli) live with the store."""
    from hendelse.store.cli_commands import ingest_command, query_command, sql_command

    app.command("ingest")(ingest_command)
    app.command("query")(query_command)
    app.command("sql")(sql_command)
    from hendelse.store.stories_cli import stories_command

    app.command("stories")(stories_command)


_register_store_commands()


def _register_export_command() -> None:
    """`export` lives with the exports (hendelse.store.export.command)."""
    from hendelse.store.export.command import export_command

    app.command("export")(export_command)


_register_export_command()


def _register_serve_command() -> None:
    """`serve` lives with the web server (hendelse.serve.command)."""
    from hendelse.serve.command import serve_command

    app.command("serve")(serve_command)


_register_serve_command()


#: Where `hendelse demo` keeps its store unless told otherwise.
DEMO_DB = Path("hendelse-demo.duckdb")


@app.command()
def demo(
    db: Annotated[
        Path, typer.Option("--db", help="The DuckDB file the examples are stored in.")
    ] = DEMO_DB,
    host: Annotated[str, typer.Option("--host", help="Address the web server listens on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Web server port.")] = 8765,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="After storing, serve the web interface (default) or stop.",
        ),
    ] = True,
) -> None:
    """The main job on the bundled example articles: extract, store, serve.

    Each example is read with its layout, analysed by the Norwegian pipeline
    and turned into events, which are stored in an embedded DuckDB file
    (story events across articles included). Then the web interface and the
    REST API serve that file: the address is printed; Ctrl-C stops. Running
    it again re-uses the store (unchanged articles are not extracted again).
    """
    from hendelse.store.ingest import IngestError, ingest
    from hendelse.store.query import query
    from hendelse.store.stories import list_stories

    paths = example_paths()
    console.print(
        f"[bold]hendelse {__version__}[/]: extracting events from {len(paths)} bundled "
        f"example articles into [bold]{db}[/]\n"
    )
    try:
        summary = ingest([str(p) for p in paths], db, progress=False)
    except IngestError as err:
        console.print(f"[red]error:[/] {err}")
        raise typer.Exit(1) from None
    events = query(db, limit=None)
    table = Table(title=f"{len(events)} events in {summary.store_articles} articles")
    for column in ("date", "event", "who → whom", "where", "factuality"):
        table.add_column(column)
    for row in sorted(events, key=lambda r: (r.get("date_first") or "", r["article_id"])):
        who = ", ".join(row.get("actors") or []) or "–"
        whom = ", ".join(row.get("recipients") or [])
        table.add_row(
            str(row.get("date_first") or "–"),
            row["type"],
            f"{who} → {whom}" if whom else who,
            row.get("place") or "–",
            row["factuality"],
        )
    console.print(table)
    _, stories = list_stories(db, min_articles=2, limit=None)
    for story in stories:
        path = story.get("factuality_path") or [story.get("factuality")]
        console.print(
            f"story [bold]{story['id']}[/]: {story['type']} told by {story['n_articles']} "
            f"articles, {story['first_seen']} to {story['last_seen']}: {' → '.join(path)}"
        )
    if not serve:
        console.print(f"\nServe it with [bold]hendelse serve --db {db}[/].")
        return
    from hendelse.serve.command import serve_command

    serve_command(db=db, host=host, port=port)


@app.command()
def model(
    output_format: FormatOpt = "table",
) -> None:
    """Describe the shipped Norwegian pipeline: where it is, its components and labels."""
    if output_format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    from hendelse.nlp.pipeline import model_path

    nlp = _load_pipeline()
    info = {
        "path": str(model_path()),
        "name": nlp.meta.get("name"),
        "version": nlp.meta.get("version"),
        "spacy_version": nlp.meta.get("spacy_version"),
        "pipeline": nlp.pipe_names,
        "entity_labels": list(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else [],
        "license": nlp.meta.get("license"),
    }
    if output_format == "json":
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    table = Table(show_header=False, box=None)
    for key, value in info.items():
        table.add_row(
            f"[bold]{key}[/]", ", ".join(value) if isinstance(value, list) else str(value)
        )
    console.print(table)
