"""The monthly reports of registration changes to the exit-entry administration (PROGRAMMES.md §1): reports,
the changes each carried (append-only on PostgreSQL, like the histories), and the index that finds the
changes still to report; and the orgs' rules on private travel (seed 002 附件3).

Revision ID: 0013
Revises: 0008 (the lead re-chains it at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('registration_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reported_by', sa.String(length=64), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=True),
    sa.Column('recorded_by', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_registration_reports_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_reports'))
    )
    with op.batch_alter_table('registration_reports', schema=None) as batch_op:
        batch_op.create_index('ix_registration_reports_org_on', ['org_id', 'reported_on'], unique=False)
        batch_op.create_index('ix_registration_reports_recorded', ['recorded_on', 'reported_on'], unique=False)

    op.create_table('registration_report_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('person_event_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_event_id'], ['person_events.id'],
                            name=op.f('fk_registration_report_items_person_event_id_person_events')),
    sa.ForeignKeyConstraint(['report_id'], ['registration_reports.id'],
                            name=op.f('fk_registration_report_items_report_id_registration_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_report_items')),
    sa.UniqueConstraint('person_event_id', name=op.f('uq_registration_report_items_person_event_id'))
    )
    with op.batch_alter_table('registration_report_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_report_items_report_id'), ['report_id'], unique=False)
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.create_index('ix_person_events_status_on', ['to_status', 'effective_on'], unique=False)
    op.create_table('travel_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_travel_rules_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_travel_rules'))
    )
    with op.batch_alter_table('travel_rules', schema=None) as batch_op:
        batch_op.create_index('ix_travel_rules_org_issued', ['org_id', 'issued_on'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER registration_report_items_append_only BEFORE UPDATE OR DELETE ON "
                   "registration_report_items FOR EACH ROW EXECUTE FUNCTION lostcontact_append_only()")
        op.execute("CREATE TRIGGER registration_report_items_no_truncate BEFORE TRUNCATE ON "
                   "registration_report_items FOR EACH STATEMENT EXECUTE FUNCTION lostcontact_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS registration_report_items_no_truncate ON registration_report_items")
        op.execute("DROP TRIGGER IF EXISTS registration_report_items_append_only ON registration_report_items")
    with op.batch_alter_table('travel_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_travel_rules_org_issued')
    op.drop_table('travel_rules')
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.drop_index('ix_person_events_status_on')
    with op.batch_alter_table('registration_report_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_report_items_report_id'))
    op.drop_table('registration_report_items')
    with op.batch_alter_table('registration_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_registration_reports_recorded')
        batch_op.drop_index('ix_registration_reports_org_on')
    op.drop_table('registration_reports')
