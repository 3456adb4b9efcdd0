"""The event lexicon: every entry's example sentence goes through the whole pipeline.

An entry's `expect` says what the extractor must find in its example: an
event of the entry's category, triggered by the entry, with the expected
actor, recipient and location (substrings of what fills the role).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hendelse.extract import Extractor
from hendelse.extract.lexicon import LexiconError, load_lexicon
from hendelse.nlp.pipeline import make_article_doc
from hendelse.reader.sources import article_from_text

DATA = Path(__file__).resolve().parent / "data"
LEXICON = load_lexicon()
PLOVER = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


def test_lexicon_covers_plover():
    assert len(LEXICON) >= 300
    assert {e.category for e in LEXICON.entries} == PLOVER
    assert set(LEXICON.categories) == PLOVER


def test_every_entry_has_an_example_and_expectations():
    for entry in LEXICON.entries:
        assert entry.example, f"{entry.source}: no example"
        assert entry.expect.get("actor"), f"{entry.source}: expect has no actor"


def test_bad_entries_are_refused(tmp_path):
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (tmp_path / "plover.yaml").write_text(
        "categories:\n  ASSAULT: {quad: material conflict, modes: [aerial], cameo: '19'}\n"
    )
    (folder / "assault.yaml").write_text("- lemma: true\n")
    with pytest.raises(LexiconError, match=r"assault.yaml#1: lemma True is not text"):
        load_lexicon(folder)
    (folder / "assault.yaml").write_text("- lemma: bombe\n  mode: naval\n")
    with pytest.raises(LexiconError, match="mode 'naval' is not a ASSAULT mode"):
        load_lexicon(folder)
    (folder / "assault.yaml").write_text("- lemma: bombe\n  actor: [subjekt]\n")
    with pytest.raises(LexiconError, match="unknown actor source 'subjekt'"):
        load_lexicon(folder)


@pytest.fixture(scope="module")
def records(nlp):
    """One extraction per lexicon example, run as one batch."""
    extractor = Extractor(LEXICON)
    articles = [
        article_from_text(e.example, where=e.source, id=e.source, published="2024-05-14")
        for e in LEXICON.entries
    ]
    docs = nlp.pipe([make_article_doc(nlp, a) for a in articles], batch_size=64)
    return {a.id: extractor(a, doc) for a, doc in zip(articles, docs, strict=True)}


def _texts(record: dict, roles: list[dict]) -> list[str]:
    entities = {e["id"]: e for e in record["entities"]}
    found = []
    for role in roles:
        entity = entities[role["entity"]]
        found.append(entity["name"])
        found += [m["text"] for m in entity["mentions"]]
        if role.get("span"):
            found.append(role["span"]["text"])
    return found


def _fits(expected: str | None, texts: list[str]) -> bool:
    if not expected:
        return True
    want = expected.lower()
    return any(want in t.lower() or t.lower() in want for t in texts if t)


def check(entry, record: dict) -> str | None:
    """Why the record fails the entry's expectations, or None."""
    events = [
        ev
        for ev in record["events"]
        if ev["type"] == entry.category and ev["explain"]["entry"].endswith(entry.source)
    ]
    if not events:
        found = [f"{ev['type']} by {ev['explain']['entry']}" for ev in record["events"]]
        return f"no {entry.category} event from {entry.lemma!r} (found: {found})"
    expect = entry.expect
    problems = []
    for event in events:
        problems = []
        actors = _texts(record, event["actor"])
        recipients = _texts(record, event["recipient"])
        if entry.symmetric:
            actors = recipients = actors + recipients
        if not _fits(expect.get("actor"), actors):
            problems.append(f"actor {expect['actor']!r} not in {actors}")
        if not _fits(expect.get("recipient"), recipients):
            problems.append(f"recipient {expect['recipient']!r} not in {recipients}")
        if expect.get("location"):
            location = event["location"]["span"]["text"] if event["location"] else ""
            if not _fits(expect["location"], [location]):
                problems.append(f"location {expect['location']!r} not in {location!r}")
        if not problems:
            return None
    return "; ".join(problems)


#: Examples the shipped model does not yet get right, each with the reason
#: (tests/data/lexicon_known_failures.yaml). They are expected failures: when
#: one starts passing, the test fails until it is taken off the list.
KNOWN = yaml.safe_load((DATA / "lexicon_known_failures.yaml").read_text(encoding="utf-8"))
KNOWN_FAILURES: dict[str, str] = KNOWN.get("failures") or {}


def _param(entry):
    marks = []
    if entry.source in KNOWN_FAILURES:
        marks.append(pytest.mark.xfail(reason=KNOWN_FAILURES[entry.source], strict=True))
    return pytest.param(entry, id=f"{entry.source}:{entry.lemma}", marks=marks)


def test_known_failures_are_few_and_real():
    sources = {e.source for e in LEXICON.entries}
    assert set(KNOWN_FAILURES) <= sources, set(KNOWN_FAILURES) - sources
    assert len(KNOWN_FAILURES) <= len(LEXICON) // 10, "more than a tenth of the lexicon fails"


@pytest.mark.parametrize("entry", [_param(e) for e in LEXICON.entries])
def test_example_gives_the_entrys_event(entry, records):
    problem = check(entry, records[entry.source])
    assert problem is None, f"{entry.source} {entry.lemma!r}: {entry.example!r}: {problem}"
