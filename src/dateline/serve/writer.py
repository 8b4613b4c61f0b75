"""The write path of the web app: token check, then read, analyse and store one article.

The same functions as ``dateline ingest`` (ingest readers, ``Pipeline``, ``Store``); the
pipeline is loaded on the first write and used by one request at a time.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import HTTPException
from pydantic import SecretStr

from dateline.errors import DatelineError
from dateline.ingest import read_bytes
from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.serve.schemas import NewDocument
from dateline.settings import Settings
from dateline.store import Store

if TYPE_CHECKING:
    from dateline.pipeline import Pipeline


def check_token(expected: SecretStr | None, authorization: str | None, header: str | None) -> None:
    """Raise 401 without a token, 403 with a wrong one or when writes are disabled."""
    if expected is None:
        raise HTTPException(
            403,
            detail="writes are disabled: start dateline serve with --token or set "
            "DATELINE_API_TOKEN",
        )
    given = header
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not given:
        raise HTTPException(
            401,
            detail="this endpoint needs the API token: Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not secrets.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise HTTPException(403, detail="wrong API token")


class DocumentWriter:
    """Analyses posted articles and stores their records (or their failures)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        token: SecretStr | None,
        pipeline: Callable[[], Pipeline] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.token = token
        self._make_pipeline = pipeline or self._default_pipeline
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def _default_pipeline(self) -> Pipeline:
        from dateline.pipeline import Pipeline

        return Pipeline(self.settings)

    def _raw(self, body: NewDocument) -> RawDocument | Rejected:
        kind, content = ("html", body.html) if body.html is not None else ("text", body.text)
        data = (content or "").encode("utf-8")
        origin = body.url or f"POST /documents {hashlib.sha256(data).hexdigest()[:12]}"
        raw = next(iter(read_bytes(data, origin, self.settings, kind=kind)))
        if isinstance(raw, Rejected):
            return raw
        given = {
            name: value
            for name, value in (
                ("title", body.title),
                ("url", body.url),
                ("source", body.source),
                ("published", body.published),
            )
            if value is not None
        }
        return raw.model_copy(update=given)

    def add(self, body: NewDocument) -> tuple[DocumentRecord, bool] | Rejected:
        """The stored record and whether it is new, or the failure (stored too)."""
        raw = self._raw(body)
        if isinstance(raw, Rejected):
            self.store.add_failure(raw)
            return raw
        with self._lock:
            if self._pipeline is None:
                self._pipeline = self._make_pipeline()
            try:
                record = self._pipeline.process(raw)
            except DatelineError as exc:
                failure = Rejected(
                    origin=exc.origin or raw.origin,
                    stage="extract",
                    code=exc.code,
                    reason=exc.message,
                )
                self.store.add_failure(failure, raw=raw)  # kept, so a retry needs no file
                return failure
        created = self.store.add(record)
        if not created:
            stored = self.store.get(record.document.id)
            if stored is not None:
                record = stored
        return record, created
