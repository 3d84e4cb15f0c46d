"""show age limit: none, 16+, 18+ or 21+ per show (it used to be 18+ printed on every ticket)

Revision ID: 0005_show_min_age
Revises: 0004_gift_cards
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_show_min_age"
down_revision: str | None = "0004_gift_cards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("show") as batch:
        batch.add_column(sa.Column("min_age", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("show") as batch:
        batch.drop_column("min_age")
