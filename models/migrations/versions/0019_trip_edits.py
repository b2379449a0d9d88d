"""A trip's application edited while it awaits approval (`trip edit`): the history record names each field
changed, old and new, like `person_events.changes`.

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trip_events', schema=None) as batch_op:
        batch_op.drop_column('changes')
