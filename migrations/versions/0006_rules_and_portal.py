"""round eligibility, gate-linked standard tasks, shared minutes, decision without review

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The seeded standard tasks (0002) that stand for a gate of the phase machine, by their
# seeded title; from here on the link is the gate key, not the title.
GATE_KEYS = {
    "Planlæg og indkald til opstartsmøde": "kickoff_held",
    "Aftal samarbejdsaftale": "agreement_agreed",
    "Afhold analyseworkshop": "analysis_recorded",
    "Vælg de anbefalinger, I vil arbejde med": "recommendations_chosen",
    "Udfyld selvevaluering af de valgte anbefalinger": "baseline_assessed",
    "Udfyld afsluttende selvevaluering": "final_assessed",
    "Afhold afslutningsmøde og afsluttende evaluering": "final_evaluation_done",
}


def upgrade():
    with op.batch_alter_table('application_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eligible_kinds', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('eligible_owner_types', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('eligible_regions', sa.Text(), server_default='',
                                      nullable=False))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('no_review_reason', sa.Text(), server_default='',
                                      nullable=False))
    with op.batch_alter_table('task_templates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate_key', sa.String(length=40), nullable=True))
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate_key', sa.String(length=40), nullable=True))
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_shared', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    templates = sa.table("task_templates", sa.column("title", sa.String),
                         sa.column("gate_key", sa.String))
    tasks = sa.table("tasks", sa.column("title", sa.String), sa.column("gate_key", sa.String),
                     sa.column("offset_days", sa.Integer))
    for title, key in GATE_KEYS.items():
        op.execute(templates.update().where(templates.c.title == title).values(gate_key=key))
        # Existing standard tasks (still planned from the template) get the same link.
        op.execute(tasks.update().where(tasks.c.title == title, tasks.c.offset_days.is_not(None))
                   .values(gate_key=key))


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('minutes_shared')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('gate_key')
    with op.batch_alter_table('task_templates', schema=None) as batch_op:
        batch_op.drop_column('gate_key')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('no_review_reason')
    with op.batch_alter_table('application_rounds', schema=None) as batch_op:
        batch_op.drop_column('eligible_regions')
        batch_op.drop_column('eligible_owner_types')
        batch_op.drop_column('eligible_kinds')
