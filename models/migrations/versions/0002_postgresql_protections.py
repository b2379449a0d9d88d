"""PostgreSQL-only protections: the case history is append-only.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no roles; the application never updates history rows on either engine
    op.execute("""
        CREATE FUNCTION lostcontact_history_is_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$ LANGUAGE plpgsql
    """)
    op.execute("""
        CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
        FOR EACH ROW EXECUTE FUNCTION lostcontact_history_is_append_only()
    """)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS case_events_append_only ON case_events")
    op.execute("DROP FUNCTION IF EXISTS lostcontact_history_is_append_only()")
