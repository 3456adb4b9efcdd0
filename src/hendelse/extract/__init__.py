"""Event extraction: parsed Norwegian articles to PLOVER event records.

``Extractor`` and ``extract`` are imported lazily, so that the small
modules here (``timex``, ``lexicon``) load without the whole extractor.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Extractor", "extract"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from hendelse.extract import extractor

        return getattr(extractor, name)
    raise AttributeError(name)
