"""``dateline serve``: options reach the app; a token is made when none is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dateline.cli import app

from .conftest import LOOPBACK

runner = CliRunner()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Capture what ``uvicorn.run`` would have served instead of listening."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(web_app: Any, **options: Any) -> None:
        seen["app"] = web_app
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.delenv("DATELINE_API_TOKEN", raising=False)
    return seen


def test_serve_explains_itself() -> None:
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "--token", "--allow-remote", "--tiles-url"):
        assert option in result.output


def test_serve_makes_a_token_and_prints_the_page_link(
    tmp_path: Path, started: dict[str, Any]
) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = runner.invoke(app, ["serve", "--db", url, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert started["host"] == "127.0.0.1" and started["port"] == 8123
    link = next(line for line in result.output.splitlines() if "#token=" in line)
    token = link.split("#token=", 1)[1].strip()
    assert len(token) >= 20
    with TestClient(started["app"], client=LOOPBACK, base_url="http://127.0.0.1") as client:
        assert client.get("/events").json()["total"] == 0
        wrong = client.post("/documents", json={"text": "x"}, headers={"X-Dateline-Token": "no"})
        assert wrong.status_code == 403
        right = client.post("/documents", json={"text": " "}, headers={"X-Dateline-Token": token})
        assert right.status_code == 422  # past the token check, refused as empty input


def test_serve_takes_the_token_from_the_environment(
    tmp_path: Path, started: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATELINE_API_TOKEN", "from-env-token")
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    result = runner.invoke(app, ["serve", "--db", url])
    assert "#token=from-env-token" in result.output


def test_a_bad_port_is_refused() -> None:
    result = runner.invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2
