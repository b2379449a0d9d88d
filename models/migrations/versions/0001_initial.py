"""initial schema

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('name', name=op.f('uq_campaigns_name'))
    )
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=400), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    op.create_table('orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('org_type', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['orgs.id'], name=op.f('fk_orgs_parent_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orgs')),
    sa.UniqueConstraint('code', name=op.f('uq_orgs_code'))
    )
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orgs_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orgs_path'), ['path'], unique=False)

    op.create_table('policy_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('loaded_by', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_policy_versions_version'))
    )
    with op.batch_alter_table('policy_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_versions_effective_from'), ['effective_from'], unique=False)

    op.create_table('sweep_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('policy_version', sa.String(length=64), nullable=False),
    sa.Column('max_member_id', sa.Integer(), nullable=False),
    sa.Column('max_member_change_id', sa.Integer(), nullable=False),
    sa.Column('max_case_event_id', sa.Integer(), nullable=False),
    sa.Column('max_deadline_id', sa.Integer(), nullable=False),
    sa.Column('org_fingerprint', sa.String(length=100), nullable=False),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep_runs'))
    )
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.create_index('ix_sweep_runs_status_as_of', ['status', 'as_of'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('login', name=op.f('uq_users_login'))
    )
    op.create_table('alert_recipients',
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('branch_reminder', sa.Integer(), nullable=False),
    sa.Column('branch_overdue', sa.Integer(), nullable=False),
    sa.Column('branch_escalated', sa.Integer(), nullable=False),
    sa.Column('committee_reminder', sa.Integer(), nullable=False),
    sa.Column('committee_overdue', sa.Integer(), nullable=False),
    sa.Column('committee_escalated', sa.Integer(), nullable=False),
    sa.Column('upper_reminder', sa.Integer(), nullable=False),
    sa.Column('upper_overdue', sa.Integer(), nullable=False),
    sa.Column('upper_escalated', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['orgs.id'], name=op.f('fk_alert_recipients_branch_id_orgs')),
    sa.PrimaryKeyConstraint('branch_id', name=op.f('pk_alert_recipients'))
    )
    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_grants_org_id_orgs')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_grants_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('user_id', 'role', 'org_id', name=op.f('uq_grants_user_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_org_id'), ['org_id'], unique=False)

    op.create_table('members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('ethnicity', sa.String(length=40), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('join_date', sa.Date(), nullable=False),
    sa.Column('standing', sa.String(length=16), nullable=False),
    sa.Column('probation_start', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('occupation', sa.Integer(), nullable=True),
    sa.Column('mobile', sa.Boolean(), nullable=False),
    sa.Column('flow_direction', sa.Integer(), nullable=True),
    sa.Column('flow_reason', sa.String(length=200), nullable=True),
    sa.Column('flow_card_no', sa.String(length=60), nullable=True),
    sa.Column('receiving_unit', sa.String(length=200), nullable=True),
    sa.Column('away_since', sa.Date(), nullable=True),
    sa.Column('reported', sa.Boolean(), nullable=False),
    sa.Column('abroad', sa.Boolean(), nullable=False),
    sa.Column('abroad_reason', sa.String(length=200), nullable=True),
    sa.Column('abroad_date', sa.Date(), nullable=True),
    sa.Column('transfer_out_date', sa.Date(), nullable=True),
    sa.Column('receipt_returned', sa.Boolean(), nullable=False),
    sa.Column('receiving_org', sa.String(length=200), nullable=True),
    sa.Column('last_contact_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['orgs.id'], name=op.f('fk_members_branch_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_members')),
    sa.UniqueConstraint('id_number', name=op.f('uq_members_id_number'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_members_away_since'), ['away_since'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_last_contact_on'), ['last_contact_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_members_transfer_out_date'), ['transfer_out_date'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_milestones_campaign_id_campaigns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones')),
    sa.UniqueConstraint('campaign_id', 'key', name=op.f('uq_milestones_campaign_id'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index('ix_milestones_due_on', ['due_on'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('sweep_run_id', sa.Integer(), nullable=False),
    sa.Column('alert_count', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_notices_org_id_orgs')),
    sa.ForeignKeyConstraint(['sweep_run_id'], ['sweep_runs.id'], name=op.f('fk_notices_sweep_run_id_sweep_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('org_id', 'as_of', 'sweep_run_id', name='uq_notices_org_run')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_status', ['status'], unique=False)

    op.create_table('sweep_partitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('org_code', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('worker', sa.String(length=100), nullable=True),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['sweep_runs.id'], name=op.f('fk_sweep_partitions_run_id_sweep_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep_partitions')),
    sa.UniqueConstraint('run_id', 'org_code', name=op.f('uq_sweep_partitions_run_id'))
    )
    with op.batch_alter_table('sweep_partitions', schema=None) as batch_op:
        batch_op.create_index('ix_sweep_partitions_run_status', ['run_id', 'status', 'position'], unique=False)

    op.create_table('tally_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('tree', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_tally_snapshots_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tally_snapshots'))
    )
    with op.batch_alter_table('tally_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_tally_snapshots_org_as_of', ['org_id', 'as_of'], unique=False)
        batch_op.create_index(batch_op.f('ix_tally_snapshots_submission_id'), ['submission_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('pocket_transfer_date', sa.Date(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('lost_since', sa.Date(), nullable=False),
    sa.Column('cause', sa.Integer(), nullable=True),
    sa.Column('reached', sa.Boolean(), nullable=True),
    sa.Column('disposition', sa.String(length=32), nullable=True),
    sa.Column('chain', sa.String(length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('reopen_kind', sa.String(length=24), nullable=True),
    sa.Column('restore_disposition', sa.String(length=32), nullable=True),
    sa.Column('restore_reached', sa.Boolean(), nullable=True),
    sa.Column('restore_chain', sa.String(length=16), nullable=True),
    sa.Column('restore_closed_on', sa.Date(), nullable=True),
    sa.Column('step_seq', sa.Integer(), nullable=False),
    sa.Column('step_entered_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_provisional', sa.Boolean(), nullable=False),
    sa.Column('policy_version', sa.String(length=64), nullable=False),
    sa.Column('last_event_on', sa.Date(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('superseded_on', sa.Date(), nullable=True),
    sa.Column('tally_key', sa.Integer(), sa.Computed("(CASE state WHEN 'voided' THEN 1 WHEN 'deceased' THEN 2 ELSE 0 END) + 3 * (CASE WHEN reached IS NULL THEN 0 WHEN reached THEN 1 ELSE 2 END) + 9 * (CASE WHEN reopen_kind IS NOT NULL THEN (CASE WHEN restore_reached IS NULL THEN 0 WHEN restore_reached THEN 1 ELSE 2 END) WHEN state = 'closed' THEN (CASE WHEN reached IS NULL THEN 0 WHEN reached THEN 1 ELSE 2 END) ELSE 0 END) + 27 * (CASE WHEN reopen_kind IS NOT NULL THEN (CASE restore_disposition WHEN 'normal_management' THEN 1 WHEN 'retain_relationship' THEN 2 WHEN 'suspend_reached_abroad' THEN 3 WHEN 'correct_within_deadline' THEN 4 WHEN 'persuade_withdraw' THEN 5 WHEN 'removal_self_withdrawal' THEN 6 WHEN 'removal_requested' THEN 7 WHEN 'non_recognition' THEN 8 WHEN 'annul_probationary' THEN 9 WHEN 'expelled' THEN 10 WHEN 'suspend_unreachable' THEN 11 WHEN 'suspend_abroad_unreachable' THEN 12 ELSE 99 END) WHEN state = 'closed' THEN (CASE disposition WHEN 'normal_management' THEN 1 WHEN 'retain_relationship' THEN 2 WHEN 'suspend_reached_abroad' THEN 3 WHEN 'correct_within_deadline' THEN 4 WHEN 'persuade_withdraw' THEN 5 WHEN 'removal_self_withdrawal' THEN 6 WHEN 'removal_requested' THEN 7 WHEN 'non_recognition' THEN 8 WHEN 'annul_probationary' THEN 9 WHEN 'expelled' THEN 10 WHEN 'suspend_unreachable' THEN 11 WHEN 'suspend_abroad_unreachable' THEN 12 ELSE 99 END) ELSE 0 END)", persisted=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['orgs.id'], name=op.f('fk_cases_branch_id_orgs')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_cases_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('member_id', 'pocket_transfer_date', name=op.f('uq_cases_member_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_branch_state', ['branch_id', 'state'], unique=False)
        batch_op.create_index('ix_cases_branch_tally_key', ['branch_id', 'tally_key', 'last_event_on', 'superseded_on'], unique=False)
        batch_op.create_index('ix_cases_closed_on', ['closed_on'], unique=False)
        batch_op.create_index('ix_cases_due_on', ['due_on'], unique=False)
        batch_op.create_index('ix_cases_last_event_on', ['last_event_on', 'opened_on', 'state', 'member_id', 'superseded_on', 'branch_id'], unique=False, postgresql_include=['id'])
        batch_op.create_index('ix_cases_member_id', ['member_id', 'opened_on', 'id', 'state', 'last_event_on'], unique=False)
        batch_op.create_index('ix_cases_open_branch_due', ['branch_id', 'due_on', 'id', 'state'], unique=False, sqlite_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"), postgresql_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"))
        batch_op.create_index('ix_cases_superseded_on', ['superseded_on'], unique=False, sqlite_where=sa.text('superseded_on IS NOT NULL'), postgresql_where=sa.text('superseded_on IS NOT NULL'))
        batch_op.create_index('uq_cases_open_member', ['member_id'], unique=True, sqlite_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"), postgresql_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"))

    op.create_table('contact_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_contact_events_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_events')),
    sa.UniqueConstraint('member_id', 'on_date', 'kind', name=op.f('uq_contact_events_member_id'))
    )
    with op.batch_alter_table('contact_events', schema=None) as batch_op:
        batch_op.create_index('ix_contact_events_member_date', ['member_id', 'on_date'], unique=False)

    op.create_table('member_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_changes_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_changes'))
    )
    with op.batch_alter_table('member_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_changes_member_id'), ['member_id'], unique=False)

    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'], name=op.f('fk_submissions_milestone_id_milestones')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_submissions_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sa.UniqueConstraint('milestone_id', 'org_id', name=op.f('uq_submissions_milestone_id'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=8), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=10), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('step_seq', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('sweep_run_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_alerts_case_id_cases')),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_alerts_org_id_orgs')),
    sa.ForeignKeyConstraint(['sweep_run_id'], ['sweep_runs.id'], name=op.f('fk_alerts_sweep_run_id_sweep_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('subject_kind', 'subject_id', 'rule', 'level', 'step_seq', 'due_on', name='uq_alerts_key')
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_open_rule', ['rule', 'subject_id'], unique=False, sqlite_where=sa.text('closed_on IS NULL'), postgresql_where=sa.text('closed_on IS NULL'))
        batch_op.create_index('ix_alerts_org_raised', ['org_id', 'raised_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_sweep_run_id'), ['sweep_run_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=24), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('grant_org_id', sa.Integer(), nullable=True),
    sa.Column('opinion', sa.Text(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('disposition', sa.String(length=32), nullable=True),
    sa.Column('reached', sa.Boolean(), nullable=True),
    sa.Column('cause', sa.Integer(), nullable=True),
    sa.Column('meeting', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.ForeignKeyConstraint(['grant_org_id'], ['orgs.id'], name=op.f('fk_case_events_grant_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_events_case_id'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index('ix_case_events_case_on', ['case_id', 'effective_on', 'seq', 'to_state', 'reached', 'disposition'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('step_seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('policy_version', sa.String(length=64), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_deadlines_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_case_step', ['case_id', 'step_seq'], unique=False)

    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('witness', sa.String(length=200), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_search_entries_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index('ix_search_entries_case_on', ['case_id', 'effective_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_case_on')

    op.drop_table('search_entries')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_case_step')

    op.drop_table('deadlines')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_case_on')

    op.drop_table('case_events')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_sweep_run_id'))
        batch_op.drop_index('ix_alerts_org_raised')
        batch_op.drop_index('ix_alerts_open_rule', sqlite_where=sa.text('closed_on IS NULL'), postgresql_where=sa.text('closed_on IS NULL'))

    op.drop_table('alerts')
    op.drop_table('submissions')
    with op.batch_alter_table('member_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_changes_member_id'))

    op.drop_table('member_changes')
    with op.batch_alter_table('contact_events', schema=None) as batch_op:
        batch_op.drop_index('ix_contact_events_member_date')

    op.drop_table('contact_events')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('uq_cases_open_member', sqlite_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"), postgresql_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"))
        batch_op.drop_index('ix_cases_superseded_on', sqlite_where=sa.text('superseded_on IS NOT NULL'), postgresql_where=sa.text('superseded_on IS NOT NULL'))
        batch_op.drop_index('ix_cases_open_branch_due', sqlite_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"), postgresql_where=sa.text("state NOT IN ('closed', 'deceased', 'voided')"))
        batch_op.drop_index('ix_cases_member_id')
        batch_op.drop_index('ix_cases_last_event_on', postgresql_include=['id'])
        batch_op.drop_index('ix_cases_due_on')
        batch_op.drop_index('ix_cases_closed_on')
        batch_op.drop_index('ix_cases_branch_tally_key')
        batch_op.drop_index('ix_cases_branch_state')

    op.drop_table('cases')
    with op.batch_alter_table('tally_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tally_snapshots_submission_id'))
        batch_op.drop_index('ix_tally_snapshots_org_as_of')

    op.drop_table('tally_snapshots')
    with op.batch_alter_table('sweep_partitions', schema=None) as batch_op:
        batch_op.drop_index('ix_sweep_partitions_run_status')

    op.drop_table('sweep_partitions')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_status')

    op.drop_table('notices')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_milestones_due_on')

    op.drop_table('milestones')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_members_transfer_out_date'))
        batch_op.drop_index(batch_op.f('ix_members_last_contact_on'))
        batch_op.drop_index(batch_op.f('ix_members_branch_id'))
        batch_op.drop_index(batch_op.f('ix_members_away_since'))

    op.drop_table('members')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_org_id'))

    op.drop_table('grants')
    op.drop_table('alert_recipients')
    op.drop_table('users')
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_sweep_runs_status_as_of')

    op.drop_table('sweep_runs')
    with op.batch_alter_table('policy_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_versions_effective_from'))

    op.drop_table('policy_versions')
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orgs_path'))
        batch_op.drop_index(batch_op.f('ix_orgs_parent_id'))

    op.drop_table('orgs')
    op.drop_table('import_log')
    op.drop_table('campaigns')
