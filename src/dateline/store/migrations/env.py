"""Alembic environment: runs on the connection the Store hands over (no ini file needed)."""

from __future__ import annotations

from alembic import context

from dateline.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the Store always passes its connection
    raise RuntimeError("run migrations through dateline.store.Store, which passes a connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
