"""Reading articles: formats, layout blocks, and clear errors for bad input."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from hendelse.reader import Article, ArticleError, article_from_text, read_path
from hendelse.reader.article import content_id

ARTICLE = """ date 2024-03 Regjeringen vil styrke beredskapen i nord

Forsvarsministeren besøkte Bodø tirsdag. Han lovet flere soldater.

VIKTIG BESØK: Forsvarsministeren hilser på soldater i Bodø. Foto: NTB/Kari Nordmann

Krever svar

Ordføreren sier kommunen ikke er blitt informert.

2019: Forrige gang ble basen lagt ned.

Av Ola Nordmann
"""


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, article.block_text(b)) for b in article.blocks]


def test_plain_text_layout_blocks():
    article = article_from_text(ARTICLE, where="test.txt")
    assert article.published == "2024-03"
    assert kinds(article) == [
        ("header", " date 2024-03"),
        ("headline", "Regjeringen vil styrke beredskapen i nord"),
        ("lead", "Forsvarsministeren besøkte Bodø tirsdag. Han lovet flere soldater."),
        ("label", "VIKTIG BESØK:"),
        ("caption", "Forsvarsministeren hilser på soldater i Bodø."),
        ("credit", "Foto: NTB/Kari Nordmann"),
        ("subheading", "Krever svar"),
        ("paragraph", "Ordføreren sier kommunen ikke er blitt informert."),
        ("factbox", "2019: Forrige gang ble basen lagt ned."),
        ("byline", "Av Ola Nordmann"),
    ]
    assert article.title == "Regjeringen vil styrke beredskapen i nord"
    assert article.body_start == len(" date 2024-03 ")


def test_header_on_the_same_line_as_the_first_sentence():
    article = article_from_text(" date 2023-09 Kim ankom tirsdag Khasan.\n", where="x")
    assert kinds(article) == [("header", " date 2023-09"), ("lead", "Kim ankom tirsdag Khasan.")]


def test_offsets_index_the_text_with_windows_line_ends(tmp_path: Path):
    path = tmp_path / "windows.txt"
    path.write_bytes("Tittel her\r\n\r\nOla kom til Oslo i går.\r\n".encode())
    article = next(read_path(path))
    assert "\r" not in article.text
    for block in article.blocks:
        assert article.text[block.start : block.end] == article.block_text(block)
    assert kinds(article)[1] == ("lead", "Ola kom til Oslo i går.")


def test_jsonl_and_gzip(tmp_path: Path):
    records = [
        {"id": "a1", "title": "T", "text": "Ola kom til Oslo.", "published": "2024-01-02"},
        {"id": "a2", "text": "Kari reiste til Bergen.", "url": "https://example.org/a2"},
    ]
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    plain = tmp_path / "a.jsonl"
    plain.write_text(lines, encoding="utf-8")
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(lines.encode("utf-8")))
    for path in (plain, packed):
        items = list(read_path(path))
        assert [a.id for a in items] == ["a1", "a2"]
        assert items[0].published == "2024-01-02" and items[1].url == "https://example.org/a2"
        assert items[0].origin.endswith(":1")


def test_bad_records_are_named_and_the_batch_goes_on(tmp_path: Path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "text": "Ola kom."}\n'
        "{broken\n"
        '{"id": "empty", "text": "   "}\n'
        '{"id": "notext"}\n'
        '{"id": "bad-date", "text": "Kari kom.", "published": "i fjor"}\n'
        '{"id": "ok2", "text": "Kari kom."}\n',
        encoding="utf-8",
    )
    items = list(read_path(path))
    good = [i.id for i in items if isinstance(i, Article)]
    errors = [str(i) for i in items if isinstance(i, ArticleError)]
    assert good == ["ok1", "ok2"]
    assert errors[0].startswith(f"{path}:2: broken JSON")
    assert errors[1] == f"{path}:3: the article is empty"
    assert errors[2] == f"{path}:4: the record has no 'text' string"
    assert errors[3].startswith(f"{path}:5: published date 'i fjor' is not ISO 8601")


def test_binary_undecodable_missing_and_huge_files(tmp_path: Path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Blåbærsyltetøy på brødskiva.".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    huge.write_text("Ola kom. " * 30_000, encoding="utf-8")
    messages = {p.name: str(next(read_path(p))) for p in (binary, latin, huge)}
    assert "looks binary" in messages["image.txt"]
    assert "not valid UTF-8 at byte 2" in messages["latin1.txt"]
    assert "more than the limit" in messages["huge.txt"]
    assert "no such file" in str(next(read_path(tmp_path / "nope.txt")))


def test_folder_reads_in_name_order_and_published_overrides(tmp_path: Path):
    (tmp_path / "b.txt").write_text(" date 2023-09 Kari kom.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ola kom.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Skjult.", encoding="utf-8")
    items = list(read_path(tmp_path, published="2023-09-12"))
    assert [a.id for a in items] == ["a", "b"]
    assert {a.published for a in items} == {"2023-09-12"}


def test_content_id_ignores_spacing_and_case():
    assert content_id("Ola  kom\ntil Oslo.") == content_id("ola kom til oslo.")
    assert content_id("Ola kom.") != content_id("Kari kom.")


@pytest.mark.parametrize("value", ["2023", "2023-09", "2023-09-12", "2023-09-12T18:00:00+02:00"])
def test_partial_published_dates_are_kept_partial(value: str):
    assert article_from_text("Ola kom.", where="x", published=value).published == value
