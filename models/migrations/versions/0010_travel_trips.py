"""Private trips abroad (因私出国（境）, PROGRAMMES.md §3): `trips` and their append-only history `trip_events`
(on PostgreSQL it refuses UPDATE, DELETE and TRUNCATE like the other histories, 0008); a checkout records its
trip (`travel_documents.trip_id`, `custody_events.trip_id`).

Revision ID: 0010
Revises: 0008 (the lead re-chains it at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None

HISTORY = ("trip_events",)


def upgrade() -> None:
    op.create_table('trips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('destinations', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('planned_departure', sa.Date(), nullable=False),
    sa.Column('planned_return', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('strict_review', sa.Boolean(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('consulted_on', sa.Date(), nullable=True),
    sa.Column('consulted_by', sa.String(length=64), nullable=True),
    sa.Column('consultation_opinion', sa.Text(), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=64), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('actual_exit_on', sa.Date(), nullable=True),
    sa.Column('actual_entry_on', sa.Date(), nullable=True),
    sa.Column('actual_places', sa.Text(), nullable=True),
    sa.Column('deviations', sa.String(length=100), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['travel_documents.id'], name=op.f('fk_trips_document_id_travel_documents')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_trips_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trips'))
    )
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.create_index('ix_trips_document', ['document_id'], unique=False)
        batch_op.create_index('ix_trips_person_departure', ['person_id', 'planned_departure'], unique=False)
        batch_op.create_index('ix_trips_state_departure', ['state', 'planned_departure'], unique=False)

    op.create_table('trip_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trip_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('grant_org_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('exit_on', sa.Date(), nullable=True),
    sa.Column('entry_on', sa.Date(), nullable=True),
    sa.Column('places', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grant_org_id'], ['orgs.id'], name=op.f('fk_trip_events_grant_org_id_orgs')),
    sa.ForeignKeyConstraint(['trip_id'], ['trips.id'], name=op.f('fk_trip_events_trip_id_trips')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trip_events')),
    sa.UniqueConstraint('trip_id', 'seq', name=op.f('uq_trip_events_trip_id'))
    )
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.create_index('ix_trip_events_trip_on', ['trip_id', 'effective_on', 'seq', 'to_state'], unique=False)

    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trip_id', sa.Integer(), nullable=True))
    # custody_events is append-only on PostgreSQL (0008): adding a column without a default rewrites no row, so
    # its row triggers never fire
    with op.batch_alter_table('custody_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trip_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_custody_events_trip_id_trips'), 'trips', ['trip_id'], ['id'])
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
        batch_op.drop_constraint(batch_op.f('fk_custody_events_trip_id_trips'), type_='foreignkey')
        batch_op.drop_column('trip_id')
    with op.batch_alter_table('travel_documents', schema=None) as batch_op:
        batch_op.drop_column('trip_id')
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.drop_index('ix_trip_events_trip_on')
    op.drop_table('trip_events')
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index('ix_trips_state_departure')
        batch_op.drop_index('ix_trips_person_departure')
        batch_op.drop_index('ix_trips_document')
    op.drop_table('trips')
