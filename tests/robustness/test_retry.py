"""Fail loud: failures are stored with their reason, listed by `show`, and retried on request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.models import RawDocument, Rejected
from dateline.pipeline import Pipeline
from dateline.retry import retry_failures
from dateline.settings import Settings
from dateline.store import Store

from .conftest import REFERENCE

pytestmark = pytest.mark.slow
runner = CliRunner()
UNDATED = "Orc raiders shelled Bree on Monday, killing 4 civilians, medics said.\n"


@pytest.fixture
def test_model(monkeypatch: pytest.MonkeyPatch, nlp: Any) -> None:
    """The CLI gets the session's test model instead of loading the full one each time."""
    monkeypatch.setattr("dateline.nlp.load_nlp", lambda *_, **__: nlp)


def test_failed_documents_are_listed_and_resolved_by_retry(
    tmp_path: Path, test_model: None
) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite'}"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "undated.txt").write_text(UNDATED)
    feed = inputs / "feed.jsonl"
    feed.write_text(json.dumps({"text": "Bree, 5 March 2024\n\n" + UNDATED}) + "\n")
    feed.write_text(feed.read_text() + json.dumps({"text": UNDATED.replace("4", "7")}) + "\n")
    gone = inputs / "gone.txt"
    gone.write_text(UNDATED.replace("4", "9"))

    first = runner.invoke(app, ["ingest", str(inputs), "--db", db])
    assert first.exit_code == 1
    listed = runner.invoke(app, ["show", "--failures", "--db", db], env={"COLUMNS": "250"})
    assert listed.exit_code == 0
    for origin in ("undated.txt", "feed.jsonl:2", "gone.txt"):
        assert origin in listed.output
    assert "E201" in listed.output and "3 open" in listed.output

    gone.unlink()
    second = runner.invoke(app, ["retry", "--db", db, "--date", REFERENCE.isoformat()])
    assert second.exit_code == 1  # gone.txt cannot be read again
    assert "retried 3: resolved 2, still failing 1" in second.output
    with Store(db) as store:
        assert store.count()["documents"] == 3
        failures = {Path(f.origin).name: f for f in store.failures()}
    assert not failures["undated.txt"].is_open and failures["undated.txt"].resolved_doc_id
    assert not failures["feed.jsonl:2"].is_open
    assert failures["gone.txt"].is_open and failures["gone.txt"].attempts == 2
    assert "cannot retry" in failures["gone.txt"].reason


def test_a_kept_raw_document_is_retried_without_its_file(tmp_path: Path, nlp: Any) -> None:
    raw = RawDocument(text=UNDATED, origin="<stdin>")
    with Store(f"sqlite:///{tmp_path / 'k.sqlite'}") as store:
        failed = store.add_failure(
            Rejected(origin="<stdin>", stage="document", code="E201", reason="no date"), raw=raw
        )
        assert failed.raw == raw
        still = retry_failures(store, Pipeline(Settings(), nlp=nlp))
        assert len(still.still_failing) == 1 and store.count()["documents"] == 0
        report = retry_failures(store, Pipeline(Settings(reference_date=REFERENCE), nlp=nlp))
        assert report.resolved == ["<stdin>"] and report.still_failing == []
        assert store.count()["documents"] == 1
        assert [f.is_open for f in store.failures()] == [False]
