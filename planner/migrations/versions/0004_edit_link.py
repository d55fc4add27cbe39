"""A plan's secret edit link (the hash of its secret; null when there is none or it was revoked).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as table:
        table.add_column(sa.Column("edit_link_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as table:
        table.drop_column("edit_link_hash")
