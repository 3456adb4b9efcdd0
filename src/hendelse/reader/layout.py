"""Recognise the layout of a news article: headline, lead, paragraphs, captions …

The cues are data (``data/layout.yaml``); this module only walks the lines.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from hendelse.reader.article import Block, BlockKind


@dataclass(frozen=True)
class LayoutRules:
    header: re.Pattern[str]
    credit_markers: tuple[re.Pattern[str], ...]
    byline: tuple[re.Pattern[str], ...]
    factbox: re.Pattern[str]
    caption_label: re.Pattern[str]
    subheading_max_words: int
    sentence_final: re.Pattern[str]


@cache
def layout_rules() -> LayoutRules:
    raw = resources.files("hendelse.reader").joinpath("data/layout.yaml").read_text("utf-8")
    data = yaml.safe_load(raw)
    return LayoutRules(
        header=re.compile(data["header"]),
        credit_markers=tuple(re.compile(p) for p in data["credit_markers"]),
        byline=tuple(re.compile(p) for p in data["byline"]),
        factbox=re.compile(data["factbox"]),
        caption_label=re.compile(data["caption_label"]),
        subheading_max_words=int(data["subheading_max_words"]),
        sentence_final=re.compile(data["sentence_final"]),
    )


def split_header(text: str) -> tuple[str | None, int]:
    """Return the date of a dataset header (" date 2023-09") and where the body starts."""
    match = layout_rules().header.match(text)
    if not match:
        return None, 0
    return match.group("date"), match.end()


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """Non-empty lines after ``start`` as (start, end) with surrounding blanks trimmed."""
    spans = []
    for match in re.finditer(r"[^\n]+", text[start:]):
        s, e = match.start() + start, match.end() + start
        stripped = text[s:e]
        left = len(stripped) - len(stripped.lstrip())
        right = len(stripped.rstrip())
        if right > left:
            spans.append((s + left, s + right))
    return spans


def _credit_start(line: str) -> int | None:
    rules = layout_rules()
    found = [m.start() for p in rules.credit_markers if (m := p.search(line))]
    return min(found) if found else None


def squeeze(line: str) -> str:
    """A line with its runs of whitespace turned into single spaces, for comparing lines."""
    return " ".join(line.split())


def detect_blocks(
    text: str, title: str | None = None, *, captions: Collection[str] = ()
) -> list[Block]:
    """Split ``text`` into layout blocks (character offsets into ``text``).

    ``captions`` are lines known to be photo captions (as :func:`squeeze` gives
    them), e.g. an HTML page's ``<figcaption>`` texts: such a line becomes a
    caption (with its label, if any) even when it has no photo credit.
    """
    rules = layout_rules()
    known_captions = {squeeze(c) for c in captions}
    blocks: list[Block] = []
    _, body = split_header(text)
    if body:
        header_end = body
        while header_end > 0 and text[header_end - 1] in " \t":
            header_end -= 1
        blocks.append(Block("header", 0, header_end))
    seen_content = False
    lead_given = False
    for number, (start, end) in enumerate(_lines(text, body)):
        line = text[start:end]
        kind: BlockKind
        credit = _credit_start(line)
        if credit is not None:
            caption = line[:credit].rstrip()
            label = rules.caption_label.match(caption)
            if label:
                blocks.append(Block("label", start, start + len(label.group(0).rstrip())))
            if len(caption) > (label.end() if label else 0):
                blocks.append(
                    Block("caption", start + (label.end() if label else 0), start + len(caption))
                )
            blocks.append(Block("credit", start + credit, end))
            continue
        if known_captions and squeeze(line) in known_captions:
            label = rules.caption_label.match(line)
            if label:
                blocks.append(Block("label", start, start + len(label.group(0).rstrip())))
            blocks.append(Block("caption", start + (label.end() if label else 0), end))
            continue
        if any(p.match(line) for p in rules.byline):
            blocks.append(Block("byline", start, end))
            continue
        words = line.split()
        short = len(words) <= rules.subheading_max_words
        unfinished = not rules.sentence_final.search(line)
        if number == 0 and (unfinished or (title and line.strip() == title.strip())):
            kind = "headline"
        elif rules.factbox.match(line):
            kind = "factbox"
        elif (short and unfinished and seen_content) or (
            short and unfinished and line.lstrip().startswith(("–", "-"))
        ):
            kind = "subheading"
        elif not lead_given:
            kind = "lead"
            lead_given = True
        else:
            kind = "paragraph"
        if kind in ("lead", "paragraph"):
            seen_content = True
        blocks.append(Block(kind, start, end))
    return blocks
