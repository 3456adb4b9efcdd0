"""Read news articles from HTML pages with trafilatura (offline).

trafilatura finds the main text of a page (leaving navigation, ads, related
links and footers behind) and its metadata: title, publication date (via
htmldate), canonical URL and site name. The article's ``text`` is the
extracted text, one paragraph a line with a blank line between paragraphs,
the headline first; it is "the input text" that every span indexes, and
``origin`` names the page file (or JSONL line) it came from.

Two small changes to the page before trafilatura reads it:

- photo captions (``<figcaption>``) are kept as lines of their own and marked
  as caption blocks; trafilatura alone would drop them with the image;
- layout tables (old archive pages set the whole article in a table cell) are
  turned into plain divisions, or trafilatura would give the page as one
  table row. Data tables (results, figures) are left out: their rows are not
  sentences.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hendelse.reader.article import Article, ArticleError, normalise_published
from hendelse.reader.layout import squeeze
from hendelse.reader.sources import article_from_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

#: Pages larger than this (bytes or characters) are refused unread.
MAX_PAGE_SIZE = 20_000_000
#: A page whose extracted text has no line of at least this many words has no
#: article on it (an error page, a front page, a menu).
MIN_LINE_WORDS = 5

#: Dates from markup only (meta tags, <time>, JSON-LD, the URL): htmldate's
#: "extensive search" would take any date in the page's text, such as a
#: related article's, which is worse than no date.
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,  # published, not last modified
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
_BLOCK_TAGS = {"p", "div", "br", "li", "figcaption"}
#: A table cell with this much text, or with a heading or paragraphs in it,
#: holds an article, not data.
LAYOUT_CELL_CHARS = 250
_OWN_CELLS = "./tr/td|./tr/th|./*/tr/td|./*/tr/th"
_OWN_STRUCTURE = "./thead|./tbody|./tfoot|./tr|./*/tr|" + _OWN_CELLS
_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def article_from_html(
    html: str | bytes,
    *,
    where: str,
    id: str = "",
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Article:
    """Build an article from an HTML page.

    Values given here (a JSONL record's fields, ``--published``) win over
    what the page says; the page's metadata fills the rest.
    """
    from trafilatura import bare_extraction, load_html

    if isinstance(html, bytes) and b"\x00" in html[:4096]:
        raise ArticleError(where, "the file holds NUL bytes: it looks binary, not HTML")
    if not html.strip():
        raise ArticleError(where, "the page is empty")
    if len(html) > MAX_PAGE_SIZE:
        raise ArticleError(
            where, f"the page has {len(html):,} bytes, more than the limit of {MAX_PAGE_SIZE:,}"
        )
    tree = load_html(html)
    if tree is None:
        raise ArticleError(where, "cannot parse the page as HTML")
    _unwrap_layout_tables(tree)
    captions = _keep_captions(tree)
    document = bare_extraction(
        tree,
        url=url,
        favor_precision=True,  # news: leave teasers and link lists out
        include_comments=False,
        include_tables=False,  # data tables; layout tables are divisions by now
        include_images=False,
        include_formatting=False,
        include_links=False,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
    )
    lines = _lines(document.text if document is not None else "")
    if not any(len(line.split()) >= MIN_LINE_WORDS for line in lines):
        raise ArticleError(
            where,
            "the page has no main text (only navigation, ads or other boilerplate was found)",
        )
    assert document is not None
    # The page's headline starts the text (trafilatura may leave the <h1> out);
    # a title given from outside is metadata and is added only to a page without one.
    headline = _clean(document.title) or _clean(title)
    if headline and headline not in lines:
        lines.insert(0, headline)
    title = title or _clean(document.title)
    return article_from_text(
        "\n\n".join(lines),
        where=where,
        id=id,
        title=title,
        published=published or _page_date(document.date),
        source=source or _clean(document.sitename) or _clean(document.hostname),
        url=url or _clean(document.url),
        captions=captions,
    )


def read_html_file(path: Path, published: str | None = None) -> Article:
    """Read an ``.html`` / ``.htm`` file (its encoding is detected)."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ArticleError(where, f"cannot read the file ({err.strerror})") from None
    return article_from_html(data, where=where, id=path.stem, published=published)


def _keep_captions(tree: HtmlElement) -> list[str]:
    """Turn each ``<figcaption>`` into a plain paragraph that trafilatura keeps.

    trafilatura drops ``<figure>`` with its caption unless it keeps images (and
    then it keeps no caption text either). Each caption becomes a ``<p>`` with
    its text alone, its figure a ``<div>``; the captions' texts are returned
    so that the layout can mark those lines as captions.
    """
    captions = []
    for caption in list(tree.iter("figcaption")):
        for element in caption.iter():
            if element is not caption and element.tag in _BLOCK_TAGS:
                element.tail = " " + (element.tail or "")
                element.text = " " + (element.text or "")
        text = squeeze("".join(caption.itertext()))
        parent = caption.getparent()
        if parent is not None and parent.tag == "figure":
            parent.tag = "div"
            parent.attrib.clear()
        tail = caption.tail
        caption.clear()  # drops children and attributes ("caption" classes are discarded)
        caption.tag = "p"
        caption.tail = tail
        if text:
            caption.text = text
            captions.append(text)
    return captions


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    """Turn tables used for page layout into divisions (their cells into blocks)."""
    layout = [
        table
        for table in tree.iter("table")
        if table.get("role") in ("presentation", "none")
        or any(_holds_article(cell) for cell in table.xpath(_OWN_CELLS))
    ]
    for table in layout:
        for element in [table, *table.xpath(_OWN_STRUCTURE)]:
            element.tag = "div"


def _holds_article(cell: HtmlElement) -> bool:
    if cell.find(".//h1") is not None or cell.find(".//h2") is not None:
        return True
    if len(cell.findall(".//p")) >= 2:
        return True
    return len(squeeze("".join(cell.itertext()))) >= LAYOUT_CELL_CHARS


def _lines(text: str) -> list[str]:
    """The extracted text's non-empty lines, whitespace squeezed, duplicates in a row dropped."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = squeeze(raw)
        if line and (not lines or lines[-1] != line):
            lines.append(line)
    return lines


def _clean(value: str | None) -> str | None:
    value = squeeze(value) if value else ""
    return value or None


def _page_date(value: str | None) -> str | None:
    """htmldate's date as ISO 8601, no finer than the page gave it.

    htmldate writes "T00:00:00" without an offset when the page gave a day
    only: that becomes the day. "+0100" becomes "+01:00".
    """
    if not value:
        return None
    if value.endswith("T00:00:00"):
        value = value[: -len("T00:00:00")]
    value = _OFFSET.sub(r"\1:\2", value) if "T" in value else value
    try:
        return normalise_published(value)
    except ArticleError:
        return None
