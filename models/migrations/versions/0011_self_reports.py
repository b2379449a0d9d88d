"""Self-report campaigns (自查自报, PROGRAMMES.md §4): the campaign of a scope, each person's report, its
history and its frozen document and trip lines. On PostgreSQL the history is append-only and cannot be
truncated, like the custody history (0008).

Revision ID: 0011
Revises: 0008 (the lead re-chains it after 0009 and 0010 at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

HISTORY = ("self_report_events",)


def upgrade() -> None:
    op.create_table('self_report_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('scope_org_id', sa.Integer(), nullable=False),
    sa.Column('trips_since', sa.Date(), nullable=False),
    sa.Column('documents_expired_since', sa.Date(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_self_report_campaigns_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_self_report_campaigns_milestone_id_milestones')),
    sa.ForeignKeyConstraint(['scope_org_id'], ['orgs.id'], name=op.f('fk_self_report_campaigns_scope_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_report_campaigns')),
    sa.UniqueConstraint('campaign_id', name=op.f('uq_self_report_campaigns_campaign_id')),
    sa.UniqueConstraint('milestone_id', name=op.f('uq_self_report_campaigns_milestone_id'))
    )
    with op.batch_alter_table('self_report_campaigns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_report_campaigns_scope_org_id'), ['scope_org_id'], unique=False)

    op.create_table('self_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('submission_seq', sa.Integer(), nullable=False),
    sa.Column('zero_report', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('pledge_text', sa.Text(), nullable=False),
    sa.Column('pledge_signed_on', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('recorded_by', sa.String(length=64), nullable=False),
    sa.Column('reviewer', sa.String(length=64), nullable=True),
    sa.Column('reviewer_role', sa.String(length=32), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['self_report_campaigns.id'], name=op.f('fk_self_reports_campaign_id_self_report_campaigns')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_self_reports_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reports')),
    sa.UniqueConstraint('campaign_id', 'person_id', name=op.f('uq_self_reports_campaign_id'))
    )
    with op.batch_alter_table('self_reports', schema=None) as batch_op:
        batch_op.create_index('ix_self_reports_campaign_state', ['campaign_id', 'state'], unique=False)
        batch_op.create_index('ix_self_reports_person_state', ['person_id', 'state', 'confirmed_on'], unique=False)

    op.create_table('self_report_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('submission_seq', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name_on_document', sa.String(length=100), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('expired', sa.Boolean(), nullable=False),
    sa.Column('kept_at', sa.String(length=200), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('self_corrected', sa.Boolean(), nullable=False),
    sa.Column('correction', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['self_reports.id'], name=op.f('fk_self_report_documents_report_id_self_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_report_documents')),
    sa.UniqueConstraint('report_id', 'submission_seq', 'line_no', name=op.f('uq_self_report_documents_report_id'))
    )
    with op.batch_alter_table('self_report_documents', schema=None) as batch_op:
        batch_op.create_index('ix_self_report_documents_kind_number', ['kind', 'number'], unique=False)

    op.create_table('self_report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=False),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('submission_seq', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['self_reports.id'], name=op.f('fk_self_report_events_report_id_self_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_report_events')),
    sa.UniqueConstraint('report_id', 'seq', name=op.f('uq_self_report_events_report_id'))
    )
    with op.batch_alter_table('self_report_events', schema=None) as batch_op:
        batch_op.create_index('ix_self_report_events_report_on', ['report_id', 'effective_on', 'seq', 'to_state'], unique=False)

    op.create_table('self_report_trips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('submission_seq', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('departure_on', sa.Date(), nullable=False),
    sa.Column('return_on', sa.Date(), nullable=False),
    sa.Column('destinations', sa.String(length=400), nullable=False),
    sa.Column('reason', sa.String(length=400), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('approving_authority', sa.String(length=200), nullable=True),
    sa.Column('remark', sa.Text(), nullable=True),
    sa.Column('self_corrected', sa.Boolean(), nullable=False),
    sa.Column('correction', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['self_reports.id'], name=op.f('fk_self_report_trips_report_id_self_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_report_trips')),
    sa.UniqueConstraint('report_id', 'submission_seq', 'line_no', name=op.f('uq_self_report_trips_report_id'))
    )
    with op.batch_alter_table('self_report_trips', schema=None) as batch_op:
        batch_op.create_index('ix_self_report_trips_report_dates', ['report_id', 'submission_seq', 'departure_on', 'return_on'], unique=False)

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
    with op.batch_alter_table('self_report_trips', schema=None) as batch_op:
        batch_op.drop_index('ix_self_report_trips_report_dates')

    op.drop_table('self_report_trips')
    with op.batch_alter_table('self_report_events', schema=None) as batch_op:
        batch_op.drop_index('ix_self_report_events_report_on')

    op.drop_table('self_report_events')
    with op.batch_alter_table('self_report_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_self_report_documents_kind_number')

    op.drop_table('self_report_documents')
    with op.batch_alter_table('self_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_self_reports_person_state')
        batch_op.drop_index('ix_self_reports_campaign_state')

    op.drop_table('self_reports')
    with op.batch_alter_table('self_report_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_report_campaigns_scope_org_id'))

    op.drop_table('self_report_campaigns')
