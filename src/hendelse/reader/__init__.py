"""Read news articles (plain text, JSONL) with their layout."""

from hendelse.reader.article import NON_CONTENT, Article, ArticleError, Block
from hendelse.reader.sources import article_from_text, read_path, read_paths

__all__ = [
    "NON_CONTENT",
    "Article",
    "ArticleError",
    "Block",
    "article_from_text",
    "read_path",
    "read_paths",
]
