"""The same roster as UTF-8, UTF-8 with BOM, GBK, GB18030 and XLSX (first sheet or a named one), with
English or Chinese headers, imports to the same database; orgs and contacts files import as the rules say."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lostcontact.importing import import_file
from models import ContactEvent, Member, MemberChange, Org
from models.db import open_database

from ..builders import build_world
from ..data.make_files import AT_B1, AT_B2, EXISTING_MEMBERS, EXPECTED_MEMBERS, GOOD, GOOD_MEMBER_FILES
from .conftest import table_counts

ROSTER_COLUMNS = ("id_number", "name", "sex", "ethnicity", "birth_date", "join_date", "standing", "probation_start",
                  "phone", "occupation", "mobile", "flow_direction", "away_since", "reported", "abroad",
                  "last_contact_on")


def roster(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(*(Member.__table__.c[c] for c in ROSTER_COLUMNS), Org.code)
            .join(Org, Org.id == Member.branch_id).order_by(Member.id_number))]


def history(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(
            select(Member.id_number, MemberChange.field, MemberChange.old_value, MemberChange.new_value)
            .join(Member, Member.id == MemberChange.member_id)))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The roster and history after importing the plain UTF-8 file, on a SQLite database of its own."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('reference') / 'ref.db'}")
    from models import Base
    Base.metadata.create_all(database.engine)
    world = build_world(database)
    for name, branch, serial in EXISTING_MEMBERS:
        world.add_member(name, branch=branch, serial=serial)
    import_file(database, "members", GOOD / "members_utf8.csv", today=date(2016, 6, 20))
    yield roster(database), history(database)
    database.dispose()


@pytest.mark.parametrize("name, sheet", GOOD_MEMBER_FILES, ids=[n for n, _ in GOOD_MEMBER_FILES])
def test_every_encoding_and_format_of_the_roster_imports_identically(db, world, today, reference, name, sheet):
    summary = import_file(db, "members", GOOD / name, today=today, sheet=sheet)

    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (5, 4, 1, 0)
    assert (roster(db), history(db)) == reference


def test_the_roster_values_are_normalised_as_typed_by_people(db, world, today):
    import_file(db, "members", GOOD / "members_gbk.csv", today=today)
    by_id = {row[0]: row for row in roster(db)}
    for id_number, (name, sex, birth, join, standing, branch) in EXPECTED_MEMBERS.items():
        row = by_id[id_number]
        assert (row[1], row[2], row[4], row[5], row[6], row[-1]) == (name, sex, birth, join, standing, branch)
    wang = by_id[[i for i, e in EXPECTED_MEMBERS.items() if e[0] == "王小明"][0]]
    assert wang[8] == "13900000002" and wang[9] == 3  # 全角 digits folded
    assert (wang[10], wang[11], wang[12], wang[13]) == (True, 4, date(2015, 12, 1), False)
    assert all(row[-2] == row[5] or row[0] in (AT_B1,) for row in by_id.values())  # last contact = join date


def test_the_encoding_can_be_given_and_the_detected_one_is_reported(db, world, today):
    assert import_file(db, "members", GOOD / "members_gbk.csv", today=today, dry_run=True).encoding == "gb18030"
    assert import_file(db, "members", GOOD / "members_gbk.csv", today=today, encoding="gbk", dry_run=True).rows == 5
    assert import_file(db, "members", GOOD / "members_utf8_bom.csv", today=today, dry_run=True).encoding == "utf-8"


def test_an_org_file_may_name_a_parent_before_it_and_paths_follow_the_tree(db, world, today):
    summary = import_file(db, "orgs", GOOD / "orgs.csv", today=today)

    assert (summary.rows, summary.inserted, summary.updated, summary.unchanged) == (3, 2, 1, 0)
    with db.engine.connect() as conn:
        orgs = {o.id: o for o in conn.execute(select(Org))}
    for org in orgs.values():
        parent = orgs.get(org.parent_id)
        assert org.path == (parent.path if parent else "/") + f"{org.id}/"
        assert org.depth == (parent.depth + 1 if parent else 0)
    by_code = {o.code: o for o in orgs.values()}
    assert by_code["B4"].parent_id == by_code["GB4"].id and by_code["GB4"].parent_id == by_code["C2"].id
    assert (by_code["B4"].level, by_code["B4"].org_type) == ("branch", 4)
    assert by_code["C1"].name == "区直机关党委（更名）"


def test_contacts_are_recorded_once_and_raise_the_last_contact_date(db, world, today):
    summary = import_file(db, "contacts", GOOD / "contacts.csv", today=today)

    assert (summary.rows, summary.inserted, summary.unchanged) == (4, 3, 1)
    with db.engine.connect() as conn:
        last = dict(conn.execute(select(Member.id_number, Member.last_contact_on)).all())
        events = conn.execute(select(ContactEvent.kind, ContactEvent.source)).all()
    assert last[AT_B1] == date(2016, 4, 1) and last[AT_B2] == date(2016, 2, 1)
    assert sorted(events) == [("dues", "import"), ("dues", "import"), ("org_life", "import")]

    again = import_file(db, "contacts", GOOD / "contacts.csv", today=today)
    assert (again.inserted, again.unchanged) == (0, 4)


def test_a_dry_run_reports_what_an_import_would_do_and_writes_nothing(db, world, today):
    before = table_counts(db)
    dry = import_file(db, "members", GOOD / "members.xlsx", today=today, dry_run=True)
    assert table_counts(db) == before
    real = import_file(db, "members", GOOD / "members.xlsx", today=today)
    assert (dry.rows, dry.inserted, dry.updated, dry.unchanged) == (real.rows, real.inserted, real.updated,
                                                                     real.unchanged)
    assert dry.dry_run and not real.dry_run
    after = table_counts(db)
    assert after["members"] == before["members"] + 4 and after["import_log"] == before["import_log"] + 1


def test_progress_is_reported_as_rows_are_checked_and_once_more_at_the_end(db, world, today, tmp_path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("id_number,date,kind\n" + f"{AT_B1},2016-03-05,dues\n" * 25_000, encoding="utf-8")
    seen: list[int] = []
    summary = import_file(db, "contacts", contacts, today=today, progress=seen.append)
    assert seen == [10_000, 20_000, 25_000]
    assert (summary.inserted, summary.unchanged) == (1, 24_999)
