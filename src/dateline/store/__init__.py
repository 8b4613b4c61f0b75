"""Storage: SQLAlchemy Core schema, Alembic migrations and the ``Store``."""

from dateline.store.store import Store, normalise_url

__all__ = ["Store", "normalise_url"]
