"""PostgreSQL-only protections, completed: every record of what happened on a date is append-only, and
no history table can be emptied with TRUNCATE, even by the schema owner (row triggers do not fire on it).

The case history (0002), attachments and the audit log (0003) already refuse UPDATE and DELETE; search-log
entries, contact events, member changes, computed deadlines, policy versions and frozen tallies now do too.
A statement-level BEFORE TRUNCATE trigger on each of these tables refuses TRUNCATE, also when it would reach
them through `TRUNCATE … CASCADE` from a parent table. See docs/postgresql-protections.md.

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# 0002, 0003 and 0004 gave these a row trigger already
ROW_PROTECTED = ("case_events", "attachments", "audit_log", "calendar_versions")
# effective-dated records that were still writable
NEWLY_APPEND_ONLY = ("search_entries", "contact_events", "member_changes", "deadlines", "policy_versions",
                     "tally_snapshots")
HISTORY = ROW_PROTECTED + NEWLY_APPEND_ONLY


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no roles nor TRUNCATE; the application never rewrites history on either engine
    # lostcontact_append_only() (0003) names the table and the refused operation, TRUNCATE included
    for table in NEWLY_APPEND_ONLY:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION lostcontact_append_only()")
    for table in HISTORY:
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION lostcontact_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in HISTORY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    for table in NEWLY_APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
