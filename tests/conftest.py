"""Shared test fixtures. Tests that need ../shared skip with a reason when it is absent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the project's shared data folder), which is absent")
    return path


@pytest.fixture(scope="session")
def nlp():
    """The shipped Norwegian pipeline, loaded once for the whole session."""
    from hendelse.nlp.pipeline import load

    return load()


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real server over the web-UI fixture store, shared by the browser test modules."""
    from .serve_helpers import running_server
    from .ui_helpers import build_ui_store

    db = build_ui_store(tmp_path_factory.mktemp("ui-store"))
    with running_server(db) as client:
        yield client


@pytest.fixture(scope="session")
def ui_browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, started once for the browser test modules."""
    from playwright.sync_api import sync_playwright

    from .ui_helpers import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
