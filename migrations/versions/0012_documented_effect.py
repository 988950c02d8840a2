"""documented effect: the indicator catalogue, indicators per forløb with their measurements,
the follow-up, and the tilbud's rating of the four benefits

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 14:10:00

Version 1 of the indicator catalogue has two indicators or so for each of the five outcomes
the initiative names for citizens (seed 000). The follow-up reminder rule asks the tilbud to
measure again on the follow-up date and 14 days later while nothing came in.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import indsatsteam.models.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# (outcome area, name, definition, unit, direction)
INDICATORS = (
    ("wellbeing", "Borgere med en plan lavet sammen med dem",
     "Andel af tilbuddets borgere, der har en aktuel mål- eller handleplan, som de selv har "
     "været med til at udarbejde.", "percent", "higher"),
    ("wellbeing", "Borgernes oplevede trivsel",
     "Gennemsnit af borgernes svar på spørgsmålet \u201dHvordan har du det for tiden?\u201d "
     "fra 1 (meget dårligt) til 5 (meget godt).", "scale", "higher"),
    ("wellbeing", "Borgere med et sundhedstjek det seneste år",
     "Andel af tilbuddets borgere, der har fået et sundhedstjek inden for de seneste 12 "
     "måneder.", "percent", "higher"),
    ("community", "Borgere i en fællesskabsaktivitet den seneste måned",
     "Andel af tilbuddets borgere, der inden for den seneste måned har deltaget i en "
     "aktivitet i lokalsamfundets almene fællesskaber (forening, frivilligt arbejde, "
     "kultur- eller idrætstilbud uden for tilbuddet).", "percent", "higher"),
    ("satisfaction", "Borgernes tilfredshed med støtten",
     "Gennemsnit af borgernes svar på spørgsmålet \u201dHvor tilfreds er du med den støtte, du "
     "får?\u201d fra 1 (meget utilfreds) til 5 (meget tilfreds).", "scale", "higher"),
    ("satisfaction", "Pårørendes tilfredshed med indsatsen",
     "Gennemsnit af de pårørendes svar på spørgsmålet \u201dHvor tilfreds er du med indsatsen "
     "over for din pårørende?\u201d fra 1 (meget utilfreds) til 5 (meget tilfreds).",
     "scale", "higher"),
    ("less_intrusive", "Borgere overgået til en mindre indgribende indsats",
     "Antal borgere, der inden for de seneste 6 måneder er flyttet til en mindre indgribende "
     "indsats, fx fra botilbud til egen bolig med bostøtte.", "count", "higher"),
    ("less_intrusive", "Magtanvendelser den seneste måned",
     "Antal indberettede magtanvendelser i tilbuddet inden for den seneste måned.",
     "count", "lower"),
    ("less_intrusive", "Dage indlagt i psykiatrien",
     "Gennemsnitligt antal dage, tilbuddets borgere har været indlagt på en psykiatrisk "
     "afdeling inden for de seneste 3 måneder.", "days", "lower"),
    ("education_employment", "Borgere i uddannelse eller beskæftigelse",
     "Andel af tilbuddets borgere, der er i uddannelse eller i ordinær eller støttet "
     "beskæftigelse (fx fleksjob eller beskyttet beskæftigelse).", "percent", "higher"),
)


def upgrade():
    op.create_table('indicator_catalogues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('created_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_catalogues')),
    sa.UniqueConstraint('version', name=op.f('uq_indicator_catalogues_version'))
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalogue_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('outcome_area', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['catalogue_id'], ['indicator_catalogues.id'], name=op.f('fk_indicators_catalogue_id_indicator_catalogues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('catalogue_id', 'number', name=op.f('uq_indicators_catalogue_id'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_catalogue_id'), ['catalogue_id'], unique=False)

    op.create_table('engagement_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('end_value', sa.Float(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('follow_up_value', sa.Float(), nullable=True),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('created_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_engagement_indicators_engagement_id_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_engagement_indicators_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_indicators')),
    sa.UniqueConstraint('engagement_id', 'indicator_id', name=op.f('uq_engagement_indicators_engagement_id'))
    )
    with op.batch_alter_table('engagement_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_indicators_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagement_indicators_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('benefit_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('engagement_id', sa.Integer(), nullable=False),
    sa.Column('benefit_code', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('rated_by_id', sa.Integer(), nullable=True),
    sa.Column('rated_at', indsatsteam.models.types.AwareDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], name=op.f('fk_benefit_ratings_engagement_id_engagements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rated_by_id'], ['users.id'], name=op.f('fk_benefit_ratings_rated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_ratings')),
    sa.UniqueConstraint('engagement_id', 'benefit_code', name=op.f('uq_benefit_ratings_engagement_id'))
    )
    with op.batch_alter_table('benefit_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_ratings_engagement_id'), ['engagement_id'], unique=False)

    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_due', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_engagements_follow_up_due'), ['follow_up_due'], unique=False)

    with op.batch_alter_table('engagement_recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_score', sa.Integer(), nullable=True))

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_label', ['object_type', 'object_label'], unique=False)

    _seed()


def _seed():
    catalogues = sa.table(
        "indicator_catalogues", sa.column("id", sa.Integer), sa.column("version", sa.Integer),
        sa.column("title", sa.String), sa.column("is_current", sa.Boolean),
        sa.column("created_at", indsatsteam.models.types.AwareDateTime()))
    indicators = sa.table(
        "indicators", sa.column("catalogue_id", sa.Integer), sa.column("number", sa.Integer),
        sa.column("outcome_area", sa.String), sa.column("name", sa.String),
        sa.column("definition", sa.Text), sa.column("unit", sa.String),
        sa.column("direction", sa.String))
    op.bulk_insert(catalogues, [{"id": 1, "version": 1, "title": "Indikatorer for effekt",
                                 "is_current": True, "created_at": datetime.now(UTC)}])
    op.bulk_insert(indicators, [
        {"catalogue_id": 1, "number": number, "outcome_area": area, "name": name,
         "definition": definition, "unit": unit, "direction": direction}
        for number, (area, name, definition, unit, direction) in enumerate(INDICATORS, start=1)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('indicator_catalogues', 'id'), 1)")
    rules = sa.table("reminder_rules", sa.column("code", sa.String),
                     sa.column("enabled", sa.Boolean), sa.column("days", sa.String))
    op.bulk_insert(rules, [{"code": "follow_up_due", "enabled": True, "days": "0,14"}])


def downgrade():
    op.execute("DELETE FROM reminder_rules WHERE code = 'follow_up_due'")
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_label')

    with op.batch_alter_table('engagement_recommendations', schema=None) as batch_op:
        batch_op.drop_column('follow_up_score')

    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagements_follow_up_due'))
        batch_op.drop_column('follow_up_due')

    with op.batch_alter_table('benefit_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_ratings_engagement_id'))

    op.drop_table('benefit_ratings')
    with op.batch_alter_table('engagement_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_indicators_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_engagement_indicators_engagement_id'))

    op.drop_table('engagement_indicators')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_catalogue_id'))

    op.drop_table('indicators')
    op.drop_table('indicator_catalogues')
