"""Archive ingest end to end: the real reader, pipeline and extractor on small articles.

What the extractor finds is not checked here (the model changes); what is
checked is that the store holds the same rows however the ingest ran: with
one worker or two, in one go or resumed after a ``kill -9``.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from hendelse.store import Store, content_hash, ingest
from hendelse.store.cli_commands import ingest_command
from hendelse.store.db import table_rows

pytestmark = pytest.mark.slow
# The module, not the function that hendelse.store exports under the same name.
ingest_module = importlib.import_module("hendelse.store.ingest")

ACTORS = [
    "Statsminister Jonas Gahr Støre",
    "Forsvarsminister Bjørn Arild Gram",
    "Utenriksminister Espen Barth Eide",
    "Natur og Ungdom",
    "Politiet",
    "Fagforbundet",
]
PLACES = ["Bergen", "Oslo", "Tromsø", "Trondheim", "Stavanger"]
DAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag"]
STORIES = [
    (
        "{a} møtte den svenske statsministeren i {p} {d}.",
        "Møtet handlet om forsvarssamarbeid i Norden, opplyser departementet til NTB.",
    ),
    (
        "Flere hundre mennesker demonstrerte {d} utenfor rådhuset i {p}.",
        "{a} krever at kommunen trekker planene tilbake.",
    ),
    (
        "{a} kritiserte regjeringen {d} for kutt i sykehusene i {p}.",
        "Helseministeren avviste kritikken og sa at budsjettet vil øke neste år.",
    ),
    (
        "Politiet pågrep to menn i {p} {d} etter et ran.",
        "Mennene nektet for å ha deltatt, sier politiadvokaten til Bergens Tidende.",
    ),
    (
        "{a} besøkte {p} {d} for å møte ordføreren.",
        "Ifølge NRK skal de ha diskutert en ny avtale om havneutbygging.",
    ),
]
N_ARTICLES = 30


def write_articles(folder: Path, n: int = N_ARTICLES, extra: str = "") -> Path:
    """``n`` small Norwegian news articles as text files with a date line."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        story, actor = STORIES[i % len(STORIES)], ACTORS[i % len(ACTORS)]
        where, day = PLACES[(i // 2) % len(PLACES)], DAYS[(i * 3) % len(DAYS)]
        first = story[0].format(a=actor, p=where, d=day)
        second = story[1].format(a=actor, p=where, d=day)
        title = first.split(",")[0].rstrip(".")
        text = f" date 2024-10-{10 + i % 15:02d}\n{title}\n\n{first} {second}{extra}\n"
        (folder / f"artikkel-{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def copy_store(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    return target


def rows(path: Path) -> dict[str, list[tuple]]:
    with Store.open(path, read_only=True) as store:
        return table_rows(store)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("archive") / "v1")


@pytest.fixture(scope="module")
def clean(articles: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store an uninterrupted one-worker ingest of ``articles`` gives."""
    path = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    summary = ingest([articles], path, workers=1, progress=False)
    assert summary.articles_read == N_ARTICLES
    assert summary.stored == N_ARTICLES
    assert not summary.skipped
    return path


def test_ingest_stores_every_article_and_a_rerun_changes_nothing(clean: Path, articles: Path):
    with Store.open(clean, read_only=True) as store:
        counts = store.counts()
        assert counts["articles"] == N_ARTICLES
        assert counts["events"] > 0
        found = store.con.execute("SELECT id FROM articles ORDER BY id").fetchall()
        stored_ids = [r[0] for r in found]
        assert stored_ids == [f"artikkel-{i:02d}" for i in range(N_ARTICLES)]
        extractor = store.con.execute("SELECT DISTINCT extractor FROM articles").fetchall()
        assert len(extractor) == 1 and extractor[0][0].startswith("hendelse ")
        # The stored record is the extractor's, spans index the stored text.
        for text, record in store.con.execute("SELECT text, record FROM articles").fetchall():
            for event in json.loads(record)["events"]:
                span = event["sentence"]
                assert text[span["start"] : span["end"]] == span["text"]
    before = rows(clean)
    again = copy_store(clean, clean.with_name("again.duckdb"))
    summary = ingest([articles], again, progress=False)
    assert (summary.stored, summary.unchanged) == (0, N_ARTICLES)
    assert summary.events_stored == 0
    assert rows(again) == before


def test_two_workers_give_the_same_store_as_one(clean: Path, articles: Path, tmp_path: Path):
    path = tmp_path / "two.duckdb"
    summary = ingest([articles], path, workers=2, batch_size=4, progress=False)
    assert summary.stored == N_ARTICLES
    assert rows(path) == rows(clean)


def test_a_changed_article_replaces_its_earlier_records(
    clean: Path, articles: Path, tmp_path: Path
):
    folder = tmp_path / "changed"
    shutil.copytree(articles, folder)
    target = folder / "artikkel-03.txt"
    target.write_text(
        " date 2024-10-13\nRegjeringen innførte sanksjoner\n\n"
        "Regjeringen innførte nye sanksjoner mot Russland torsdag.\n",
        encoding="utf-8",
    )
    path = copy_store(clean, tmp_path / "changed.duckdb")
    summary = ingest([folder], path, progress=False)
    assert (summary.stored, summary.unchanged) == (1, N_ARTICLES - 1)
    with Store.open(path, read_only=True) as store:
        assert "sanksjoner" in store.record("artikkel-03")["article"]["title"]
        sentences = store.con.execute(
            "SELECT sentence_text FROM events WHERE article_id = 'artikkel-03'"
        ).fetchall()
        assert all("pågrep" not in s for (s,) in sentences)  # the old story's events are gone
        assert all(
            "sanksjoner" in s
            for (s,) in store.con.execute(
                "SELECT a.text FROM articles a WHERE a.id = 'artikkel-03'"
            ).fetchall()
        )
    changed_only = {t: [r for r in v if "artikkel-03" not in r] for t, v in rows(path).items()}
    clean_only = {t: [r for r in v if "artikkel-03" not in r] for t, v in rows(clean).items()}
    assert changed_only == clean_only


def test_bad_inputs_are_listed_and_skipped_and_stored_articles_untouched(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good = "Utenriksministeren møtte sin svenske kollega i Oslo onsdag for å drøfte forsvar."
    first = tmp_path / "first.jsonl"
    first.write_text(
        json.dumps({"id": "x1", "text": good, "published": "2024-10-02"}) + "\n", "utf-8"
    )
    db = tmp_path / "bad.duckdb"
    assert ingest([first], db, progress=False).stored == 1
    before = rows(db)

    english = (
        "The foreign minister met his Swedish colleague in Oslo on Wednesday to discuss "
        "defence cooperation and the situation in the Baltic Sea region."
    )
    lines = [
        json.dumps({"id": "j1", "text": good.replace("Oslo", "Bergen"), "published": "2024-10"}),
        '{"id": "j2", "text": "Politiet pågrep en mann",',  # broken JSON
        json.dumps({"id": "x1", "text": english}),  # x1 again, but not Norwegian
        "",
        json.dumps({"id": "j3", "text": good.replace("Oslo", "Tromsø")}),
    ]
    archive = folder / "arkiv.jsonl"
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "bilde.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    (folder / "tom.txt").write_text("  \n", encoding="utf-8")
    report = tmp_path / "report.json"
    summary = ingest([folder], db, report=report, progress=False)

    skipped = {s.where: s for s in summary.skipped}
    assert set(skipped) == {
        f"{archive}:2",
        f"{archive}:3",
        str(folder / "bilde.txt"),
        str(folder / "tom.txt"),
    }
    assert "broken JSON" in skipped[f"{archive}:2"].reason
    assert "not Norwegian" in skipped[f"{archive}:3"].reason
    assert all(s.stage == "read" for s in summary.skipped)
    assert (summary.articles_read, summary.stored, summary.unchanged) == (2, 2, 0)

    after = rows(db)
    x1_before = {t: [r for r in v if "x1" in r] for t, v in before.items()}
    x1_after = {t: [r for r in v if "x1" in r] for t, v in after.items()}
    assert x1_after == x1_before  # the refused x1 did not touch the stored one
    assert [r[0] for r in after["articles"]] == ["j1", "j3", "x1"]

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(summary.to_dict()))
    assert data["skipped"] == 4
    assert {item["where"] for item in data["skipped_items"]} == set(skipped)
    assert sum(data["skipped_reasons"].values()) == 4
    assert data["store_totals"]["articles"] == 3


def test_an_extraction_failure_skips_only_that_article(tmp_path: Path, monkeypatch):
    folder = write_articles(tmp_path / "few", n=4)
    ingest_module._init_worker()
    real = ingest_module._WORKER["extractor"]

    def flaky(article, doc):
        if article.id == "artikkel-02":
            raise RuntimeError("the extractor broke")
        return real(article, doc)

    monkeypatch.setitem(ingest_module._WORKER, "extractor", flaky)
    summary = ingest([folder], tmp_path / "flaky.duckdb", progress=False)
    assert summary.stored == 3
    [failed] = summary.skipped
    assert failed.stage == "extract"
    assert failed.article_id == "artikkel-02"
    assert failed.where.endswith("artikkel-02.txt")
    assert "RuntimeError: the extractor broke" in failed.reason


def test_a_record_the_store_cannot_take_skips_only_that_article(tmp_path: Path, monkeypatch):
    folder = write_articles(tmp_path / "few", n=4)
    ingest_module._init_worker()
    real = ingest_module._WORKER["extractor"]

    def broken(article, doc):
        record = real(article, doc)
        if article.id == "artikkel-01":
            record["events"] = [{"no": "id"}]  # an event without an id
        return record

    monkeypatch.setitem(ingest_module._WORKER, "extractor", broken)
    summary = ingest([folder], tmp_path / "broken.duckdb", progress=False)
    assert summary.stored == 3
    [failed] = summary.skipped
    assert (failed.stage, failed.article_id) == ("store", "artikkel-01")
    assert "storing failed: KeyError" in failed.reason
    with Store.open(tmp_path / "broken.duckdb", read_only=True) as store:
        assert store.stored_hash("artikkel-01") is None
        assert store.counts()["articles"] == 3


def test_duplicates_in_one_run_are_stored_once(tmp_path: Path):
    text = "Statsministeren møtte fagforeningene i Oslo tirsdag for å drøfte lønnsoppgjøret."
    archive = tmp_path / "dup.jsonl"
    archive.write_text(
        "\n".join(json.dumps({"id": "d1", "text": text, "published": "2024-10-09"}) for _ in "ab")
        + "\n",
        encoding="utf-8",
    )
    summary = ingest([archive], tmp_path / "dup.duckdb", progress=False)
    assert (summary.stored, summary.duplicates) == (1, 1)


# -- kill -9 and resume -----------------------------------------------------------------

RUN = (
    "import sys\n"
    "from hendelse.store import ingest\n"
    "ingest([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), batch_size=4, progress=False)\n"
)


def _start(folder: Path, db: Path, workers: int, **env: str) -> subprocess.Popen:
    """An ingest in its own process, writing batches of 4 articles."""
    environ = {**os.environ, **env}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, str(folder), str(db), str(workers)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            status = (entry / "stat").read_text()
        except OSError:
            continue
        if marker.encode() in environ and ") Z " not in status:  # zombies are gone already
            found.append(int(entry.name))
    return found


def test_kill_9_mid_ingest_then_resume_gives_the_uninterrupted_store(
    clean: Path, articles: Path, tmp_path: Path
):
    db = tmp_path / "killed.duckdb"
    marker = f"HENDELSE_TEST_RUN={uuid.uuid4().hex}"
    key, value = marker.split("=")
    proc = _start(articles, db, 2, HENDELSE_INGEST_DELAY="0.25", **{key: value})
    committed = 0
    log = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line)
            if line.startswith("hendelse-ingest: committed"):
                committed += 1
                if committed == 8:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
    finally:
        if proc.poll() is None and committed < 8:
            proc.kill()
        proc.wait(timeout=60)
        if proc.stderr is not None:
            proc.stderr.close()
    assert committed == 8, "the ingest ended before it could be killed:\n" + "".join(log)
    assert proc.returncode == -signal.SIGKILL

    # The pool's workers notice that their parent is gone and end too.
    deadline = time.monotonic() + 15
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []

    with Store.open(db, read_only=True) as store:
        stored = store.counts()["articles"]
    assert 8 <= stored < N_ARTICLES  # the kill landed mid-run

    summary = ingest([articles], db, workers=1, progress=False)
    assert summary.unchanged == stored
    assert summary.stored == N_ARTICLES - stored
    assert rows(db) == rows(clean)


def test_a_crash_inside_a_write_keeps_the_previous_version(
    clean: Path, articles: Path, tmp_path: Path
):
    v2 = tmp_path / "v2"
    shutil.copytree(articles, v2)
    for path in sorted(v2.iterdir()):
        path.write_text(path.read_text("utf-8") + "Saken oppdateres.\n", encoding="utf-8")
    db = copy_store(clean, tmp_path / "crashed.duckdb")
    proc = _start(v2, db, 1, HENDELSE_INGEST_CRASH_AFTER="3")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == -signal.SIGKILL, err

    from hendelse.reader import read_paths

    new = {a.id: content_hash(a) for a in read_paths([v2])}
    old = {a.id: content_hash(a) for a in read_paths([articles])}
    with Store.open(db, read_only=True) as store:
        hashes = dict(store.con.execute("SELECT id, content_hash FROM articles").fetchall())
    ids = sorted(new)
    done = sum(hashes[i] == new[i] for i in ids)
    assert done == 4  # the first batch of 4 was committed, the second was being written
    assert [hashes[i] for i in ids[:done]] == [new[i] for i in ids[:done]]
    # The next batch's old rows were deleted when the process died: still v1, whole.
    assert [hashes[i] for i in ids[done:]] == [old[i] for i in ids[done:]]
    crashed, original = rows(db), rows(clean)
    for table in original:
        for i in ids[done:]:
            assert [r for r in crashed[table] if i in r] == [r for r in original[table] if i in r]

    summary = ingest([v2], db, progress=False)
    assert (summary.unchanged, summary.stored) == (done, N_ARTICLES - done)
    fresh = tmp_path / "fresh.duckdb"
    ingest([v2], fresh, progress=False)
    assert rows(db) == rows(fresh)


# -- the command ------------------------------------------------------------------------


def test_ingest_command(tmp_path: Path):
    folder = write_articles(tmp_path / "cmd", n=3)
    (folder / "tom.txt").write_text("", encoding="utf-8")
    app = typer.Typer(rich_markup_mode=None)
    app.command("ingest")(ingest_command)
    app.command("other")(lambda: None)  # a group, so "ingest" is a subcommand
    db, report = tmp_path / "cmd.duckdb", tmp_path / "cmd.json"
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(
        app, ["ingest", str(folder), "--db", str(db), "--report", str(report), "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    assert "stored" in result.stdout and "3" in result.stdout
    assert json.loads(report.read_text("utf-8"))["stored"] == 3
    result = runner.invoke(
        app, ["ingest", str(folder), "--db", str(db), "--report", str(report), "--no-progress"]
    )
    assert result.exit_code == 0
    data = json.loads(report.read_text("utf-8"))
    assert (data["unchanged"], data["skipped"]) == (3, 1)
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--published", "igår"])
    assert result.exit_code == 2
    assert "not ISO 8601" in result.output
    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "tom.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(only_bad), "--db", str(db), "--no-progress"])
    assert result.exit_code == 1
