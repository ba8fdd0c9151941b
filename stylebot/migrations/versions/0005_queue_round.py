"""requests.queue_round: a fair claim order fixed at enqueue, and indexes so that nothing the
queue or the notifier asks walks the whole queue or the whole history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The order the old claim computed at every claim, fixed once: a queued request's round is its place
# in its user's own line (the user's running requests and their earlier queued ones). Requests
# that already ran keep round 0, so the round being served starts at 0.
BACKFILL = """
UPDATE requests SET queue_round = (
    SELECT count(*) FROM requests AS other
    WHERE other.user_id = requests.user_id
      AND (other.status = 'running'
           OR (other.status = 'queued'
               AND (other.created_at < requests.created_at
                    OR (other.created_at = requests.created_at AND other.id < requests.id))))
)
WHERE status = 'queued'
"""


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("queue_round", sa.Integer(), nullable=False, server_default="0"))
    op.execute(BACKFILL)
    op.create_index("ix_requests_queue", "requests", ["status", "queue_round", "id"])
    op.create_index("ix_requests_user_status_round", "requests", ["user_id", "status", "queue_round"])
    op.create_index(
        "ix_requests_claimed_round",
        "requests",
        ["queue_round"],
        postgresql_where=sa.text("started_at IS NOT NULL"),
        sqlite_where=sa.text("started_at IS NOT NULL"),
    )
    op.create_index("ix_requests_status_finished", "requests", ["status", "finished_at"])
    # Replaces the index on delivered_at, which at a queue of 100,000 held 100,000 NULLs to walk.
    op.create_index(
        "ix_requests_undelivered",
        "requests",
        ["status"],
        postgresql_where=sa.text("delivered_at IS NULL"),
        sqlite_where=sa.text("delivered_at IS NULL"),
    )
    op.drop_index("ix_requests_delivered_at", table_name="requests")


def downgrade() -> None:
    op.create_index("ix_requests_delivered_at", "requests", ["delivered_at"])
    op.drop_index("ix_requests_undelivered", table_name="requests")
    op.drop_index("ix_requests_status_finished", table_name="requests")
    op.drop_index("ix_requests_claimed_round", table_name="requests")
    op.drop_index("ix_requests_user_status_round", table_name="requests")
    op.drop_index("ix_requests_queue", table_name="requests")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("queue_round")
