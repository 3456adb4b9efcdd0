"""The article: input text exactly as given, its metadata and its layout blocks."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal[
    "header",  # a dataset header line (" date 2023-09"), never analysed as text
    "headline",
    "lead",
    "paragraph",
    "subheading",
    "label",  # a caption label in capitals ("TOK TOGET:"), not content
    "caption",  # a photo caption, read for events
    "credit",  # "Foto: AP/Name": never an actor or a source
    "factbox",  # "2019: Forrige gang …"
    "byline",  # "Av Kari Nordmann": never an actor or a source
]

#: Blocks whose words are not news content: no actor, place or source comes from them.
NON_CONTENT: frozenset[str] = frozenset({"header", "label", "credit", "byline"})

_PARTIAL_DATE = re.compile(
    r"^\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$"
)


class ArticleError(ValueError):
    """An input that cannot be read as an article; the message names it and says why."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class Block:
    """A layout unit of the article, as character offsets into ``Article.text``."""

    kind: BlockKind
    start: int
    end: int


@dataclass
class Article:
    """One news article.

    ``text`` is the input exactly as the contract defines it (a plain-text
    file's decoded content with ``\\r\\n`` turned into ``\\n``, header
    included; a JSONL record's ``text`` field), so that every span the
    system reports is an offset into it.
    """

    text: str
    id: str = ""
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "nb"
    origin: str = ""  # where it was read from: "file.jsonl:12", "article.txt"
    blocks: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.published is not None:
            self.published = normalise_published(self.published, self.origin or self.id)
        if not self.id:
            self.id = content_id(self.text)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def block_at(self, offset: int) -> Block | None:
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block
        return None

    def block_index_at(self, offset: int) -> int:
        """The position in ``blocks`` of :meth:`block_at`'s block, or -1 if none, in one
        scan (``blocks.index(block)`` compares the blocks before it field by field).
        ``block_at`` keeps its own loop: it is asked once per sentence, and
        enumerating the blocks would cost it more than the loop does."""
        for index, block in enumerate(self.blocks):
            if block.start <= offset < block.end:
                return index
        return -1

    @property
    def body_start(self) -> int:
        """Offset of the first character after a dataset header, if any."""
        for block in self.blocks:
            if block.kind != "header":
                return block.start
        return 0


def normalise_published(value: str, where: str = "published") -> str:
    """Check a (possibly partial) ISO 8601 date and return it stripped.

    Partial dates ("2023-09", "2023") are kept partial: the system must never
    invent a finer date than the one it was given.
    """
    value = value.strip()
    if not _PARTIAL_DATE.match(value):
        raise ArticleError(
            where,
            f"published date {value!r} is not ISO 8601 (use 2023, 2023-09, 2023-09-12 "
            "or 2023-09-12T18:00:00+02:00)",
        )
    return value


def normalise_text(text: str) -> str:
    """Turn Windows and old Mac line ends into ``\\n``, as the contract says."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_id(text: str) -> str:
    """A stable id for an article without one: a hash of its normalised text."""
    squeezed = " ".join(text.split()).casefold()
    return "sha1-" + hashlib.sha1(squeezed.encode("utf-8")).hexdigest()[:16]
