"""The ``dateline clusters`` command: reads stored clusters, filters them, rebuilds on request."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.cli import app
from dateline.store import Store

from .link.reports import market_shelling_reports, next_day_shelling

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'c.sqlite'}"
    with Store(url) as store:
        for record in [*market_shelling_reports(), next_day_shelling()]:
            store.add(record)
    return url


def test_clusters_explains_itself() -> None:
    result = runner.invoke(app, ["clusters", "--help"])
    assert result.exit_code == 0 and "independent sources" in result.output


def test_clusters_csv_with_filters(tmp_path: Path) -> None:
    url = _db(tmp_path)
    result = runner.invoke(app, ["clusters", "--db", url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(int(r["source_count"]) for r in rows) == [1, 3]
    result = runner.invoke(app, ["clusters", "--db", url, "--min-sources", "2", "-f", "jsonl"])
    (line,) = result.stdout.strip().splitlines()
    assert json.loads(line)["source_count"] == 3
    result = runner.invoke(app, ["clusters", "--db", url, "--since", "2024-05-04", "-f", "json"])
    assert [c["date_start"] for c in json.loads(result.stdout)] == ["2024-05-04"]


def test_clusters_rebuild_reports_what_it_did(tmp_path: Path) -> None:
    url = _db(tmp_path)
    result = runner.invoke(app, ["clusters", "--db", url, "--rebuild"])
    assert result.exit_code == 0
    assert "clustered 4 events into 2 clusters" in result.output


def test_bad_date_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["clusters", "--db", _db(tmp_path), "--until", "May"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


@pytest.mark.slow
def test_ingest_without_clustering_then_rebuild(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "one.txt").write_text(
        "Dale, 9 April 2024\n\nRaiders burned the granary of Dale on Sunday, killing 3 guards.\n"
    )
    (inputs / "two.txt").write_text(
        "Dale, 10 April 2024\n\nThree guards died when raiders set fire to a granary in Dale "
        "on Sunday, the mayor said.\n"
    )
    url = f"sqlite:///{tmp_path / 'n.sqlite'}"
    stored = runner.invoke(app, ["ingest", str(inputs), "--db", url, "--no-cluster"])
    assert stored.exit_code == 0, stored.output
    with Store(url) as store:
        events = store.count()["events"]
    assert events >= 2
    before = runner.invoke(app, ["clusters", "--db", url])
    assert f"{events} stored events are not clustered yet" in before.output
    assert len(before.stdout.strip().splitlines()) == 1  # the CSV header, no clusters
    rebuilt = runner.invoke(app, ["clusters", "--db", url, "--rebuild", "-f", "jsonl"])
    assert rebuilt.exit_code == 0 and f"clustered {events} events" in rebuilt.output
    clusters = [json.loads(line) for line in rebuilt.stdout.strip().splitlines()]
    assert sum(c["event_count"] for c in clusters) == events
