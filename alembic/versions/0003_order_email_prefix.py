"""order email prefix index

Support staff often have only the start of an address ("dana.levi@", "noa.l"): a btree with
varchar_pattern_ops answers `email LIKE 'prefix%'` from the index on PostgreSQL, whatever the collation.

Revision ID: 0003_email_prefix
Revises: 0002_backoffice
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_email_prefix"
down_revision: str | None = "0002_backoffice"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_order_email_prefix", "order", ["email"], postgresql_ops={"email": "varchar_pattern_ops"})


def downgrade() -> None:
    op.drop_index("ix_order_email_prefix", table_name="order")
