"""index requests.delivered_at: the bot polls for undelivered requests every second

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_requests_delivered_at", "requests", ["delivered_at"])


def downgrade() -> None:
    op.drop_index("ix_requests_delivered_at", table_name="requests")
