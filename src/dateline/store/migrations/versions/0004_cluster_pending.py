"""Clusters whose consensus record is due: batch ingest rewrites them once per chunk.

Revision ID: 0004_cluster_pending
Revises: 0003_link_events
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_cluster_pending"
down_revision = "0003_link_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("cluster_pending", sa.Column("cluster_id", sa.String(32), primary_key=True))


def downgrade() -> None:
    op.drop_table("cluster_pending")
