-- The application's role gets only what it needs (run after `lostcontact init`, as the schema owner):
-- read and append everywhere, update the tables whose rows carry current state, delete nothing,
-- no DDL, and never rewrite the history: the case history, search-log entries, contact events and every other
-- effective-dated record (the triggers of migrations 0002, 0003 and 0005 refuse that to anyone, owner included).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lostcontact_app') THEN
        CREATE ROLE lostcontact_app LOGIN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO lostcontact_app', current_database());
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO lostcontact_app;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO lostcontact_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO lostcontact_app;
REVOKE INSERT, UPDATE ON alembic_version FROM lostcontact_app;
REVOKE UPDATE ON case_events FROM lostcontact_app;
-- every record of what happened on a date is append-only too (migration 0005's triggers refuse it to anyone)
REVOKE UPDATE, DELETE, TRUNCATE ON search_entries, contact_events, member_changes, deadlines, policy_versions,
    tally_snapshots, attachments, audit_log FROM lostcontact_app;
-- the travel-documents programme's histories (migration 0008's triggers)
REVOKE UPDATE, DELETE, TRUNCATE ON person_events, custody_events FROM lostcontact_app;
-- alert_recipients (rebuilt by the sweep when the org tree changes) and case_steps (rebuilt from the case
-- history with every step and deadline written) are derived: the only tables it deletes from.
GRANT DELETE ON alert_recipients, case_steps TO lostcontact_app;
