"""Importing a corrected roster again updates the members it names (each change in their history)
instead of duplicating them; what the file does not say is left as it was."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from lostcontact.importing import import_file
from lostcontact.services.members import add_contact
from models import Member, MemberChange

from ..builders import make_id_number

ZHANG = make_id_number(31)
LI = make_id_number(32)


def write_roster(path: Path, *rows: str, header: str = "身份证号,姓名,所在党支部代码,党员类别,入党时间,联系电话") -> Path:
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def member(db, id_number: str) -> Member:
    with db.engine.connect() as conn:
        return conn.execute(select(Member).where(Member.id_number == id_number)).one()


def changes(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(
            select(Member.id_number, MemberChange.field, MemberChange.old_value, MemberChange.new_value,
                   MemberChange.source, MemberChange.effective_on).join(Member, Member.id == MemberChange.member_id)))


def member_count(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Member))


def test_a_corrected_roster_updates_the_changed_members_and_records_each_change(db, world, today, tmp_path):
    first = write_roster(tmp_path / "roster.csv", f"{ZHANG},张三,B1,正式,2005-07-01,13800000001",
                         f"{LI},李四,B1,正式,2006-07-01,13800000002")
    import_file(db, "members", first, today=date(2016, 5, 1))
    before = member_count(db)

    corrected = write_roster(tmp_path / "roster-corrected.csv", f"{ZHANG},张三丰,B1,正式,2005-07-01,13900000001",
                             f"{LI},李四,B1,正式,2006-07-01,13800000002")
    summary = import_file(db, "members", corrected, today=today)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 1)
    assert member_count(db) == before
    assert member(db, ZHANG).name == "张三丰" and member(db, ZHANG).phone == "13900000001"
    assert changes(db) == [(ZHANG, "name", "张三", "张三丰", "import:roster-corrected.csv", today),
                           (ZHANG, "phone", "13800000001", "13900000001", "import:roster-corrected.csv", today)]


def test_importing_the_same_roster_twice_changes_nothing(db, world, today, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", f"{ZHANG},张三,B1,正式,2005-07-01,13800000001")
    import_file(db, "members", roster, today=today)
    again = import_file(db, "members", roster, today=today)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    assert changes(db) == []


def test_columns_a_reimport_lacks_are_left_as_they_were(db, world, today, tmp_path):
    import_file(db, "members", write_roster(tmp_path / "full.csv", f"{ZHANG},张三,B1,正式,2005-07-01,13800000001"),
                today=today)
    slim = write_roster(tmp_path / "slim.csv", f"{ZHANG},张三,B1,正式,2005-07-01",
                        header="身份证号,姓名,所在党支部代码,党员类别,入党时间")
    assert import_file(db, "members", slim, today=today).unchanged == 1
    assert member(db, ZHANG).phone == "13800000001"


def test_a_corrected_join_date_moves_the_last_contact_date_with_it_but_keeps_later_contacts(db, world, today, tmp_path):
    import_file(db, "members", write_roster(tmp_path / "a.csv", f"{ZHANG},张三,B1,正式,2005-07-01,",
                                            f"{LI},李四,B1,正式,2006-07-01,"), today=today)
    add_contact(db, LI, on=date(2015, 9, 1), kind="dues", actor_login="officer1", today=today)

    import_file(db, "members", write_roster(tmp_path / "b.csv", f"{ZHANG},张三,B1,正式,2004-03-01,",
                                            f"{LI},李四,B1,正式,2006-01-01,"), today=today)

    assert member(db, ZHANG).last_contact_on == date(2004, 3, 1)   # no contact: the join date
    assert member(db, LI).last_contact_on == date(2015, 9, 1)      # the contact still counts


def test_a_member_at_the_same_branch_is_updated_even_when_their_standing_changes(db, world, today, tmp_path):
    import_file(db, "members", write_roster(tmp_path / "a.csv", f"{ZHANG},张三,B1,预备,2015-07-01,2015-07-01",
                                            header="身份证号,姓名,所在党支部代码,党员类别,入党时间,预备期开始日期"),
                today=today)
    summary = import_file(db, "members", write_roster(
        tmp_path / "b.csv", f"{ZHANG},张三,B1,正式,2015-07-01,2015-07-01",
        header="身份证号,姓名,所在党支部代码,党员类别,入党时间,预备期开始日期"), today=today)
    assert summary.updated == 1
    assert ("standing", "probationary", "full") in [c[1:4] for c in changes(db)]
