"""The discipline register's entries in the list's order (opening day, number) with the columns its filters and
its scope read: a reader of many orgs' entries walks the index to the page instead of sorting every entry of
the scope (lostcontact/queries/discipline.py: entries_page).

Revision ID: 0021
Revises: 0020
"""
from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_discipline_entries_list_order', 'discipline_entries',
                    ['opened_on', 'id', 'org_id', 'category', 'state', 'ended_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_discipline_entries_list_order', table_name='discipline_entries')
