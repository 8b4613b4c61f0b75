"""The database schema (SQLAlchemy Core), one for SQLite and PostgreSQL.

Event columns come from the export row model, so the table, the CSV and the GeoJSON
properties stay one shape; the full record is kept as JSON beside them for exact round trips.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from dateline.export.rows import EVENT_COLUMNS

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("origin", Text),
    Column("published", Date),
    Column("reference_date", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("record", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

_INTEGER = {"start", "end", "low", "best", "high", "geonameid"}
_FLOAT = {"lat", "lon", "confidence"}
_DATE = {"date_start", "date_end"}


def _event_column(name: str) -> Column[object]:
    if name == "id":
        return Column("id", String(32), primary_key=True)
    if name == "doc_id":
        return Column(
            "doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
        )
    if name in _DATE:
        return Column(name, Date)
    suffix = name.rsplit("_", 1)[-1]
    if name in _FLOAT or suffix in _FLOAT:
        return Column(name, Float)
    if suffix in _INTEGER and name not in ("sentence",):
        return Column(name, Integer)
    if name.endswith(("_cumulative",)):
        return Column(name, Integer)
    return Column(name, Text)


events = Table(
    "events",
    metadata,
    *(
        _event_column(name)
        for name in EVENT_COLUMNS
        if not name.startswith(("document_", "reference_date"))
    ),
    Column("record", JSON, nullable=False),
    Index("ix_events_doc_id", "doc_id"),
    Index("ix_events_date_start", "date_start"),
    Index("ix_events_event_type", "event_type"),
    Index("ix_events_location_country", "location_country"),
)

places = Table(
    "places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3)),
    Column("admin1", Text),
    Column("geonameid", Integer),
    Column("geo_precision", String(16)),
    Index("ix_places_doc_id", "doc_id"),
)

checks = Table(
    "checks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("message", Text, nullable=False),
    Column("spans", JSON, nullable=False),
    Index("ix_checks_doc_id", "doc_id"),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("origin", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("code", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("doc_id", String(32)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Added in 0002_robust: retries and resolution.
    Column("raw", JSON),  # the RawDocument when the failure came after reading; else re-read
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_doc_id", String(32)),
    Index("ix_failures_origin", "origin"),
)

# Event clusters across documents (see dateline.link.clusters and dateline.store.clusters).
cluster_documents = Table(
    "cluster_documents",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("wire_group", String(32), nullable=False),
    Column("shingles", Integer, nullable=False),
    Column("signature", JSON, nullable=False),
    Index("ix_cluster_documents_wire_group", "wire_group"),
)

cluster_bands = Table(
    "cluster_bands",
    metadata,
    Column("band_key", String(40), primary_key=True),
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("event_type", Text, nullable=False),
    Column("mode", Text),
    Column("acled_event_type", Text),
    Column("acled_sub_event_type", Text),
    Column("actor1", Text),
    Column("actor2", Text),
    Column("location_name", Text),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_country", Text),
    Column("location_admin1", Text),
    Column("location_geo_precision", Text),
    Column("date_start", Date, nullable=False),
    Column("date_end", Date, nullable=False),
    Column("date_precision", Text, nullable=False),
    Column("fatalities_low", Integer),
    Column("fatalities_best", Integer),
    Column("fatalities_high", Integer),
    Column("event_count", Integer, nullable=False),
    Column("document_count", Integer, nullable=False),
    Column("source_count", Integer, nullable=False),
    Column("check_count", Integer, nullable=False),
    Column("record", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_clusters_date_start", "date_start"),
    Index("ix_clusters_event_type", "event_type"),
    Index("ix_clusters_location_country", "location_country"),
)

cluster_events = Table(
    "cluster_events",
    metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", String(32), nullable=False),
    Column("doc_id", String(32), nullable=False),
    Column("score", Float),
    Index("ix_cluster_events_cluster_id", "cluster_id"),
)

# Clusters whose consensus record (the clusters row) is out of date: batch ingest links each
# document as it stores it and rewrites the clusters it touched once per chunk; a run that
# stopped in between leaves them here for the next write (migration 0004_cluster_pending).
cluster_pending = Table(
    "cluster_pending",
    metadata,
    Column("cluster_id", String(32), primary_key=True),
)

# What linking needs of each event, computed once when it is stored (migration 0003_link_events):
# blocking keys the candidate query selects on, and the packed fields and sentence terms.
link_events = Table(
    "link_events",
    metadata,
    Column("event_id", String(32), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("doc_id", String(32), nullable=False),
    Column("position", Integer, nullable=False),  # the event's place in its record
    Column("event_type", Text, nullable=False),
    Column("week_lo", Integer),  # NULL: dates too vague to link
    Column("week_hi", Integer),
    Column("cell_row", Integer),  # 0.5° grid cell of a town-level event, else NULL
    Column("cell_col", Integer),
    Column("area1", Text),  # countries it is blocked under ("" for none known)
    Column("area2", Text),
    Column("data", Text, nullable=False),
    Index("ix_link_events_block", "event_type", "week_lo"),
    Index("ix_link_events_doc_id", "doc_id"),
    # One per branch of the candidate query (migration 0005_link_indexes).
    Index("ix_link_events_cell", "event_type", "cell_row", "cell_col", "week_lo"),
    Index("ix_link_events_area1", "event_type", "area1", "week_lo"),
    Index("ix_link_events_area2", "event_type", "area2", "week_lo"),
)
