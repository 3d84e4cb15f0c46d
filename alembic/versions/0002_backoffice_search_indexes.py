"""back office search indexes

Order search must answer in well under 100 ms over millions of orders (2009 onward):
trigram GIN indexes for partial names (Hebrew or English) and show titles, and
(x, created_at) btrees so every filtered list is read newest-first straight from an index.
pg_trgm is PostgreSQL only: on SQLite (the quick local run) the trigram part is skipped.

Revision ID: 0002_backoffice
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_backoffice"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BTREES = [
    ("ix_order_show_created", "order", ["show_id", "created_at"]),
    ("ix_order_customer_created", "order", ["customer_id", "created_at"]),
    ("ix_order_status_created", "order", ["status", "created_at"]),
]
TRIGRAMS = [
    ("ix_order_name_trgm", "order", "name"),
    ("ix_customer_name_trgm", "customer", "name"),
    ("ix_show_title_he_trgm", "show", "title_he"),
    ("ix_show_title_en_trgm", "show", "title_en"),
    ("ix_show_artist_trgm", "show", "artist"),
]


def upgrade() -> None:
    for name, table, columns in BTREES:
        op.create_index(name, table, columns)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in TRIGRAMS:
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin ({column} gin_trgm_ops)')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, _table, _column in TRIGRAMS:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, table, _columns in BTREES:
        op.drop_index(name, table_name=table)
