"""The record contract: the committed JSON Schema matches the models and rejects bad records."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from dateline.models import Span, record_json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "record.schema.json"


def test_committed_schema_is_generated_from_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == record_json_schema(), (
        "schema/record.schema.json is stale: run `dateline schema > schema/record.schema.json`"
    )


def test_schema_is_valid_and_rejects_a_record_without_document() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"events": []}, schema)


def test_span_end_before_start_is_refused() -> None:
    with pytest.raises(ValidationError):
        Span(start=10, end=3)
