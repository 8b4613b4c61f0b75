"""The command line: every command has help; extract, ingest, export and show work together."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dateline.cli import app

from .conftest import SEED

runner = CliRunner()
COMMANDS = ["extract", "ingest", "export", "show", "retry", "schema", "prepare", "eval", "spark"]
GOOD = (
    "Bree, 5 March 2024\n\nOrc raiders shelled the town of Bree on Monday, killing 4 civilians.\n"
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert len(result.output) > 200


def test_bad_date_option_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--date", "2024-13-45"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.slow
def test_extract_json_for_one_and_a_list_for_several(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(GOOD.replace("4 civilians", "5 civilians"))
    one = runner.invoke(app, ["extract", str(SEED)])
    assert one.exit_code == 0, one.output
    record = json.loads(one.stdout)
    assert set(record) >= {"document", "events", "places", "checks"}
    several = runner.invoke(
        app, ["extract", str(SEED), str(tmp_path / "b.txt"), "--format", "json"]
    )
    assert several.exit_code == 0
    assert isinstance(json.loads(several.stdout), list) and len(json.loads(several.stdout)) == 2


@pytest.mark.slow
def test_stdin_and_jsonl_inputs(tmp_path: Path) -> None:
    from_stdin = runner.invoke(app, ["extract", "-", "--format", "jsonl"], input=GOOD)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert json.loads(from_stdin.stdout.splitlines()[0])["document"]["origin"] == "<stdin>"
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": GOOD, "published": "2024-03-05"}) + "\n" + "{broken\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["extract", str(feed), "--format", "csv"])
    assert result.exit_code == 1 and "feed.jsonl:2" in result.output
    assert list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.slow
def test_batch_with_bad_files_stores_the_good_ones(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD)
    (inputs / "empty.txt").write_text("")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (inputs / "latin1.txt").write_bytes("Bree, 5 March 2024\n\nCaf\xe9 shelled.".encode("latin-1"))
    (inputs / "huge.txt").write_bytes(b"a " * 26_000_000)
    db = f"sqlite:///{tmp_path / 'test.sqlite'}"
    first = runner.invoke(app, ["ingest", str(inputs), "--db", db])
    assert first.exit_code == 1
    for name, code in [
        ("empty.txt", "E101"),
        ("binary.txt", "E102"),
        ("latin1.txt", "E103"),
        ("huge.txt", "E104"),
    ]:
        assert name in first.output and code in first.output
    assert "stored 1" in first.output
    again = runner.invoke(app, ["ingest", str(inputs / "good.txt"), "--db", db])
    assert again.exit_code == 0 and "stored 0, already present 1" in again.output

    exported = runner.invoke(app, ["export", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert rows and all(r["event_type"] for r in rows)
    geo = json.loads(runner.invoke(app, ["export", "--db", db, "--format", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection"
    none = runner.invoke(app, ["export", "--db", db, "--type", "AGREE", "--format", "jsonl"])
    assert none.exit_code == 0 and none.stdout.strip() == ""

    doc_id = rows[0]["doc_id"]
    shown = runner.invoke(app, ["show", doc_id, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Orc raiders" in shown.output and "event 1" in shown.output
    assert "]{trigger}" in shown.output  # spans are marked in plain text too
    missing = runner.invoke(app, ["show", "ffffffffffff", "--db", db])
    assert missing.exit_code == 2
