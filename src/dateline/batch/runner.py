"""Resumable batch ingest: filter, parse and store documents across worker processes.

The parent reads the inputs, skips texts already stored (by content hash) and texts the
relevance filter turns away, and hands chunks to workers. Each worker loads the models
once and stores every record in its own transaction, so a crash or Ctrl-C loses at most
the documents in flight, and a rerun stores each document exactly once.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sqlalchemy import select

from dateline.batch.relevance import RelevanceFilter, default_filter
from dateline.document import content_hash
from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.settings import Settings

log = logging.getLogger(__name__)

Status = Literal["stored", "present", "irrelevant", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What became of one input document."""

    origin: str
    status: Status
    doc_id: str | None = None
    events: int = 0
    code: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs: worker processes, the relevance filter, chunk size per task."""

    workers: int = 1
    relevance: bool = True
    min_strength: float = 0.0
    chunk_size: int = 64


@dataclass
class Summary:
    """Counts per outcome and the failures, for the report at the end of a run."""

    counts: collections.Counter[str] = field(default_factory=collections.Counter)
    events: int = 0
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        self.counts[outcome.status] += 1
        self.events += outcome.events
        if outcome.status == "failed":
            self.failures.append(outcome)

    def failures_by_code(self) -> list[tuple[str, int, str]]:
        """(code, count, first reason) per error code, most frequent first."""
        grouped: dict[str, list[Outcome]] = {}
        for failure in self.failures:
            grouped.setdefault(failure.code or "?", []).append(failure)
        rows = [(code, len(items), items[0].reason or "") for code, items in grouped.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))


class Extractor(Protocol):
    """What the batch needs of a pipeline: ``Pipeline`` or a stand-in in tests."""

    def pipe(self, raws: Iterable[RawDocument]) -> Iterator[DocumentRecord | Rejected]:
        """Records (or rejections) for the documents, in order."""
        ...


class _Worker:
    """One process's pipeline and store, loaded once and reused for every chunk."""

    def __init__(self, settings: Settings, pipeline: Extractor | None = None) -> None:
        from dateline.store import Store

        if pipeline is None:
            from dateline.pipeline import Pipeline

            pipeline = Pipeline(settings)
        self.pipeline = pipeline
        self.store = Store(settings.db_url, cluster=settings.cluster, defer_consensus=True)

    def run(self, raws: list[RawDocument]) -> list[Outcome]:
        """Extract and store a chunk; failures are stored as ``dateline ingest`` always did.

        Each document is linked as it is stored; the clusters the chunk touched get their
        consensus records rewritten once, at its end, not once per document."""
        results: list[Outcome] = []
        for result in self.pipeline.pipe(raws):
            if isinstance(result, Rejected):
                self.store.add_failure(result)
                results.append(_failed(result))
                continue
            results.append(_stored(result, added=self.store.add(result)))
        if self.store.cluster:
            self.store.write_pending()
        return results

    def close(self) -> None:
        """Release the database connections."""
        self.store.close()


def _failed(rejected: Rejected) -> Outcome:
    return Outcome(
        origin=rejected.origin, status="failed", code=rejected.code, reason=rejected.reason
    )


def _stored(record: DocumentRecord, *, added: bool) -> Outcome:
    return Outcome(
        origin=record.document.origin or record.document.id,
        status="stored" if added else "present",
        doc_id=record.document.id,
        events=len(record.events) if added else 0,
    )


# A pool worker's state lives in its process for the pool's lifetime: the models are
# loaded once per process, which is the point of the pool.
_PROCESS_WORKER: list[_Worker] = []


