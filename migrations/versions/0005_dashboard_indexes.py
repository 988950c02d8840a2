"""indexes for the dashboards: a consultant's open tasks and applications per round/status

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 06:55:00

"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_owner_user_id_status',
                              ['owner_user_id', 'status', 'due_date'], unique=False)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_round_id_status',
                              ['round_id', 'status', 'submitted_at'], unique=False)


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_round_id_status')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_owner_user_id_status')
