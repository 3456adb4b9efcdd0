"""The `hendelse` command line, run in-process with Typer's runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hendelse.cli import app, example_paths

runner = CliRunner()


def test_demo_stores_the_bundled_examples_and_their_stories(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(app, ["demo", "--db", str(db), "--no-serve"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert len(example_paths()) >= 3
    from hendelse.store.db import Store

    with Store.open(db, read_only=True) as store:
        counts = store.counts()
    assert counts["articles"] == len(example_paths())
    assert f"{counts['events']} events in {counts['articles']} articles" in result.output
    # the planned Nordic summit and the report that it was held are one story
    assert "planned → asserted" in result.output
    assert f"hendelse serve --db {db}" in result.output


def test_extract_jsonl_gives_one_record_per_article(tmp_path):
    result = runner.invoke(app, ["extract", *map(str, example_paths()), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(records) == len(example_paths())
    assert {r["schema"] for r in records} == {"hendelse/1"}
    assert sum(len(r["events"]) for r in records) >= 5


def test_extract_reports_bad_input_and_goes_on(tmp_path):
    bad = tmp_path / "tom.txt"
    bad.write_text("")
    good = example_paths()[0]
    result = runner.invoke(app, ["extract", str(bad), str(good), "--format", "jsonl"])
    assert result.exit_code == 0
    assert "tom.txt" in result.output  # the skip message names the file


def test_resolve_prints_the_office_held_on_the_date():
    result = runner.invoke(
        app, ["resolve", "Sergej Sjojgu", "--date", "2023-09-13"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Shoigu" in result.output and "MIL" in result.output


def test_place_prints_the_russian_khasan():
    result = runner.invoke(app, ["place", "Khasan", "--country", "RUS"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    first = next(line for line in result.output.splitlines() if "Khasan" in line)
    assert "RUS" in first and "42.424" in first


def test_unknown_names_exit_non_zero():
    assert runner.invoke(app, ["resolve", "Qwxz Blorp"]).exit_code == 1
    assert runner.invoke(app, ["place", "Qwxzblorpvik"]).exit_code == 1
