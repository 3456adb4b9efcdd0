"""Reading HTML pages: main text without boilerplate, metadata, layout blocks, errors."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from hendelse.reader import Article, ArticleError, article_from_html, read_path
from hendelse.reader.webpage import _page_date

PAGES = Path(__file__).parent / "fixtures" / "html"
NOISE = [
    "Forsiden",
    "Kultur og underholdning",
    "Logg inn",
    "ANNONSE",
    "flybilletter",
    "Boligdrøm",
    "Del på Facebook",
    "Les også",
    "Kjendisparet",
    "Strømavtale",
    "Ansvarlig redaktør",
    "informasjonskapsler",
]


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, article.block_text(b)) for b in article.blocks]


def read_one(path: Path, **kwargs) -> Article | ArticleError:
    items = list(read_path(path, **kwargs))
    assert len(items) == 1
    return items[0]


def test_news_page_main_text_without_navigation_ads_or_footer():
    article = read_one(PAGES / "nb_news.html")
    assert isinstance(article, Article)
    assert "Forsvarsministeren besøkte Bodø tirsdag." in article.text
    assert "krever et møte med statsråden før sommeren." in article.text
    for noise in NOISE:
        assert noise not in article.text, noise
    # one paragraph a line, a blank line between paragraphs, headline first
    assert article.text.startswith("Regjeringen vil styrke beredskapen i nord\n\nForsvars")
    assert "\n\n\n" not in article.text and not article.text.endswith("\n")


def test_news_page_metadata():
    path = PAGES / "nb_news.html"
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.title == "Regjeringen vil styrke beredskapen i nord"
    assert article.published == "2024-03-12T08:10:00+01:00"
    assert article.source == "Nordlys Nyheter"
    assert article.url == "https://nyheter.example.no/innenriks/beredskap-i-nord-1234"
    assert article.origin == str(path)
    assert article.id == "nb_news"
    assert article.language == "nb"


def test_news_page_layout_blocks_with_figure_caption():
    article = read_one(PAGES / "nb_news.html")
    assert isinstance(article, Article)
    assert kinds(article) == [
        ("headline", "Regjeringen vil styrke beredskapen i nord"),
        (
            "lead",
            "Forsvarsministeren besøkte Bodø tirsdag. Han lovet flere soldater til "
            "Nord-Norge og et nytt øvingsfelt i Indre Troms.",
        ),
        ("label", "VIKTIG BESØK:"),
        ("caption", "Forsvarsministeren hilser på soldater i Bodø."),
        ("credit", "Foto: NTB/Kari Nordmann"),
        (
            "paragraph",
            "Ifølge departementet skal 300 nye soldater stasjoneres i landsdelen innen "
            "utgangen av neste år. Bevilgningen kommer i revidert nasjonalbudsjett i mai.",
        ),
        ("subheading", "Krever svar"),
        (
            "paragraph",
            "Ordføreren i Bodø sier kommunen ikke er blitt informert om planene, og krever "
            "et møte med statsråden før sommeren.",
        ),
        (
            "paragraph",
            "– Vi har lest om dette i avisen, og det er ikke godt nok, sier ordføreren til avisen.",
        ),
    ]
    for block in article.blocks:  # spans index the extracted text exactly
        assert article.text[block.start : block.end] == article.block_text(block)


def test_published_overrides_the_page_date():
    article = read_one(PAGES / "nb_news.html", published="2024-03-13")
    assert isinstance(article, Article) and article.published == "2024-03-13"


def test_archive_page_in_windows_1252_with_a_layout_table():
    article = read_one(PAGES / "nb_archive_cp1252.htm")
    assert isinstance(article, Article)
    assert article.title == "Statsministeren ankom Haparanda tirsdag"
    assert article.published == "2023-09-12"  # a day only: no invented time
    assert "Ifølge medier i Sverige og Finland skal Støre ha møte" in article.text
    for noise in ("Forside", "Økonomi", "Arkiv", "Gjengivelse", "Møtested", "|"):
        assert noise not in article.text, noise
    assert [kind for kind, _ in kinds(article)] == [
        "headline",
        "lead",
        "paragraph",
        "paragraph",
        "paragraph",
    ]


def test_page_without_main_text_is_a_clear_error():
    path = PAGES / "no_text.html"
    error = read_one(path)
    assert isinstance(error, ArticleError)
    assert str(error) == (
        f"{path}: the page has no main text (only navigation, ads or other boilerplate was found)"
    )


def test_empty_binary_and_non_html_pages(tmp_path: Path):
    (tmp_path / "a_empty.html").write_text("  \n", encoding="utf-8")
    (tmp_path / "b_binary.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "c_plain.html").write_text("bare tekst uten noen tagger i det hele tatt", "utf-8")
    messages = [str(item) for item in read_path(tmp_path)]
    assert messages[0].endswith("a_empty.html: the page is empty")
    assert messages[1].endswith("b_binary.htm: the file holds NUL bytes: it looks binary, not HTML")
    assert messages[2].endswith("c_plain.html: cannot parse the page as HTML")


def test_folder_reads_html_and_htm_among_other_files(tmp_path: Path):
    for name in ("nb_news.html", "nb_archive_cp1252.htm", "nn_news.html"):
        (tmp_path / "sider").mkdir(exist_ok=True)
        (tmp_path / "sider" / name).write_bytes((PAGES / name).read_bytes())
    (tmp_path / "notat.txt").write_text("Ola kom til Oslo.", encoding="utf-8")
    items = list(read_path(tmp_path))
    assert all(isinstance(i, Article) for i in items)
    assert [i.id for i in items] == ["notat", "nb_archive_cp1252", "nb_news", "nn_news"]


def page(body: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
        "<nav><a href='/'>Forsiden</a> <a href='/sport'>Sport</a></nav>"
        f"<article>{body}</article><footer>Ansvarlig redaktør: Per Hansen</footer></body></html>"
    )


TIME_PAGE = page(
    "<h1>Kari reiste til Bergen</h1>"
    "<time datetime='2023-09-12T18:00:00+02:00'>12. september</time>"
    "<p>Kari Nordmann reiste tirsdag kveld til Bergen for å møte fylkesordføreren.</p>"
    "<p>Møtet skal handle om nye ferjeavganger over fjorden neste sommer.</p>",
    head="<title>Kari reiste til Bergen</title>",
)


def test_jsonl_records_with_html(tmp_path: Path):
    records = [
        {"id": "p1", "html": TIME_PAGE},
        {"id": "p2", "html": TIME_PAGE, "title": "Egen tittel", "published": "2023-09",
         "url": "https://example.org/p2", "source": "Arkivet"},
        {"id": "p3", "text": "Ola kom til Oslo.", "html": TIME_PAGE},
        {"id": "p4", "html": page("<p>Kort.</p>")},
        {"id": "p5", "html": 12},
    ]  # fmt: skip
    path = tmp_path / "sider.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    p1, p2, p3, p4, p5 = list(read_path(path))
    assert isinstance(p1, Article) and p1.id == "p1" and p1.origin == f"{path}:1"
    assert p1.published == "2023-09-12T18:00:00+02:00"  # from <time datetime>
    assert p1.title == "Kari reiste til Bergen"
    assert p1.text.startswith("Kari reiste til Bergen\n\nKari Nordmann reiste tirsdag")
    assert "Forsiden" not in p1.text and "Ansvarlig" not in p1.text
    assert "12. september" not in p1.text
    # the record's own fields win over the page's
    assert isinstance(p2, Article)
    assert (p2.title, p2.published, p2.url, p2.source) == (
        "Egen tittel",
        "2023-09",
        "https://example.org/p2",
        "Arkivet",
    )
    assert p2.text.startswith("Kari reiste til Bergen\n\nKari Nordmann")  # the page's own
    assert isinstance(p3, Article) and p3.text == "Ola kom til Oslo."  # text wins
    assert str(p4).startswith(f"{path}:4: the page has no main text")
    assert str(p5) == f"{path}:5: the record has no 'text' string"


def test_html_on_standard_input(monkeypatch: pytest.MonkeyPatch):
    stdin = io.TextIOWrapper(io.BytesIO(("\ufeff  " + TIME_PAGE).encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    article = read_one(Path("-"))
    assert isinstance(article, Article) and article.origin == "<stdin>"
    assert article.title == "Kari reiste til Bergen"


def test_figcaption_without_credit_and_with_nested_markup():
    html = page(
        "<h1>Brann i Bergen sentrum</h1>"
        "<p>Brannvesenet rykket ut til en brann i en bygård i Bergen sentrum natt til søndag.</p>"
        "<figure><img src='a.jpg'><figcaption class='image-caption'>"
        "<span class='caption-text'>SLUKKET: Brannfolk i arbeid i Vaskerelven.</span>"
        "<p class='credit'>Foto: Ola Nordmann</p></figcaption></figure>"
        "<figure><img src='b.jpg'><figcaption>Beboerne ble evakuert til et hotell i nærheten"
        "</figcaption></figure>"
        "<p>Ingen personer ble skadet i brannen, opplyser politiet i Vest politidistrikt.</p>"
    )  # fmt: skip
    article = article_from_html(html, where="brann.html")
    assert kinds(article)[2:6] == [
        ("label", "SLUKKET:"),
        ("caption", "Brannfolk i arbeid i Vaskerelven."),
        ("credit", "Foto: Ola Nordmann"),
        ("caption", "Beboerne ble evakuert til et hotell i nærheten"),
    ]
    assert kinds(article)[-1][0] == "paragraph"


@pytest.mark.parametrize(
    ("found", "kept"),
    [
        ("2024-03-12T08:10:00+0100", "2024-03-12T08:10:00+01:00"),
        ("2024-03-12T07:10:00+0000", "2024-03-12T07:10:00+00:00"),
        ("2024-03-12T00:00:00", "2024-03-12"),  # htmldate's midnight for a day only
        ("2024-03-12T08:10:00", "2024-03-12T08:10:00"),
        ("2024-03-12", "2024-03-12"),
        (None, None),
        ("i går", None),
    ],
)
def test_page_dates_are_iso_and_never_finer_than_given(found: str | None, kept: str | None):
    assert _page_date(found) == kept
