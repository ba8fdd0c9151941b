"""engine_speeds.typical_works: a typical picture's work at each strength, since the strongest
presets get more steps than the others (engine.scales.picture_steps)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("engine_speeds") as batch:
        batch.add_column(sa.Column("typical_works", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engine_speeds") as batch:
        batch.drop_column("typical_works")
