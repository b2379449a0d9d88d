"""The index that finds a person's filing day (备案) as of a day in one seek: `person_events` by person, action and
day. 应交尽交's list, the custody alerts and the checks P1/P2 read the latest `register` record of every person
they meet on or before the day (bench/travel.py measured custody-gaps at 200,000 persons with and without it).

Revision ID: 0018
Revises: 0017
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.create_index('ix_person_events_person_action_on', ['person_id', 'action', 'effective_on'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('person_events', schema=None) as batch_op:
        batch_op.drop_index('ix_person_events_person_action_on')
