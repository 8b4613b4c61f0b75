"""Indexes for each branch of the candidate query: grid cell, and either blocking country.

Revision ID: 0005_link_indexes
Revises: 0004_cluster_pending
"""

from __future__ import annotations

from alembic import op

revision = "0005_link_indexes"
down_revision = "0004_cluster_pending"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_link_events_cell", "link_events", ["event_type", "cell_row", "cell_col", "week_lo"]
    )
    op.create_index("ix_link_events_area1", "link_events", ["event_type", "area1", "week_lo"])
    op.create_index("ix_link_events_area2", "link_events", ["event_type", "area2", "week_lo"])


def downgrade() -> None:
    for name in ("ix_link_events_cell", "ix_link_events_area1", "ix_link_events_area2"):
        op.drop_index(name, table_name="link_events")
