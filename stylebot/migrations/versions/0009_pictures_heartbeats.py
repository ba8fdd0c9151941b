"""pictures: each picture a user sent stored once, by the SHA-256 of its bytes; requests refer to
them (content_hash, style_hash) instead of holding them, so the queue's rows are lean. The bytes of
existing requests move there (a style sent many times, once).

(Workers' heartbeats live in the workers table, which 0004 made: no change for them here.)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 200  # requests read at a time: a few hundred pictures in memory at most


def upgrade() -> None:
    op.create_table(
        "pictures",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("content_hash", sa.String(64), nullable=True))
    _move_pictures()
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("content_image")
        batch.drop_column("style_image")
        batch.create_index("ix_requests_content_hash", ["content_hash"])
        batch.create_index("ix_requests_style_hash", ["style_hash"])


def _move_pictures() -> None:
    bind = op.get_bind()
    stored: set[str] = set()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, content_image, style_image, created_at FROM requests WHERE id > :last "
                "AND (content_image IS NOT NULL OR style_image IS NOT NULL) ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": BATCH},
        ).fetchall()
        if not rows:
            return
        for request_id, content, style, created_at in rows:
            hashes: list[str | None] = []
            for data in (content, style):
                if data is None:
                    hashes.append(None)
                    continue
                digest = hashlib.sha256(bytes(data)).hexdigest()
                if digest not in stored:
                    bind.execute(
                        sa.text("INSERT INTO pictures (hash, data, created_at) VALUES (:h, :d, :t)"),
                        {"h": digest, "d": bytes(data), "t": created_at},
                    )
                    stored.add(digest)
                hashes.append(digest)
            bind.execute(
                sa.text("UPDATE requests SET content_hash = :c, style_hash = :s WHERE id = :i"),
                {"c": hashes[0], "s": hashes[1], "i": request_id},
            )
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_index("ix_requests_style_hash")
        batch.drop_index("ix_requests_content_hash")
        batch.add_column(sa.Column("content_image", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("style_image", sa.LargeBinary(), nullable=True))
    for column, key in (("content_image", "content_hash"), ("style_image", "style_hash")):
        op.execute(
            f"UPDATE requests SET {column} = (SELECT data FROM pictures WHERE pictures.hash = requests.{key})"
        )
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("content_hash")
    op.drop_table("pictures")
