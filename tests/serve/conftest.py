"""Fixtures for the web app: throwaway stores, a loopback test client, a stand-in pipeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dateline.models import DocumentRecord, RawDocument
from dateline.serve import ServeSettings, create_app
from dateline.store import Store

from ..factories import TEXT, make_record
from ..store.conftest import pg_url  # noqa: F401 - a throwaway PostgreSQL database

TOKEN = "test-token-123"
LOOPBACK = ("127.0.0.1", 50000)


class StandInPipeline:
    """Builds the factory record from the posted text, without loading the language model."""

    def __init__(self) -> None:
        self.seen: list[RawDocument] = []

    def process(self, raw: RawDocument) -> DocumentRecord:
        self.seen.append(raw)
        record = make_record(raw.text)
        record.document.title = raw.title
        record.document.url = raw.url
        return record


def records() -> list[DocumentRecord]:
    """Three stored articles that differ in type, country, date and actor."""
    first = make_record()
    second = make_record(
        TEXT.replace("medics said", "medics in Osgiliath said"),
        event_type="PROTEST",
        country="GDR",
        day=dt.date(2024, 5, 20),
    )
    second.events[0].status = "threatened"
    third = make_record(TEXT + "\nMedics confirmed it.", day=dt.date(2024, 6, 1), lat=None)
    third.events[0].actor1.name = "Orc Legion"  # type: ignore[union-attr]
    return [first, second, third]


def serve_settings(tmp_path: Path, **overrides: object) -> ServeSettings:
    values: dict[str, object] = {
        "db_url": f"sqlite:///{tmp_path / 'serve.sqlite'}",
        "api_token": TOKEN,
    }
    values.update(overrides)
    return ServeSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(f"sqlite:///{tmp_path / 'serve.sqlite'}") as opened:
        for record in records():
            opened.add(record)
        yield opened


@pytest.fixture
def stand_in() -> StandInPipeline:
    return StandInPipeline()


@pytest.fixture
def app(tmp_path: Path, store: Store, stand_in: StandInPipeline) -> FastAPI:
    return create_app(serve_settings(tmp_path), store=store, pipeline=lambda: stand_in)  # type: ignore[arg-type, return-value]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of an app over a fresh store, for tests that write."""
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client of one app per module, for tests that only read."""
    path = tmp_path_factory.mktemp("reader")
    with Store(f"sqlite:///{path / 'serve.sqlite'}") as opened:
        for record in records():
            opened.add(record)
        app = create_app(serve_settings(path), store=opened)
        with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1:8000") as test_client:
            yield test_client
