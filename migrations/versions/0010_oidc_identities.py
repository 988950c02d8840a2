"""OpenID Connect identities: the provider's subject bound to a user (MitID Erhverv, staff IdP)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 19:30:00
"""
import sqlalchemy as sa
from alembic import op

from indsatsteam.models.types import AwareDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "oidc_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cvr", sa.String(length=8), nullable=True),
        sa.Column("created_at", AwareDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", AwareDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_oidc_identities_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_oidc_identities"),
        sa.UniqueConstraint("provider", "subject", name="uq_oidc_identities_provider"),
    )
    with op.batch_alter_table("oidc_identities") as batch:
        batch.create_index("ix_oidc_identities_user_id", ["user_id"])
        batch.create_index("ix_oidc_identities_cvr", ["cvr"])


def downgrade():
    op.drop_table("oidc_identities")
