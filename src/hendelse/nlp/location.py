"""Where the Norwegian pipeline's files are, found without importing spaCy.

``hendelse ingest`` checks that the model is there before it starts; its
parent process never parses, and importing spaCy there would cost it about
0.7 s of CPU time that the worker processes, loading the model at the same
moment, need.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

MODEL_ENV = "HENDELSE_MODEL"


def shipped_model_path() -> Path:
    """Where the trained pipeline lives inside the installed package."""
    return Path(str(resources.files("hendelse").joinpath("models/nb_hendelse")))


def model_path() -> Path:
    """The model to load: ``$HENDELSE_MODEL`` if set, else the shipped one."""
    override = os.environ.get(MODEL_ENV)
    return Path(override) if override else shipped_model_path()
