"""``POST /api/extract``: events from posted text, with the model loaded once per process.

The Norwegian pipeline takes seconds to load and some 250 MB, so it is
loaded on the first request, not at start-up. Extractions run one at a
time (spaCy pipelines are not documented as thread-safe, and the machine's
cores are better spent on one parse than on several): requests wait for
their turn on an asyncio lock, holding no worker thread meanwhile, and the
parse itself runs in the thread pool so that the other endpoints go on.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from hendelse.serve.errors import ApiError, ParameterError


class ExtractRequest(BaseModel):
    """What ``POST /api/extract`` reads."""

    text: str = Field(min_length=1, description="The article's text (Norwegian Bokmål).")
    title: str | None = Field(None, max_length=1000, description="Its headline, if separate.")
    published: str | None = Field(
        None,
        max_length=40,
        description="Publication date, ISO 8601, may be partial (2023-09); anchors "
        "relative times such as 'i går'.",
    )


class Extractor:
    """The pipeline and the event extractor, loaded on first use."""

    def __init__(self) -> None:
        self._turn = asyncio.Lock()
        self._parts: tuple[Any, Any] | None = None

    async def extract(self, request: ExtractRequest) -> dict[str, Any]:
        """The posted article's ``hendelse/1`` record; 422 for a bad text or date."""
        async with self._turn:
            return await run_in_threadpool(self._extract, request)

    def _extract(self, request: ExtractRequest) -> dict[str, Any]:
        from hendelse.reader.article import ArticleError, normalise_published
        from hendelse.reader.sources import article_from_text

        published = request.published
        try:
            if published is not None:
                published = normalise_published(published, "published")
        except ArticleError as err:
            raise ParameterError("body.published", err.problem) from None
        try:
            article = article_from_text(
                request.text, where="the posted text", title=request.title, published=published
            )
        except ArticleError as err:
            raise ParameterError("body.text", err.problem) from None
        from hendelse.nlp.pipeline import analyse

        nlp, extractor = self._load()
        return extractor(article, analyse(article, nlp))

    def _load(self) -> tuple[Any, Any]:
        if self._parts is None:
            from hendelse.extract import Extractor as EventExtractor
            from hendelse.nlp.pipeline import ModelNotFoundError, load

            try:
                self._parts = (load(), EventExtractor())
            except ModelNotFoundError as err:
                raise ApiError(503, str(err)) from None
        return self._parts
