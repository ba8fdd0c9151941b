"""requests.brush and users.default_brush (the brush size), users.gallery_shown, result_messages
(the messages that carry a painting: repeated taps point at them, /history and inline mode send
them again) and reactions (users' reactions on them, for /stats)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("brush", sa.String(16), nullable=False, server_default="medium"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("default_brush", sa.String(16), nullable=False, server_default="medium"))
        batch.add_column(sa.Column("gallery_shown", sa.String(128), nullable=True))
    op.create_table(
        "result_messages",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("message_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column(
            "request_id", sa.Integer(), sa.ForeignKey("requests.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("strength", sa.String(16), nullable=True),
        sa.Column("file_id", sa.String(256), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_result_messages_request_id", "result_messages", ["request_id"])
    op.create_table(
        "reactions",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("message_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column(
            "request_id", sa.Integer(), sa.ForeignKey("requests.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("strength", sa.String(16), nullable=True),
        sa.Column("emoji", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reactions_request_id", "reactions", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_reactions_request_id", "reactions")
    op.drop_table("reactions")
    op.drop_index("ix_result_messages_request_id", "result_messages")
    op.drop_table("result_messages")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("gallery_shown")
        batch.drop_column("default_brush")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("brush")
