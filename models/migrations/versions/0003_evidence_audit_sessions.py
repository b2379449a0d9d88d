"""The web's daily work: attachments (佐证材料), the admin audit log, server-side sessions and API tokens,
disabled accounts, and the member search columns (name, last digits of the ID number).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

APPEND_ONLY = ("attachments", "audit_log")


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target_kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['orgs.id'], name=op.f('fk_audit_log_org_id_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_audit_log_recorded_at', ['recorded_at', 'id'], unique=False)

    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_user_sessions_user_open', ['user_id', 'ended_at'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('search_entry_id', sa.Integer(), nullable=True),
    sa.Column('step_seq', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.ForeignKeyConstraint(['search_entry_id'], ['search_entries.id'], name=op.f('fk_attachments_search_entry_id_search_entries')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['attachments.id'], name=op.f('fk_attachments_supersedes_id_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_attachments_storage_key')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_attachments_supersedes_id'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_case_id', ['case_id', 'id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_tail_reversed', sa.String(length=6), sa.Computed('substr(id_number, 18, 1)||substr(id_number, 17, 1)||substr(id_number, 16, 1)||substr(id_number, 15, 1)||substr(id_number, 14, 1)||substr(id_number, 13, 1)', ), nullable=True))
        batch_op.create_index('ix_members_id_tail_reversed', ['id_tail_reversed'], unique=False)
        batch_op.create_index('ix_members_name', ['name'], unique=False)

    op.create_index('ix_cases_opened_on', 'cases', ['opened_on', 'id'])
    op.create_index('ix_alerts_list_order', 'alerts', ['level', 'due_on', 'id', 'raised_on', 'closed_on', 'rule',
                                                       'org_id'])
    op.create_index('ix_case_events_actor', 'case_events', ['actor', 'case_id'])
    op.create_index('ix_search_entries_actor', 'search_entries', ['actor', 'case_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True))



    if op.get_bind().dialect.name == "postgresql":
        # attachments and the audit log are append-only, as the case history is (0002)
        op.execute("""
            CREATE FUNCTION lostcontact_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$ LANGUAGE plpgsql
        """)
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION lostcontact_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS lostcontact_append_only()")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('disabled_at')
    op.drop_index('ix_search_entries_actor', 'search_entries')
    op.drop_index('ix_case_events_actor', 'case_events')
    op.drop_index('ix_cases_opened_on', 'cases')
    op.drop_index('ix_alerts_list_order', 'alerts')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_name')
        batch_op.drop_index('ix_members_id_tail_reversed')
        batch_op.drop_column('id_tail_reversed')

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_case_id')

    op.drop_table('attachments')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_user_sessions_user_open')

    op.drop_table('user_sessions')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_recorded_at')
        batch_op.drop_index(batch_op.f('ix_audit_log_org_id'))

    op.drop_table('audit_log')
