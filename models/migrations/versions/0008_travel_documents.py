"""The travel-documents programme (PROGRAMMES.md §1, §2): persons and their registration history, travel
documents and their custody history. On PostgreSQL both histories are append-only and cannot be truncated,
like the case history (0002, 0005).

Revision ID: 0008
Revises: 0005 (the lead re-chains it after 0006 and 0007 at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

HISTORY = ("person_events", "custody_events")


def upgrade() -> None:
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('former_names', sa.String(length=200), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('political_status', sa.String(length=20), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('work_unit', sa.String(length=200), nullable=True),
    sa.Column('post', sa.String(length=200), nullable=True),
    sa.Column('rank', sa.String(length=16), nullable=False),
    sa.Column('household_place', sa.String(length=200), nullable=True),
    sa.Column('authority', sa.String(length=200), nullable=True),
    sa.Column('person_type', sa.String(length=32), nullable=True),
    sa.Column('registration_status', sa.String(length=16), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_persons_member_id_members')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_persons_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('id_number', name=op.f('uq_persons_id_number'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_member_id'), ['member_id'], unique=False)
        batch_op.create_index('ix_persons_name', ['name'], unique=False)
        batch_op.create_index('ix_persons_org_status', ['org_id', 'registration_status'], unique=False)

    op.create_table('person_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('person_type', sa.String(length=32), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_person_events_org_id_orgs')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_events_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_events')),
    sa.UniqueConstraint('person_id', 'seq', name=op.f('uq_person_events_person_id'))
    )
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.create_index('ix_person_events_person_on', ['person_id', 'effective_on', 'seq'], unique=False)

    op.create_table('travel_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name_on_document', sa.String(length=100), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('issuing_authority', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('kept_at', sa.String(length=200), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('checked_out_on', sa.Date(), nullable=True),
    sa.Column('trip_ref', sa.String(length=200), nullable=True),
    sa.Column('departure_on', sa.Date(), nullable=True),
    sa.Column('trip_ends_on', sa.Date(), nullable=True),
    sa.Column('return_due_on', sa.Date(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_travel_documents_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_documents')),
    sa.UniqueConstraint('kind', 'number', name=op.f('uq_travel_documents_kind'))
    )
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.create_index('ix_travel_documents_person', ['person_id', 'kind'], unique=False)
        batch_op.create_index('ix_travel_documents_state', ['state', 'kind'], unique=False)

    op.create_table('custody_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('grant_org_id', sa.Integer(), nullable=True),
    sa.Column('trip_ref', sa.String(length=200), nullable=True),
    sa.Column('departure_on', sa.Date(), nullable=True),
    sa.Column('trip_ends_on', sa.Date(), nullable=True),
    sa.Column('return_due_on', sa.Date(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['travel_documents.id'], name=op.f('fk_custody_events_document_id_travel_documents')),
    sa.ForeignKeyConstraint(['grant_org_id'], ['orgs.id'], name=op.f('fk_custody_events_grant_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_events')),
    sa.UniqueConstraint('document_id', 'seq', name=op.f('uq_custody_events_document_id'))
    )
    with op.batch_alter_table('custody_events', schema=None) as batch_op:
        batch_op.create_index('ix_custody_events_document_on', ['document_id', 'effective_on', 'seq', 'to_state'], unique=False)
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
    with op.batch_alter_table('custody_events', schema=None) as batch_op:
        batch_op.drop_index('ix_custody_events_document_on')

    op.drop_table('custody_events')
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_travel_documents_state')
        batch_op.drop_index('ix_travel_documents_person')

    op.drop_table('travel_documents')
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.drop_index('ix_person_events_person_on')

    op.drop_table('person_events')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_org_status')
        batch_op.drop_index('ix_persons_name')
        batch_op.drop_index(batch_op.f('ix_persons_member_id'))

    op.drop_table('persons')
