"""Like Datasette: a command or option missing from docs/cli.md fails a test."""

from __future__ import annotations

import click
import pytest
import typer.main

from hendelse.cli import app
from hendelse.nlp.train import app as train_app

from .conftest import REPO

DOCS = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    marker = f"## `{title}`"
    assert marker in DOCS, f"docs/cli.md has no section {marker}"
    start = DOCS.index(marker)
    nxt = DOCS.find("\n## ", start + len(marker))
    return DOCS[start : nxt if nxt != -1 else None]


MAIN = typer.main.get_command(app)
TRAIN = typer.main.get_command(train_app)


@pytest.mark.parametrize("name", sorted(MAIN.commands))
def test_every_command_and_option_is_documented(name: str):
    section = _section(f"hendelse {name}")
    for param in MAIN.commands[name].params:
        if isinstance(param, click.Option):
            for flag in param.opts + param.secondary_opts:
                if flag.startswith("--") or flag in ("-f",):
                    assert f"`{flag}" in section or flag in section, (
                        f"option {flag} of `hendelse {name}` is not in docs/cli.md"
                    )


@pytest.mark.parametrize("name", sorted(TRAIN.commands))
def test_every_training_command_is_documented(name: str):
    section = _section("hendelse-train")
    assert f"hendelse-train {name}" in section
    for param in TRAIN.commands[name].params:
        if isinstance(param, click.Option):
            for flag in param.opts:
                if flag.startswith("--"):
                    assert flag in section, f"option {flag} of hendelse-train {name} undocumented"


def test_global_options_documented():
    for flag in ("--version", "--help"):
        assert f"`{flag}`" in DOCS
