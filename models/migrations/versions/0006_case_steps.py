"""`case_steps`: the spans of days each case stood in one open step with one due date, derived from the
case history so that the 超期预警 of a past day reads index ranges instead of replaying every case
(models/case_steps.py). Derived and rebuilt in place, so it gets none of the append-only triggers of the
history it comes from. The backfill is the write path's own set-based statement over every case.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

from models.case_steps import refresh_steps

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_steps',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('entered_on', sa.Date(), nullable=False),
    sa.Column('cell', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['orgs.id'], name=op.f('fk_case_steps_branch_id_orgs')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_steps_case_id_cases')),
    sa.PrimaryKeyConstraint('case_id', 'entered_on', 'cell', name=op.f('pk_case_steps'))
    )
    op.create_index('ix_case_steps_branch_cell', 'case_steps',
                    ['branch_id', 'cell', 'entered_on', 'left_on', 'due_on', 'state', 'case_id'])
    op.create_index('ix_case_steps_cell_due', 'case_steps',
                    ['cell', 'due_on', 'case_id', 'entered_on', 'left_on', 'branch_id', 'state'])
    refresh_steps(op.get_bind(), "SELECT id FROM cases")


def downgrade() -> None:
    op.drop_index('ix_case_steps_cell_due', 'case_steps')
    op.drop_index('ix_case_steps_branch_cell', 'case_steps')
    op.drop_table('case_steps')
