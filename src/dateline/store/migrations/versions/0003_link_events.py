"""Link data per event (blocking keys, packed fields, sentence terms), filled for stored events.

Revision ID: 0003_link_events
Revises: 0002_clusters
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_link_events"
down_revision = "0002_clusters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_events",
        sa.Column(
            "event_id",
            sa.String(32),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("doc_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.Text(), nullable=False),
        sa.Column("week_lo", sa.Integer()),
        sa.Column("week_hi", sa.Integer()),
        sa.Column("cell_row", sa.Integer()),
        sa.Column("cell_col", sa.Integer()),
        sa.Column("area1", sa.Text()),
        sa.Column("area2", sa.Text()),
        sa.Column("data", sa.Text(), nullable=False),
    )
    op.create_index("ix_link_events_block", "link_events", ["event_type", "week_lo"])
    op.create_index("ix_link_events_doc_id", "link_events", ["doc_id"])
    # Events stored before this revision get their link data now, so they stay candidates.
    from dateline.store.clusters import fill_link_events

    fill_link_events(op.get_bind())


def downgrade() -> None:
    op.drop_table("link_events")
