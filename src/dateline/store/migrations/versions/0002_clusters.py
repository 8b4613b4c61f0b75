"""Event clusters across documents: near-duplicate signatures, clusters and their events.

Revision ID: 0002_clusters
Revises: 0002_robust
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_clusters"
down_revision = "0002_robust"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_documents",
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("wire_group", sa.String(32), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
    )
    op.create_index("ix_cluster_documents_wire_group", "cluster_documents", ["wire_group"])
    op.create_table(
        "cluster_bands",
        sa.Column("band_key", sa.String(40), primary_key=True),
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text()),
        sa.Column("acled_event_type", sa.Text()),
        sa.Column("acled_sub_event_type", sa.Text()),
        sa.Column("actor1", sa.Text()),
        sa.Column("actor2", sa.Text()),
        sa.Column("location_name", sa.Text()),
        sa.Column("location_lat", sa.Float()),
        sa.Column("location_lon", sa.Float()),
        sa.Column("location_country", sa.Text()),
        sa.Column("location_admin1", sa.Text()),
        sa.Column("location_geo_precision", sa.Text()),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.Text(), nullable=False),
        sa.Column("fatalities_low", sa.Integer()),
        sa.Column("fatalities_best", sa.Integer()),
        sa.Column("fatalities_high", sa.Integer()),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("document_count", sa.Integer(), nullable=False),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("check_count", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_clusters_date_start", "clusters", ["date_start"])
    op.create_index("ix_clusters_event_type", "clusters", ["event_type"])
    op.create_index("ix_clusters_location_country", "clusters", ["location_country"])
    op.create_table(
        "cluster_events",
        sa.Column(
            "event_id",
            sa.String(32),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("cluster_id", sa.String(32), nullable=False),
        sa.Column("doc_id", sa.String(32), nullable=False),
        sa.Column("score", sa.Float()),
    )
    op.create_index("ix_cluster_events_cluster_id", "cluster_events", ["cluster_id"])


def downgrade() -> None:
    op.drop_table("cluster_events")
    op.drop_table("clusters")
    op.drop_table("cluster_bands")
    op.drop_table("cluster_documents")
