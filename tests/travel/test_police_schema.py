"""What the police records and problems rest on: evidence written in SQL masks numbers exactly as
lostcontact.masking does, on both engines; and on PostgreSQL the problems' history is append-only."""
from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from lostcontact.masking import mask_document, mask_id
from lostcontact.services.travel.checks import masked_document, masked_id

from ..builders import make_id_number

NUMBERS = ["E1234", "E12345", "E87654321", "G" + "9" * 39, "HK12345678AB"]


def test_evidence_masks_numbers_as_every_listing_does(db):
    with db.engine.connect() as conn:
        for number in NUMBERS:
            assert conn.scalar(select(masked_document(literal(number)))) == mask_document(number), number
        id_number = make_id_number(7)
        assert conn.scalar(select(masked_id(literal(id_number)))) == mask_id(id_number)


@pytest.mark.postgresql
def test_on_postgresql_the_problem_history_refuses_update_delete_and_truncate(pg_server):
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
                              " last_event_on, version, updated_at) VALUES ('x', 'p', 1, 'county', 'registered', 1,"
                              " '2024-01-02', 1, now())"))
            conn.execute(text("INSERT INTO problems (person_id, kind, subject, org_id, found_on, evidence, status,"
                              " self_corrected, last_seq, last_event_on, version) VALUES (1, 'P2', 'doc:x', 1,"
                              " '2024-03-01', 'e', 'found', false, 1, '2024-03-01', 1)"))
            conn.execute(text("INSERT INTO problem_events (problem_id, seq, trigger, to_status, self_corrected,"
                              " effective_on, actor, role, recorded_at) VALUES (1, 1, 'find', 'found', false,"
                              " '2024-03-01', 'system', 'system', now())"))
        for statement in ("UPDATE problem_events SET actor = 'rewritten'", "DELETE FROM problem_events",
                          "TRUNCATE problem_events CASCADE"):
            with pytest.raises(DBAPIError, match="append-only"):
                with database.engine.begin() as conn:
                    conn.execute(text(statement))
    finally:
        database.dispose()
        pg_server.drop_database(url)
