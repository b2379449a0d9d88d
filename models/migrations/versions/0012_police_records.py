"""Police records and problems (PROGRAMMES.md §4): the exit-entry administration's holdings and crossings, the
problems found on persons and their history. On PostgreSQL the problems' history is append-only and cannot be
truncated, like the case history (0002, 0005) and the travel histories (0008).

Revision ID: 0012
Revises: 0008 (the lead re-chains it after 0010 and 0011 at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

HISTORY = ("problem_events",)


def upgrade() -> None:
    op.create_table('police_crossings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('crossed_on', sa.Date(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('document_kind', sa.String(length=20), nullable=False),
    sa.Column('document_number', sa.String(length=40), nullable=False),
    sa.Column('port', sa.String(length=100), nullable=False),
    sa.Column('destination', sa.String(length=100), nullable=True),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_police_crossings')),
    sa.UniqueConstraint('id_number', 'crossed_on', 'direction', 'document_kind', 'document_number', name='uq_police_crossings_person_on')
    )
    op.create_table('police_holdings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('updated_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_police_holdings')),
    sa.UniqueConstraint('kind', 'number', name=op.f('uq_police_holdings_kind'))
    )
    with op.batch_alter_table('police_holdings', schema=None) as batch_op:
        batch_op.create_index('ix_police_holdings_id_number', ['id_number', 'kind'], unique=False)
        batch_op.create_index('ix_police_holdings_name_birth', ['name', 'birth_date'], unique=False)

    op.create_table('problems',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=4), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('measures', sa.String(length=300), nullable=True),
    sa.Column('self_corrected', sa.Boolean(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_problems_org_id_orgs')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_problems_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problems')),
    sa.UniqueConstraint('person_id', 'kind', 'subject', name=op.f('uq_problems_person_id'))
    )
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.create_index('ix_problems_kind_found', ['kind', 'found_on'], unique=False)
        batch_op.create_index('ix_problems_org_status', ['org_id', 'status'], unique=False)

    op.create_table('problem_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=12), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('measures', sa.String(length=300), nullable=True),
    sa.Column('self_corrected', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['problems.id'], name=op.f('fk_problem_events_problem_id_problems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_problem_events')),
    sa.UniqueConstraint('problem_id', 'seq', name=op.f('uq_problem_events_problem_id'))
    )
    with op.batch_alter_table('problem_events', schema=None) as batch_op:
        batch_op.create_index('ix_problem_events_problem_on', ['problem_id', 'effective_on', 'seq'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # lostcontact_append_only() (0003) names the table and the refused operation
        for table in HISTORY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION lostcontact_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION lostcontact_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in HISTORY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    with op.batch_alter_table('problem_events', schema=None) as batch_op:
        batch_op.drop_index('ix_problem_events_problem_on')

    op.drop_table('problem_events')
    with op.batch_alter_table('problems', schema=None) as batch_op:
        batch_op.drop_index('ix_problems_org_status')
        batch_op.drop_index('ix_problems_kind_found')

    op.drop_table('problems')
    with op.batch_alter_table('police_holdings', schema=None) as batch_op:
        batch_op.drop_index('ix_police_holdings_name_birth')
        batch_op.drop_index('ix_police_holdings_id_number')

    op.drop_table('police_holdings')
    op.drop_table('police_crossings')
