"""previews (the picture so far of a running job, for its status message), engine_speeds (each
device's measured speed per size, for honest time estimates) and requests.work (a job's work)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "previews",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("requests.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_photo", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "engine_speeds",
        sa.Column("device", sa.String(32), primary_key=True),
        sa.Column("size", sa.String(16), primary_key=True),
        sa.Column("work_per_second", sa.Float(), nullable=False),
        sa.Column("typical_work", sa.Float(), nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("work", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("work")
    op.drop_table("engine_speeds")
    op.drop_table("previews")
