"""sent.method: the Bot API method of each recorded answer, so that a replay hands a call only the
answer of the same method (a branch that depends on timing could otherwise get another call's)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for the answers recorded before: replayed by their place alone, as they were.
    with op.batch_alter_table("sent") as batch:
        batch.add_column(sa.Column("method", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sent") as batch:
        batch.drop_column("method")
