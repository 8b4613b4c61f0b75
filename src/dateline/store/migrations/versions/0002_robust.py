"""Failure records that can be retried: the raw input, attempts, resolution.

Revision ID: 0002_robust
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_robust"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("failures") as batch:
        batch.add_column(sa.Column("raw", sa.JSON()))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("resolved_doc_id", sa.String(32)))
        batch.create_index("ix_failures_origin", ["origin"])


def downgrade() -> None:
    with op.batch_alter_table("failures") as batch:
        batch.drop_index("ix_failures_origin")
        batch.drop_column("resolved_doc_id")
        batch.drop_column("resolved_at")
        batch.drop_column("updated_at")
        batch.drop_column("attempts")
        batch.drop_column("raw")
