"""Batch jobs run on the job queue: the job keeps its CSV, language and attempts, so that a
consumer that died mid-batch is replaced by one that resumes it. Admin sessions are stored (the
hash of each session's nonce), so that logging out revokes a copied cookie.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_jobs") as table:
        table.add_column(sa.Column("source_text", sa.Text, nullable=True))
        table.add_column(sa.Column("lang", sa.String(8), nullable=True))
        table.add_column(sa.Column("base_url", sa.String(300), nullable=True))
        table.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        table.add_column(sa.Column("message", sa.String(300), nullable=False, server_default=""))
    op.create_table(
        "admin_sessions",
        sa.Column("nonce_hash", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("admin_sessions")
    with op.batch_alter_table("batch_jobs") as table:
        for name in ("message", "attempts", "base_url", "lang", "source_text"):
            table.drop_column(name)