def _init_process(settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _PROCESS_WORKER.append(_Worker(settings))


def _exit_with_parent(parent: int) -> None:
    """A killed parent leaves its pool workers waiting forever; they leave too. An open
    transaction is rolled back, so no half-stored document remains."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _run_in_process(raws: list[RawDocument]) -> list[Outcome]:
    return _PROCESS_WORKER[0].run(raws)


class BatchIngest:
    """Runs a batch into one database; iterate ``run`` to get an ``Outcome`` per document."""

    def __init__(
        self,
        settings: Settings,
        *,
        options: BatchOptions | None = None,
        pipeline: Extractor | None = None,
    ) -> None:
        """``pipeline``, when given, runs in this process (workers=1) instead of a new one."""
        from dateline.store import Store

        self.settings = settings
        self.options = options or BatchOptions()
        self.pipeline = pipeline
        self.store = Store(settings.db_url)
        if settings.cluster:
            self.store.write_pending()  # left by a run that stopped mid-chunk
        self.known = self._known_hashes()
        self.filter: RelevanceFilter | None = (
            default_filter(settings.spacy_model, self.options.min_strength)
            if self.options.relevance
            else None
        )

    def _known_hashes(self) -> set[str]:
        from dateline.store import schema

        with self.store.engine.connect() as connection:
            return set(connection.scalars(select(schema.documents.c.content_hash)))

    def close(self) -> None:
        """Release the parent's database connections."""
        self.store.close()

    def _fail(self, rejected: Rejected) -> Outcome:
        """Record an input that could not be read; the store counts repeats as attempts."""
        self.store.add_failure(rejected)
        return _failed(rejected)

    def _triage(
        self, items: Iterable[RawDocument | Rejected]
    ) -> Iterator[Outcome | list[RawDocument]]:
        """Settle what needs no parsing; yield the rest in chunks."""
        chunk: list[RawDocument] = []
        pending: set[str] = set()
        for item in items:
            if isinstance(item, Rejected):
                yield self._fail(item)
                continue
            digest = content_hash(item.text)
            if digest in self.known or digest in pending:
                yield Outcome(origin=item.origin, status="present", doc_id=digest[:16])
                continue
            if self.filter is not None and not self.filter(item.text):
                yield Outcome(origin=item.origin, status="irrelevant")
                continue
            pending.add(digest)
            chunk.append(item)
            if len(chunk) >= self.options.chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def run(self, items: Iterable[RawDocument | Rejected]) -> Iterator[Outcome]:
        """Process every item; outcomes come back as chunks finish."""
        if self.options.workers <= 1 or self.pipeline is not None:
            yield from self._run_here(items)
        else:
            yield from self._run_pool(items)

    def _run_here(self, items: Iterable[RawDocument | Rejected]) -> Iterator[Outcome]:
        worker: _Worker | None = None
        try:
            for step in self._triage(items):
                if isinstance(step, Outcome):
                    yield step
                    continue
                if worker is None:
                    worker = _Worker(self.settings, self.pipeline)
                yield from worker.run(step)
        finally:
            if worker is not None:
                worker.close()

    def _run_pool(self, items: Iterable[RawDocument | Rejected]) -> Iterator[Outcome]:
        context = multiprocessing.get_context("spawn")
        workers = self.options.workers
        in_flight: collections.deque[Any] = collections.deque()
        pool = context.Pool(workers, initializer=_init_process, initargs=(self.settings,))
        try:
            for step in self._triage(items):
                if isinstance(step, Outcome):
                    yield step
                    continue
                in_flight.append(pool.apply_async(_run_in_process, (step,)))
                # Bounded look-ahead: two chunks per worker keep them busy without
                # reading the whole input into memory.
                while len(in_flight) >= 2 * workers:
                    yield from in_flight.popleft().get()
            while in_flight:
                yield from in_flight.popleft().get()
            pool.close()
        finally:
            pool.terminate()
            pool.join()


def ingest_batch(
    items: Iterable[RawDocument | Rejected],
    settings: Settings,
    *,
    options: BatchOptions | None = None,
    pipeline: Extractor | None = None,
) -> Summary:
    """Run a whole batch and return its summary (the library form of ``dateline ingest``)."""
    summary = Summary()
    batch = BatchIngest(settings, options=options, pipeline=pipeline)
    try:
        for outcome in batch.run(items):
            summary.add(outcome)
    finally:
        batch.close()
    return summary
