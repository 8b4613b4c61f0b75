"""Kill ``dateline ingest`` mid-batch, run it again: every document is stored exactly once."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TOTAL = 400


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def _ingest(feed: Path, db: Path) -> subprocess.Popen[bytes]:
    dateline = Path(sys.executable).parent / "dateline"
    command = [str(dateline), "ingest", str(feed), "--db", f"sqlite:///{db}", "--workers", "2"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killed_ingest_resumes_without_duplicates_or_losses(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "text": f"Raiders shelled the town of Bree on day {i}, the rangers said.",
                "published": "2024-03-05",
            }
        )
        for i in range(TOTAL)
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "crash.sqlite"

    first = _ingest(feed, db)
    deadline = time.monotonic() + 240
    while _stored(db) < 5 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(first.pid)
    first.send_signal(signal.SIGKILL)
    first.wait()
    # Its worker processes notice their parent is gone and exit (a rolled-back document at most).
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers and not any(_alive(p) for p in workers)
    before = _stored(db)
    assert 0 < before < TOTAL, "the kill must land mid-batch"

    second = _ingest(feed, db)
    _, stderr = second.communicate(timeout=600)
    assert second.returncode == 0, stderr.decode()
    assert f"already present {before}" in stderr.decode()
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT content_hash, count(*) FROM documents GROUP BY 1"
        ).fetchall()
        origins = {r[0] for r in connection.execute("SELECT origin FROM documents")}
        # Every cluster has its consensus record, those left pending by the kill included.
        unwritten = connection.execute(
            "SELECT count(DISTINCT cluster_id) FROM cluster_events"
            " WHERE cluster_id NOT IN (SELECT id FROM clusters)"
        ).fetchone()[0]
        pending = connection.execute("SELECT count(*) FROM cluster_pending").fetchone()[0]
    assert len(rows) == TOTAL and all(count == 1 for _, count in rows)
    assert (unwritten, pending) == (0, 0)
    assert origins == {f"{feed}:{i}" for i in range(1, TOTAL + 1)}
