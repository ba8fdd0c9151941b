"""inbox and sent (updates survive a crash), drafts (the conversation, in our own table),
telegram_files, variants (Compare strengths), requests.style_hash/compare/update_id

python-telegram-bot's persistence tables (conversation_states, user_data) are folded into drafts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The old ConversationHandler's states, in the order it numbered them.
OLD_STEPS = ("content", "style", "strength")
OLD_KEYS = {"content": "content", "style": "style", "strength": "caption_strength", "album": "album"}


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "inbox",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_inbox_pending",
        "inbox",
        ["update_id"],
        postgresql_where=sa.text("done_at IS NULL"),
        sqlite_where=sa.text("done_at IS NULL"),
    )
    op.create_index("ix_inbox_done_at", "inbox", ["done_at"])
    op.create_table(
        "sent",
        sa.Column("update_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("response", sa.Text(), nullable=False),
    )
    op.create_table(
        "telegram_files",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("file_id", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "variants",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("requests.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("strength", sa.String(16), primary_key=True),
        sa.Column("image", sa.LargeBinary(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("style_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("compare", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("update_id", sa.BigInteger(), nullable=True))
        batch.create_unique_constraint("uq_requests_update_id", ["update_id"])
    _hash_styles()
    _fold_conversations_into_drafts()
    op.drop_table("conversation_states")
    op.drop_table("user_data")


def _hash_styles() -> None:
    """style_hash for the requests that still hold their style picture."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, style_image FROM requests WHERE style_image IS NOT NULL"))
    for request_id, image in rows.fetchall():
        digest = hashlib.sha256(bytes(image)).hexdigest()
        bind.execute(
            sa.text("UPDATE requests SET style_hash = :h WHERE id = :i"), {"h": digest, "i": request_id}
        )


def _fold_conversations_into_drafts() -> None:
    """A conversation half-way through an upgrade goes on where it was."""
    bind = op.get_bind()
    states = {
        tuple(json.loads(key))[-1]: state
        for key, state in bind.execute(sa.text("SELECT key, state FROM conversation_states")).fetchall()
    }
    for user_id, data in bind.execute(sa.text("SELECT user_id, data FROM user_data")).fetchall():
        old = json.loads(data) if isinstance(data, str) else dict(data)
        state = states.get(user_id)
        if (
            state is None
            or not 0 <= state < len(OLD_STEPS)
            or bind.execute(sa.text("SELECT 1 FROM users WHERE id = :u"), {"u": user_id}).first() is None
        ):
            continue
        draft = {new: old[key] for key, new in OLD_KEYS.items() if old.get(key) is not None}
        draft["step"] = OLD_STEPS[state]
        bind.execute(
            sa.text("INSERT INTO drafts (user_id, data, updated_at) VALUES (:u, :d, CURRENT_TIMESTAMP)"),
            {"u": user_id, "d": json.dumps(draft)},
        )


def downgrade() -> None:
    op.create_table(
        "user_data",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "conversation_states",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("state", sa.Integer(), nullable=False),
    )
    with op.batch_alter_table("requests") as batch:
        batch.drop_constraint("uq_requests_update_id", type_="unique")
        batch.drop_column("update_id")
        batch.drop_column("compare")
        batch.drop_column("style_hash")
    op.drop_table("variants")
    op.drop_table("telegram_files")
    op.drop_table("sent")
    op.drop_index("ix_inbox_done_at", table_name="inbox")
    op.drop_index("ix_inbox_pending", table_name="inbox")
    op.drop_table("inbox")
    op.drop_table("drafts")
