"""The operator's holiday calendar: each year's statutory holidays and make-up working days (调休) as
loaded by `lostcontact calendar load` (a new version per load, the newest wins over the chinesecalendar
package), and the sweep's high-water mark over those versions (years loaded since are recounted).

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('holidays', sa.Text(), nullable=False),
    sa.Column('workdays', sa.Text(), nullable=False),
    sa.Column('notice', sa.String(length=400), nullable=True),
    sa.Column('file_name', sa.String(length=400), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('loaded_by', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_versions')),
    sa.UniqueConstraint('year', 'version', name='uq_calendar_versions_year_version')
    )
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_calendar_version_id', sa.Integer(), server_default='0', nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        # a loaded version is history, as policy files and the case history are (0003's function)
        op.execute("CREATE TRIGGER calendar_versions_append_only BEFORE UPDATE OR DELETE ON calendar_versions "
                   "FOR EACH ROW EXECUTE FUNCTION lostcontact_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS calendar_versions_append_only ON calendar_versions")
    with op.batch_alter_table('sweep_runs', schema=None) as batch_op:
        batch_op.drop_column('max_calendar_version_id')
    op.drop_table('calendar_versions')
