"""The discipline register's entries by person, category and opening day: the 失联 candidates look for an
entry open on the day per candidate (the partial unique index holds the open ones only, and not on a past
day), a probe each instead of a scan of the register.

Revision ID: 0017
Revises: 0016
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('discipline_entries', schema=None) as batch_op:
        batch_op.create_index('ix_discipline_entries_person', ['person_id', 'category', 'opened_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('discipline_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_discipline_entries_person')
