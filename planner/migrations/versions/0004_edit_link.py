"""A plan's secret edit link (the hash of its secret; null when there is none or it was revoked).

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-07

Numbered 0004 because the `jobs` branch adds 0003: once both are merged, this must revise
"0003" (set down_revision below), so that the migrations keep one head.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as table:
        table.add_column(sa.Column("edit_link_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as table:
        table.drop_column("edit_link_hash")
