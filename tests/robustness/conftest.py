"""Hostile-input fixtures: a pipeline on the session's test model, example counts from the env."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest

from dateline.pipeline import Pipeline
from dateline.settings import Settings

from ..store.conftest import PG_URL, pg_url

__all__ = ["pg_url"]  # the fixture, shared with the store tests

# A longer run: DATELINE_HYPOTHESIS_EXAMPLES=5000 .venv/bin/pytest tests/robustness
EXAMPLES = int(os.environ.get("DATELINE_HYPOTHESIS_EXAMPLES", "200"))
REFERENCE = dt.date(2024, 3, 5)


@pytest.fixture(scope="session")
def hostile_pipeline(nlp: Any) -> Pipeline:
    """Real model and gazetteer, a fixed reference date, and a time limit per document."""
    return Pipeline(Settings(reference_date=REFERENCE, time_limit=30, max_chars=200_000), nlp=nlp)


@pytest.fixture
def pg_store_url(request: pytest.FixtureRequest) -> str | None:
    """A throwaway PostgreSQL database when the server is there (always in CI), else None."""
    try:
        url: str = request.getfixturevalue("pg_url")
    except pytest.skip.Exception:
        return None
    assert url != PG_URL
    return url
