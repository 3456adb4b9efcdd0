"""The language check: Bokmål and Nynorsk pass, other languages are named errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hendelse.reader import (
    Article,
    ArticleError,
    article_from_text,
    detect_language,
    read_path,
    read_paths,
    verify_language,
)
from hendelse.reader.language import SAMPLE_CHARS, content_sample, detector

PAGES = Path(__file__).parent / "fixtures" / "html"

BOKMAL = (
    "Forsvarsministeren besøkte Bodø tirsdag. Han lovet flere soldater til Nord-Norge og et "
    "nytt øvingsfelt i Indre Troms. Ordføreren sier kommunen ikke er blitt informert."
)
NYNORSK = (
    "Forsvarsministeren vitja Bodø tysdag. Han lova fleire soldatar til Nord-Noreg og eit nytt "
    "øvingsfelt i Indre Troms. Ordføraren seier at kommunen ikkje har fått vite noko om planane."
)
DANISH = (
    "Statsministeren besøgte onsdag Aalborg, hvor hun mødtes med borgmesteren og "
    "repræsentanter for erhvervslivet. Regeringen vil bruge flere penge på den kollektive "
    "trafik i Nordjylland, oplyser Transportministeriet."
)
ENGLISH = (
    "The defence minister visited Bodø on Tuesday and promised more soldiers for northern "
    "Norway. The mayor says the municipality has not been informed about the plans."
)


def not_norwegian(where: str, language: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(f"{where}: not Norwegian (detected {language}, confidence ")
        + r"[01]\.\d\d\); hendelse reads Bokmål news"
    )


def test_english_and_swedish_pages_are_refused_with_a_clear_message():
    english, swedish = PAGES / "en_news.html", PAGES / "sv_news.html"
    items = list(read_paths([english, swedish, PAGES / "nb_news.html"]))
    assert isinstance(items[0], ArticleError) and isinstance(items[1], ArticleError)
    assert not_norwegian(str(english), "English").fullmatch(str(items[0]))
    assert not_norwegian(str(swedish), "Swedish").fullmatch(str(items[1]))
    assert isinstance(items[2], Article) and items[2].language == "nb"


def test_nynorsk_page_is_read_as_nn():
    article = next(read_path(PAGES / "nn_news.html"))
    assert isinstance(article, Article)
    assert article.language == "nn"
    assert article.title == "Forsvarsministeren lova fleire soldatar til Nord-Noreg"
    assert article.published == "2024-03-13T10:15:00+01:00"  # from JSON-LD
    assert article.source == "Vestlandsnytt"


def test_jsonl_batch_goes_on_past_articles_in_other_languages(tmp_path: Path):
    records = [
        {"id": "nb", "text": BOKMAL},
        {"id": "en", "text": ENGLISH},
        {"id": "da", "text": DANISH},
        {"id": "nn", "text": NYNORSK},
        {"id": "short", "text": "Breaking news from Oslo."},  # too short to check
    ]
    path = tmp_path / "blandet.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    items = list(read_path(path))
    assert [(i.id, i.language) for i in items if isinstance(i, Article)] == [
        ("nb", "nb"),
        ("nn", "nn"),
        ("short", "nb"),
    ]
    errors = [str(i) for i in items if isinstance(i, ArticleError)]
    assert not_norwegian(f"{path}:2", "English").fullmatch(errors[0])
    assert not_norwegian(f"{path}:3", "Danish").fullmatch(errors[1])


def test_plain_text_files_are_checked_too(tmp_path: Path):
    (tmp_path / "a.txt").write_text(" date 2023-09 " + NYNORSK, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ENGLISH, encoding="utf-8")
    first, second = read_path(tmp_path)
    assert isinstance(first, Article) and first.language == "nn"
    assert not_norwegian(str(tmp_path / "b.txt"), "English").fullmatch(str(second))


def test_the_check_can_be_turned_off(tmp_path: Path):
    items = list(read_path(PAGES, check_language=False))
    assert {i.id for i in items if isinstance(i, Article)} == {
        "en_news",
        "nb_archive_cp1252",
        "nb_news",
        "nn_news",
        "sv_news",
    }
    assert all(i.language == "nb" for i in items if isinstance(i, Article))  # unchecked
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    assert isinstance(next(read_paths([tmp_path], check_language=False)), Article)


def test_detect_language():
    guess = detect_language(DANISH)
    assert guess is not None and (guess.code, guess.name) == ("da", "Danish")
    assert guess.confidence > 0.9 and guess.norwegian < 0.1 and not guess.is_norwegian
    bokmal = detect_language(BOKMAL)
    assert bokmal is not None and (bokmal.code, bokmal.name) == ("nb", "Bokmål")
    assert bokmal.is_norwegian and bokmal.norwegian > 0.9
    assert detect_language("Ola kom til Oslo i går.") is None  # fewer than six words
    assert detect_language("2023: 12 345 – 67 89 10 11") is None  # numbers are no words


def test_only_the_start_of_the_content_is_read():
    text = "Av Kari Nordmann\n\n" + BOKMAL + "\n\n" + ENGLISH * 40
    article = article_from_text(text, where="lang.txt")
    sample = content_sample(article)
    assert sample.startswith("Forsvarsministeren") and "Kari Nordmann" not in sample
    assert len(sample) <= SAMPLE_CHARS
    # mostly English, but the first 1,000 characters of content hold Bokmål and English
    assert verify_language(article).language == "nb"


def test_credits_and_bylines_are_not_read():
    text = "Foto: Reuters/John Smith and the Associated Press Photo Desk\n\n" + NYNORSK
    article = verify_language(article_from_text(text, where="x"))
    assert article.language == "nn"


def test_verify_language_names_the_origin():
    article = article_from_text(ENGLISH, where="file.jsonl:12")
    try:
        verify_language(article)
    except ArticleError as err:
        assert not_norwegian("file.jsonl:12", "English").fullmatch(str(err))
        assert err.where == "file.jsonl:12"
    else:
        raise AssertionError("English was accepted")


def test_the_detector_is_built_once():
    assert detector() is detector()
