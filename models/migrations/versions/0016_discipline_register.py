"""The discipline commission's register (PROGRAMMES.md §5): entries of 失联/外逃/出走 with one open entry per
person and category (a partial unique index), their history and the contacts with a person's unit (both
append-only on PostgreSQL, like the other histories), and `persons.unit_contact_on`, the latest of them.

Revision ID: 0016
Revises: 0013 (the lead re-chains it after the branches of the day)
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0013'
branch_labels = None
depends_on = None

HISTORY = ("discipline_events", "unit_contacts")


def upgrade() -> None:
    op.create_table('discipline_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('since_on', sa.Date(), nullable=False),
    sa.Column('recontact_on', sa.Date(), nullable=False),
    sa.Column('recontact_note', sa.Text(), nullable=False),
    sa.Column('disciplined', sa.Boolean(), nullable=True),
    sa.Column('sanction', sa.String(length=200), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('documents_held', sa.Text(), nullable=True),
    sa.Column('whereabouts', sa.String(length=12), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('case_filed_by', sa.String(length=200), nullable=True),
    sa.Column('case_filed_on', sa.Date(), nullable=True),
    sa.Column('suspected_offence', sa.String(length=200), nullable=True),
    sa.Column('amount_wan', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_discipline_entries_case_id_cases')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_discipline_entries_org_id_orgs')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_discipline_entries_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_entries'))
    )
    with op.batch_alter_table('discipline_entries', schema=None) as batch_op:
        batch_op.create_index('ix_discipline_entries_case', ['case_id'], unique=False)
        batch_op.create_index('ix_discipline_entries_org_state', ['org_id', 'state'], unique=False)
        batch_op.create_index('uq_discipline_entries_open', ['person_id', 'category'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('unit_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_unit_contacts_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_contacts'))
    )
    with op.batch_alter_table('unit_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_unit_contacts_person_on', ['person_id', 'on_date'], unique=False)

    op.create_table('discipline_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=12), nullable=False),
    sa.Column('from_state', sa.String(length=12), nullable=True),
    sa.Column('to_state', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['discipline_entries.id'], name=op.f('fk_discipline_events_entry_id_discipline_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discipline_events')),
    sa.UniqueConstraint('entry_id', 'seq', name=op.f('uq_discipline_events_entry_id'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_contact_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_persons_unit_contact_on'), ['unit_contact_on'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
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
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_unit_contact_on'))
        batch_op.drop_column('unit_contact_on')

    op.drop_table('discipline_events')
    with op.batch_alter_table('unit_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_contacts_person_on')

    op.drop_table('unit_contacts')
    with op.batch_alter_table('discipline_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_discipline_entries_open', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index('ix_discipline_entries_org_state')
        batch_op.drop_index('ix_discipline_entries_case')

    op.drop_table('discipline_entries')
