"""The programme's periods live in the policy file ([travel], optional with PROGRAMMES.md's defaults, bounded
like every number), and on PostgreSQL its two histories are append-only like the case history."""
from __future__ import annotations

import pytest

from statemachines.errors import BadInput
from statemachines.policy import default_policy, default_policy_text, parse_policy


def without_travel(text: str) -> str:
    return text[:text.index("\n# The travel-documents programme")]


def test_the_defaults_are_programmes_md_s_and_a_policy_without_the_table_gets_them():
    shipped = default_policy().travel
    assert (shipped.hand_in_working_days, shipped.checkout_lead_days, shipped.return_days,
            shipped.change_report_day, shipped.record_working_days) == (10, 5, 10, 25, 1)
    assert parse_policy(without_travel(default_policy_text())).travel == shipped


def test_a_changed_period_is_read():
    text = without_travel(default_policy_text()) + "\n[travel]\nreturn_days = 15\n"
    assert parse_policy(text).travel.return_days == 15


@pytest.mark.parametrize("line, words", [("return_days = 0", "return_days must be an integer from 1 to 120"),
                                         ("change_report_day = 31", "change_report_day"),
                                         ("checkout_lead_days = true", "checkout_lead_days"),
                                         ("hand_in_days = 10", "unknown keys")])
def test_a_period_outside_its_bounds_or_an_unknown_key_refuses_the_whole_file(line, words):
    with pytest.raises(BadInput, match=words):
        parse_policy(without_travel(default_policy_text()) + f"\n[travel]\n{line}\n")


def test_the_trip_approval_chain_by_rank_and_the_strictly_reviewed_types_are_policy_data():
    policy = parse_policy(default_policy_text()).travel
    assert (policy.approver_level("county"), policy.approver_level("staff")) == ("city", "unit")
    assert policy.strict_review_types == ("naked_official", "sensitive_post")
    base = without_travel(default_policy_text())
    changed = parse_policy(base + '\n[travel]\nstrict_review_types = []\n[travel.trip_approval]\ncounty = "county"\n')
    assert (changed.travel.approver_level("county"), changed.travel.approver_level("bureau")) == ("county", "province")
    assert changed.travel.strict_review_types == ()
    for table, words in [('[travel.trip_approval]\ncounty = "ministry"', "must be one of"),
                         ('[travel.trip_approval]\ngeneral = "city"', "unknown ranks"),
                         ('[travel]\nstrict_review_types = ["spy"]', "list of person types")]:
        with pytest.raises(BadInput, match=words):
            parse_policy(base + "\n" + table + "\n")


@pytest.mark.postgresql
def test_on_postgresql_the_person_custody_and_trip_histories_refuse_update_delete_and_truncate(pg_server):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from models.db import open_database
    from models.migrate import upgrade

    url = pg_server.create_database()
    database = open_database(url)
    try:
        upgrade(database)
        with database.engine.begin() as conn:
            conn.execute(text("INSERT INTO orgs (code, name, level, path, depth) VALUES ('B', 'b', 'branch', '/1/', 0)"))
            conn.execute(text("INSERT INTO persons (id_number, name, org_id, rank, registration_status, last_seq,"
                              " last_event_on, version, updated_at) VALUES ('x', 'p', 1, 'county', 'unregistered', 1,"
                              " '2024-01-02', 1, now())"))
            conn.execute(text("INSERT INTO person_events (person_id, seq, action, to_status, org_id, rank,"
                              " effective_on, actor, role, recorded_at) VALUES (1, 1, 'add', 'unregistered', 1,"
                              " 'county', '2024-01-02', 'a', 'cadre_supervisor', now())"))
            conn.execute(text("INSERT INTO travel_documents (person_id, kind, number, issued_on, expires_on, state,"
                              " last_seq, last_event_on, version) VALUES (1, 'taiwan', 'T1234567', '2020-01-01',"
                              " '2030-01-01', 'held', 1, '2024-01-02', 1)"))
            conn.execute(text("INSERT INTO custody_events (document_id, seq, trigger, to_state, effective_on, actor,"
                              " role, recorded_at) VALUES (1, 1, 'record', 'held', '2024-01-02', 'a',"
                              " 'cadre_supervisor', now())"))
            conn.execute(text("INSERT INTO trips (person_id, document_id, destinations, reason, planned_departure,"
                              " planned_return, state, strict_review, applied_on, last_seq, last_event_on, version)"
                              " VALUES (1, 1, '[\"泰国\"]', 'r', '2024-03-10', '2024-03-20', 'draft', false,"
                              " '2024-03-01', 1, '2024-03-01', 1)"))
            conn.execute(text("INSERT INTO trip_events (trip_id, seq, trigger, to_state, effective_on, actor, role,"
                              " recorded_at) VALUES (1, 1, 'apply', 'draft', '2024-03-01', 'a', 'cadre_supervisor',"
                              " now())"))
        for table in ("person_events", "custody_events", "trip_events"):
            for statement in (f"UPDATE {table} SET actor = 'rewritten'", f"DELETE FROM {table}",
                              f"TRUNCATE {table} CASCADE"):
                with pytest.raises(DBAPIError, match="append-only"):
                    with database.engine.begin() as conn:
                        conn.execute(text(statement))
    finally:
        database.dispose()
        pg_server.drop_database(url)
