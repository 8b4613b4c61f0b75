"""Initial schema: documents, events, places, checks, failures.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("origin", sa.Text()),
        sa.Column("published", sa.Date()),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("doc_id", sa.String(32)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
    )
    op.create_index("ix_checks_doc_id", "checks", ["doc_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("event_type", sa.Text()),
        sa.Column("mode", sa.Text()),
        sa.Column("acled_event_type", sa.Text()),
        sa.Column("acled_sub_event_type", sa.Text()),
        sa.Column("actor1_text", sa.Text()),
        sa.Column("actor1_span_start", sa.Integer()),
        sa.Column("actor1_span_end", sa.Integer()),
        sa.Column("actor1_name", sa.Text()),
        sa.Column("actor1_country", sa.Text()),
        sa.Column("actor1_kind", sa.Text()),
        sa.Column("actor2_text", sa.Text()),
        sa.Column("actor2_span_start", sa.Integer()),
        sa.Column("actor2_span_end", sa.Integer()),
        sa.Column("actor2_name", sa.Text()),
        sa.Column("actor2_country", sa.Text()),
        sa.Column("actor2_kind", sa.Text()),
        sa.Column("location_text", sa.Text()),
        sa.Column("location_span_start", sa.Integer()),
        sa.Column("location_span_end", sa.Integer()),
        sa.Column("location_name", sa.Text()),
        sa.Column("location_lat", sa.Float()),
        sa.Column("location_lon", sa.Float()),
        sa.Column("location_country", sa.Text()),
        sa.Column("location_admin1", sa.Text()),
        sa.Column("location_geonameid", sa.Integer()),
        sa.Column("location_geo_precision", sa.Text()),
        sa.Column("date_text", sa.Text()),
        sa.Column("date_span_start", sa.Integer()),
        sa.Column("date_span_end", sa.Integer()),
        sa.Column("date_start", sa.Date()),
        sa.Column("date_end", sa.Date()),
        sa.Column("date_precision", sa.Text()),
        sa.Column("fatalities_text", sa.Text()),
        sa.Column("fatalities_span_start", sa.Integer()),
        sa.Column("fatalities_span_end", sa.Integer()),
        sa.Column("fatalities_low", sa.Integer()),
        sa.Column("fatalities_best", sa.Integer()),
        sa.Column("fatalities_high", sa.Integer()),
        sa.Column("fatalities_victims", sa.Text()),
        sa.Column("fatalities_cumulative", sa.Integer()),
        sa.Column("injuries_text", sa.Text()),
        sa.Column("injuries_span_start", sa.Integer()),
        sa.Column("injuries_span_end", sa.Integer()),
        sa.Column("injuries_low", sa.Integer()),
        sa.Column("injuries_best", sa.Integer()),
        sa.Column("injuries_high", sa.Integer()),
        sa.Column("injuries_victims", sa.Text()),
        sa.Column("injuries_cumulative", sa.Integer()),
        sa.Column("impacts", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("source_name", sa.Text()),
        sa.Column("source_kind", sa.Text()),
        sa.Column("source_text", sa.Text()),
        sa.Column("quotes", sa.Text()),
        sa.Column("sentence", sa.Text()),
        sa.Column("sentence_start", sa.Integer()),
        sa.Column("sentence_end", sa.Integer()),
        sa.Column("trigger", sa.Text()),
        sa.Column("mentions", sa.Text()),
        sa.Column("confidence", sa.Float()),
        sa.Column("record", sa.JSON(), nullable=False),
    )
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.create_index("ix_events_doc_id", "events", ["doc_id"])
    op.create_index("ix_events_event_type", "events", ["event_type"])
    op.create_index("ix_events_location_country", "events", ["location_country"])
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("country", sa.String(3)),
        sa.Column("admin1", sa.Text()),
        sa.Column("geonameid", sa.Integer()),
        sa.Column("geo_precision", sa.String(16)),
    )
    op.create_index("ix_places_doc_id", "places", ["doc_id"])


def downgrade() -> None:
    op.drop_table("places")
    op.drop_table("events")
    op.drop_table("checks")
    op.drop_table("failures")
    op.drop_table("documents")
