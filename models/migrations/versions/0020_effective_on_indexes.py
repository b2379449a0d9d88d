"""The history's and the due dates' records by the day they take effect: the sweep closes the case alerts of
the cases with a record come into effect since the previous run (or recorded since), not every open alert.

Revision ID: 0020
Revises: 0019
"""
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_events_effective_on', 'case_events', ['effective_on', 'case_id'], unique=False)
    op.create_index('ix_deadlines_effective_on', 'deadlines', ['effective_on', 'case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_deadlines_effective_on', table_name='deadlines')
    op.drop_index('ix_case_events_effective_on', table_name='case_events')
