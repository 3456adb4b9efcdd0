"""Text folding shared by the name tables."""

from __future__ import annotations

import sys
import unicodedata
from functools import cache


@cache
def _combining_marks() -> dict[int, None]:
    """A ``str.translate`` table that deletes every combining character."""
    return dict.fromkeys(
        (c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))), None
    )


def strip_combining(text: str) -> str:
    """``text`` without combining characters (accents after an NFD/NFKD decomposition).

    The same as ``"".join(c for c in text if not unicodedata.combining(c))``, but
    one ``str.translate`` call instead of a Python step per character: names are
    folded this way for every lookup.
    """
    if text.isascii():
        return text
    return text.translate(_combining_marks())
