"""Evidence spans as the record writes them: character offsets and the text between."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Mention(Protocol):
    char_start: int
    char_end: int


def span(text: str, start: int, end: int) -> dict:
    """``{"start", "end", "text"}`` with ``text == text[start:end]``, as the contract asks."""
    return {"start": start, "end": end, "text": text[start:end]}


def mention_spans(text: str, mentions: Iterable[_Mention]) -> list[dict]:
    """The distinct spans of some mentions, in text order."""
    return [span(text, s, e) for s, e in sorted({(m.char_start, m.char_end) for m in mentions})]
