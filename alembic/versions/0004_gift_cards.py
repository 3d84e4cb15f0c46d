"""gift cards: pending cards, recipients' phone and send date, reservations per order, scheduled deliveries

Revision ID: 0004_gift_cards
Revises: 0003_email_prefix
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004_gift_cards"
down_revision: str | None = "0003_email_prefix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("giftcard") as batch:
        batch.add_column(sa.Column("recipient_phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=""))
        batch.add_column(sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False, server_default="he"))
        batch.add_column(sa.Column("send_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "giftcardredemption",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("gift_card_id", sa.Integer(), sa.ForeignKey("giftcard.id"), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("order.id"), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("refunded", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("gift_card_id", "order_id", name="uq_redemption_card_order"),
        sa.CheckConstraint("amount > 0", name="redemption_amount_positive"),
        sa.CheckConstraint("refunded >= 0 AND refunded <= amount", name="redemption_refunded_bounds"),
    )
    op.create_index("ix_giftcardredemption_gift_card_id", "giftcardredemption", ["gift_card_id"])
    op.create_index("ix_giftcardredemption_order_id", "giftcardredemption", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_giftcardredemption_order_id", table_name="giftcardredemption")
    op.drop_index("ix_giftcardredemption_gift_card_id", table_name="giftcardredemption")
    op.drop_table("giftcardredemption")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("not_before")
    with op.batch_alter_table("giftcard") as batch:
        batch.drop_column("issued_at")
        batch.drop_column("send_at")
        batch.drop_column("language")
        batch.drop_column("recipient_phone")
