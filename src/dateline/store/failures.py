"""Failure records: a document that could not be read or extracted, kept with its reason."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from dateline.models import RawDocument


class Failure(BaseModel):
    """One stored failure: what failed, where, why, how often; resolved once a retry stores it."""

    model_config = ConfigDict(frozen=True)

    id: int
    origin: str
    stage: str
    code: str
    reason: str
    doc_id: str | None = None
    attempts: int = 1
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolved_doc_id: str | None = None
    raw: RawDocument | None = None

    @property
    def is_open(self) -> bool:
        """Still failing: no retry or later ingest has stored this input yet."""
        return self.resolved_at is None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Failure:
        """Build from a ``failures`` table row (JSON may come back as text on SQLite)."""
        values = dict(row)
        raw = values.get("raw")
        if isinstance(raw, str):
            values["raw"] = json.loads(raw)
        if values.get("attempts") is None:
            values["attempts"] = 1
        return cls.model_validate(values)
