"""Read news articles (plain text, HTML pages, JSONL) with their layout and language."""

from hendelse.reader.article import NON_CONTENT, Article, ArticleError, Block
from hendelse.reader.language import LanguageGuess, detect_language, verify_language
from hendelse.reader.sources import article_from_text, read_path, read_paths
from hendelse.reader.webpage import article_from_html

__all__ = [
    "NON_CONTENT",
    "Article",
    "ArticleError",
    "Block",
    "LanguageGuess",
    "article_from_html",
    "article_from_text",
    "detect_language",
    "read_path",
    "read_paths",
    "verify_language",
]
