"""A `dateline serve` subprocess on a free loopback port, for the load test and the screenshots."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
SEED = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpus"
    / "seed"
    / "khan-younis-2024-01-24.txt"
)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def local_server(db_url: str, token: str, *, wait_s: float = 30.0) -> Iterator[str]:
    """Start the server on ``db_url`` with ``token`` for writes; yield its base URL once it
    answers, stop it on leaving."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", "from dateline.cli import main; main()", "serve",
         "--db", db_url, "--host", HOST, "--port", str(port)],
        env={**os.environ, "DATELINE_API_TOKEN": token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                httpx.get(f"{base}/config", timeout=5)
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"dateline serve did not start on {base}") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def post_seed(client: httpx.Client, token: str) -> dict[str, Any]:
    """Post the canonical article; the stored record (the first post also loads the model)."""
    response = client.post(
        "/documents",
        json={"text": SEED.read_text(encoding="utf-8")},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    record: dict[str, Any] = response.json()["record"]
    return record
