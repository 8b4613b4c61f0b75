"""Load test of ``dateline serve`` on loopback: concurrent reads and writes for a bounded time,
then the error rate, latency percentiles, and a check that every accepted write was stored
once. Writes bench/serve-results.json.

    .venv/bin/python bench/serve_load.py [--seconds 30] [--workers 8] [--write-share 0.15]

Traffic goes only to 127.0.0.1, to a server this script starts and stops; every loop stops at
the deadline or after --max-requests, whichever comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.local_server import local_server, post_seed

HERE = Path(__file__).resolve().parent
PLACES = ["Kharkiv", "Rafah", "Aleppo", "Goma", "Mosul", "Khartoum", "Donetsk", "Kherson"]
ACTORS = ["Government forces", "Militants", "Rebel fighters", "Unidentified gunmen"]
VERBS = ["shelled", "attacked", "bombed", "raided"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TYPES = ["ASSAULT", "REQUEST", "CONSULT", "THREATEN", "MOBILIZE"]


def _article(rng: random.Random, serial: int) -> dict[str, str]:
    place = rng.choice(PLACES)
    day = rng.randint(1, 28)
    text = (
        f"{place}, {day} March 2024\n\n"
        f"{rng.choice(ACTORS)} {rng.choice(VERBS)} {place} on {rng.choice(DAYS)}, killing "
        f"{rng.randint(2, 60)} civilians, officials said. Rescue teams searched the rubble "
        f"for {rng.randint(2, 30)} hours (report {serial}-{rng.getrandbits(32):08x}).\n"
    )
    return {"text": text, "title": f"Report {serial} from {place}"}


class Recorder:
    """Latencies and outcomes per operation, shared by the workers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.error_examples: list[str] = []
        self.created = 0

    def add(self, op: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latency[op].append(seconds)
            if error:
                self.errors[op] += 1
                if len(self.error_examples) < 10:
                    self.error_examples.append(f"{op}: {error}")


def _read(client: httpx.Client, rng: random.Random, doc_ids: list[str]) -> tuple[str, int]:
    choice = rng.random()
    if choice < 0.4:
        params: dict[str, Any] = {"limit": 50, "offset": rng.choice([0, 0, 50])}
        if rng.random() < 0.5:
            params["event_type"] = rng.choice(TYPES)
        if rng.random() < 0.3:
            params["since"] = "2024-01-20"
        if rng.random() < 0.2:
            params["q"] = rng.choice(PLACES)
        return "GET /events", client.get("/events", params=params).status_code
    if choice < 0.55:
        return "GET /events.geojson", client.get("/events.geojson").status_code
    if choice < 0.7:
        return "GET /timeline", client.get("/timeline").status_code
    if choice < 0.8:
        return "GET /facets", client.get("/facets").status_code
    if choice < 0.9 and doc_ids:
        doc = rng.choice(doc_ids)
        return "GET /documents/{id}", client.get(f"/documents/{doc}").status_code
    return "GET /documents", client.get("/documents", params={"limit": 20}).status_code


def _worker(
    number: int,
    base: str,
    token: str,
    deadline: float,
    budget: list[int],
    share: float,
    recorder: Recorder,
    doc_ids: list[str],
) -> None:
    rng = random.Random(1000 + number)
    serial = number * 1_000_000
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < deadline:
            with recorder.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            write = rng.random() < share
            started = time.perf_counter()
            error: str | None = None
            try:
                if write:
                    serial += 1
                    op = "POST /documents"
                    response = client.post(
                        "/documents",
                        json=_article(rng, serial),
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    status = response.status_code
                    if status == 201:
                        with recorder.lock:
                            recorder.created += 1
                            doc_ids.append(response.json()["record"]["document"]["id"])
                    elif status != 200:
                        error = f"{status} {response.text[:200]}"
                else:
                    op, status = _read(client, rng, doc_ids)
                    if status != 200:
                        error = str(status)
            except httpx.HTTPError as exc:
                op = "POST /documents" if write else "GET"
                error = f"{type(exc).__name__}: {exc}"
            recorder.add(op, time.perf_counter() - started, error)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else None

    def at(p: int) -> float:
        return round(1000 * (cuts[p - 1] if cuts else ordered[0]), 1)

    return {
        "p50_ms": at(50),
        "p95_ms": at(95),
        "p99_ms": at(99),
        "max_ms": round(1000 * ordered[-1], 1),
    }


def main() -> None:
    """Start a server on loopback, load it, report, stop it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--write-share", type=float, default=0.15)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=HERE / "serve-results.json")
    args = parser.parse_args()

    token = secrets.token_urlsafe(16)
    workdir = Path(tempfile.mkdtemp(prefix="dateline-load-"))
    with (
        local_server(f"sqlite:///{workdir / 'load.sqlite'}", token) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        started = time.perf_counter()
        seeded = post_seed(client, token)
        warm_up = time.perf_counter() - started
        doc_ids = [seeded["document"]["id"]]

        recorder = Recorder()
        budget = [args.max_requests]
        deadline = time.monotonic() + args.seconds
        began = time.perf_counter()
        workers = [
            threading.Thread(
                target=_worker,
                args=(n, base, token, deadline, budget, args.write_share, recorder, doc_ids),
            )
            for n in range(args.workers)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - began
        stored = client.get("/documents", params={"limit": 1}).json()["total"]
        refused = client.post("/documents", json={"text": "x"}).status_code

    total = sum(len(v) for v in recorder.latency.values())
    errors = sum(recorder.errors.values())
    reads = [x for op, v in recorder.latency.items() if op.startswith("GET") for x in v]
    writes = recorder.latency.get("POST /documents", [])
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "server": "dateline serve (uvicorn, one process), SQLite WAL, on 127.0.0.1",
        "seconds": round(elapsed, 1),
        "workers": args.workers,
        "write_share": args.write_share,
        "model_load_and_first_article_s": round(warm_up, 1),
        "requests": total,
        "requests_per_s": round(total / elapsed, 1),
        "errors": errors,
        "error_rate": round(errors / total, 5) if total else None,
        "error_examples": recorder.error_examples,
        "reads": {"count": len(reads), **(_percentiles(reads) if reads else {})},
        "writes": {"count": len(writes), **(_percentiles(writes) if writes else {})},
        "by_operation": {
            op: {"count": len(v), "errors": recorder.errors.get(op, 0), **_percentiles(v)}
            for op, v in sorted(recorder.latency.items())
        },
        "documents_created": recorder.created,
        "documents_stored": stored,
        "nothing_lost_or_duplicated": stored == recorder.created + 1,
        "write_without_token_status": refused,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
