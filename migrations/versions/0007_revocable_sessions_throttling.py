"""revocable sessions, "Husk mig" tokens, atomic rate-limit counters, account mail queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 13:40:00

Replaces login_attempts (one row per failed login) with rate_limit_counters (one row per
key, changed by atomic upserts).
"""
import secrets

import sqlalchemy as sa
from alembic import op

import indsatsteam.models.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    conn = op.get_bind()
    for (user_id,) in conn.execute(sa.select(users.c.id)).all():
        conn.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(32)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_session_token'),
                                          ['session_token'])

    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('window_start', sa.BigInteger(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('blocked_until', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_counters_expires_at', ['expires_at'], unique=False)

    op.create_table('remember_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('series', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', indsatsteam.models.types.AwareDateTime(timezone=True),
              nullable=False),
    sa.Column('expires_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                            name=op.f('fk_remember_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remember_tokens')),
    sa.UniqueConstraint('series', name=op.f('uq_remember_tokens_series'))
    )
    with op.batch_alter_table('remember_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remember_tokens_user_id'), ['user_id'],
                              unique=False)

    op.create_table('outgoing_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', indsatsteam.models.types.AwareDateTime(timezone=True),
              nullable=True),
    sa.Column('claimed_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mails'))
    )
    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.create_index('ix_outgoing_mails_status_next', ['status', 'next_attempt_at'],
                              unique=False)

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_key_at')
    op.drop_table('login_attempts')


def downgrade():
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_key_at', ['key', 'at'], unique=False)

    with op.batch_alter_table('outgoing_mails', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_mails_status_next')
    op.drop_table('outgoing_mails')
    with op.batch_alter_table('remember_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remember_tokens_user_id'))
    op.drop_table('remember_tokens')
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.drop_index('ix_rate_limit_counters_expires_at')
    op.drop_table('rate_limit_counters')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_session_token'), type_='unique')
        batch_op.drop_column('session_token')
