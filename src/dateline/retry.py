"""Retrying stored failures: read each failed input again, extract it, store what now works.

An input is read again from its kept raw document when there is one, else from its file
(``path`` or ``path:line`` for JSONL); a record stored resolves the failure, a new failure
counts one more attempt. The CLI's ``dateline retry`` and the web API call ``retry_failures``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dateline.errors import UnsupportedInputError
from dateline.ingest import iter_inputs
from dateline.ingest.readers import rejected
from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.pipeline import Pipeline
from dateline.store import Store
from dateline.store.failures import Failure

log = logging.getLogger(__name__)
_JSONL_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


@dataclass
class RetryReport:
    """What a retry did: failures tried, resolved, still failing, and those it could not read."""

    tried: int = 0
    resolved: list[str] = field(default_factory=list)
    still_failing: list[Rejected] = field(default_factory=list)


def _source_path(origin: str) -> str | None:
    """The file an origin came from: itself, or the JSONL file of ``path:line``."""
    if Path(origin).is_file():
        return origin
    match = _JSONL_LINE.match(origin)
    if match is not None and Path(match["path"]).is_file():
        return match["path"]
    return None


def _inputs(failures: Sequence[Failure], pipeline: Pipeline) -> Iterator[RawDocument | Rejected]:
    """The failed inputs again: kept raw documents first, then the files re-read."""
    wanted: set[str] = set()
    paths: list[str] = []
    for failure in failures:
        if failure.raw is not None:
            yield failure.raw
            continue
        path = _source_path(failure.origin)
        if path is None:
            yield rejected(
                UnsupportedInputError(
                    "cannot retry: the input was not kept and its file is gone "
                    "(stdin or text given in code); ingest it again",
                    origin=failure.origin,
                ),
                stage="retry",
            )
            continue
        wanted.add(failure.origin)
        if path not in paths:
            paths.append(path)
    seen: set[str] = set()
    for item in iter_inputs(paths, pipeline.settings):
        if item.origin in wanted:
            seen.add(item.origin)
            yield item
    for origin in sorted(wanted - seen):
        yield rejected(
            UnsupportedInputError("cannot retry: no longer found in its file", origin=origin),
            stage="retry",
        )


def retry_failures(
    store: Store, pipeline: Pipeline, *, ids: Sequence[int] | None = None
) -> RetryReport:
    """Retry open failures (all, or those with ``ids``) with the pipeline's current settings."""
    failures = store.failures(open_only=True, ids=ids)
    report = RetryReport(tried=len(failures))
    items = list(_inputs(failures, pipeline))
    raws = [item for item in items if isinstance(item, RawDocument)]
    results: list[DocumentRecord | Rejected] = [i for i in items if isinstance(i, Rejected)]
    by_origin = {failure.origin: failure for failure in failures}
    for result in [*results, *pipeline.pipe(raws)]:
        if isinstance(result, Rejected):
            failure = by_origin.get(result.origin)
            if failure is None:
                store.add_failure(result)
            else:
                store.add_failure(result, raw=failure.raw, failure_id=failure.id)
            report.still_failing.append(result)
            continue
        store.add(result)
        origin = result.document.origin or result.document.id
        failure = by_origin.get(origin)
        if failure is not None:
            store.resolve(failure.id, result.document.id)
        report.resolved.append(origin)
    log.info("retried %d failures: %d resolved", report.tried, len(report.resolved))
    return report
