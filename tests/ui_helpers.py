"""A real store, a real server and real headless Chromium for the web UI tests.

The store is built by the real ingest from tests/fixtures/ui/articles.jsonl;
the server is uvicorn in a thread (tests/serve_helpers.py); the browser is
Debian's Chromium driven by Playwright. Each page is watched: a JavaScript
error, a dialog (alert) or a request to anything but the test server fails
the test that caused it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import FIXTURES

CHROMIUM = Path("/usr/bin/chromium")
UI_ARTICLES = FIXTURES / "ui" / "articles.jsonl"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 800}


def require_chromium() -> None:
    """Skip the module when there is no browser to drive."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
            allow_module_level=True,
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("needs the playwright Python package", allow_module_level=True)


def build_ui_store(folder: Path) -> Path:
    """Ingest the UI test articles (with stories) into ``folder/ui.duckdb``."""
    from hendelse.store.ingest import ingest

    db = folder / "ui.duckdb"
    summary = ingest([UI_ARTICLES], db, workers=1, progress=False)
    assert summary.stored == 5 and not summary.skipped, summary.to_dict()
    return db


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


@dataclass
class Watch:
    """What a page did that it should not: script errors, dialogs, foreign requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert not self.dialogs, f"a dialog was opened (script ran): {self.dialogs}"
        assert not self.errors, f"JavaScript errors: {self.errors}"
        assert not self.foreign, f"requests to other hosts: {self.foreign}"


def watched_page(browser: Any, base_url: str) -> tuple[Any, Any, Watch]:
    """A new context and page at 1280×800 that records errors, dialogs and foreign requests."""
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url)
    page = context.new_page()
    watch = Watch()
    own = urlsplit(base_url).netloc

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc != own and not url.startswith("data:"):
            watch.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", route)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))

    def console(message: Any) -> None:
        # A 404 from the API (an unknown article) is shown by the page, not an error here.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            watch.errors.append(message.text)

    page.on("console", console)

    def dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return context, page, watch


def page_fixture(browser: Any, base_url: str) -> Iterator[Any]:
    """Yield a watched page; after the test, check the watch and close the context."""
    context, page, watch = watched_page(browser, base_url)
    try:
        yield page
        watch.check()
    finally:
        context.close()
