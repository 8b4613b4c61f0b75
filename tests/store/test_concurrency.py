"""Several processes ingesting into one database lose and duplicate nothing."""

from __future__ import annotations

import multiprocessing
import random
from pathlib import Path

import pytest

from dateline.models import Rejected
from dateline.store import Store

from ..factories import TEXT, make_record

PROCESSES = 4
DOCUMENTS = 48


def _text(number: int) -> str:
    return f"{TEXT} Report {number}."


def _ingest(url: str, seed: int) -> tuple[int, int]:
    """One 'ingest run': every document (in its own order) plus a failure; (added, skipped)."""
    order = list(range(DOCUMENTS))
    random.Random(seed).shuffle(order)
    added = skipped = 0
    with Store(url) as store:
        for number in order:
            if store.add(make_record(_text(number))):
                added += 1
            else:
                skipped += 1
            if number % 12 == 0:
                store.add_failure(
                    Rejected(origin=f"bad-{number}.txt", stage="ingest", code="E103", reason="x")
                )
    return added, skipped


def _run_concurrently(url: str) -> list[tuple[int, int]]:
    # spawn: each worker is a fresh interpreter, as separate `dateline ingest` runs are
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        return pool.starmap(_ingest, [(url, seed) for seed in range(PROCESSES)])


def _check(url: str, results: list[tuple[int, int]]) -> None:
    assert sum(added for added, _ in results) == DOCUMENTS  # each stored exactly once
    assert sum(added + skipped for added, skipped in results) == DOCUMENTS * PROCESSES
    with Store(url) as store:
        counts = store.count()
        assert counts["documents"] == counts["events"] == counts["places"] == DOCUMENTS
        stored = {record.document.text for record in store.records()}
        assert stored == {_text(n) for n in range(DOCUMENTS)}
        failures = store.failures()
        assert sorted(f.origin for f in failures) == sorted(
            f"bad-{n}.txt" for n in range(0, DOCUMENTS, 12)
        )
        assert sum(f.attempts for f in failures) == len(failures) * PROCESSES


@pytest.mark.slow
def test_concurrent_ingests_into_one_new_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"  # created (and migrated) by the workers
    _check(url, _run_concurrently(url))


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_ingests_into_one_new_postgres_database(pg_url: str) -> None:
    _check(pg_url, _run_concurrently(pg_url))
