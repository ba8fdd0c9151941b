"""user preferences, request options, uploads, conversation persistence, workers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=True))
        batch.add_column(sa.Column("default_strength", sa.String(16), nullable=True))
        batch.add_column(sa.Column("output_size", sa.String(16), nullable=False, server_default="standard"))
        batch.add_column(sa.Column("keep_colors", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("keep_colors", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("size", sa.String(16), nullable=False, server_default="standard"))
        batch.add_column(sa.Column("style_name", sa.String(128), nullable=True))
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("file_id", sa.String(256), nullable=False),
        sa.Column("name", sa.String(128), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_uploads_user_id", "uploads", ["user_id"])
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("state", sa.Integer(), nullable=False),
    )
    op.create_table(
        "user_data",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "workers",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("device", sa.String(32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workers")
    op.drop_table("user_data")
    op.drop_table("conversation_states")
    op.drop_index("ix_uploads_user_id", table_name="uploads")
    op.drop_table("uploads")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("style_name")
        batch.drop_column("size")
        batch.drop_column("keep_colors")
    with op.batch_alter_table("users") as batch:
        for column in ("keep_colors", "output_size", "default_strength", "language"):
            batch.drop_column(column)
