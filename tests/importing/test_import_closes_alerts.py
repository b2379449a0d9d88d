"""Contacts that come in through an import close the warnings they end in the import's own transaction, as
a contact recorded by hand does: the five-month warning (R2) and the 失控 entry (R3), each on the day of the
member's latest contact in the file; a roster re-import that reports a mobile member closes their R3 on the
import's day. Nothing else closes; a dry run or a refused file closes nothing. The command line and the
browser import both go through `import_file`."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.importing import import_file
from statemachines.errors import BadInput
from tests.builders import build_world
from tests.workflows.helpers import alert_rows, sweep


def contacts_file(tmp_path, *rows: tuple[str, str, str]):
    path = tmp_path / "contacts.csv"
    path.write_text("id_number,date,kind\n" + "".join(f"{i},{d},{k}\n" for i, d, k in rows), encoding="utf-8")
    return path


def closed_days(db, rule):
    return {a["subject_id"]: a["closed_on"] for a in alert_rows(db, rule=rule)}


@pytest.fixture
def warned(db):
    """Three members warned by the sweep of 1 March 2016: 甲 and 乙 five months without contact (R2), 丙 a
    mobile member away unreported (R3)."""
    world = build_world(db)
    members = {"甲": world.add_member("甲", last_contact=date(2015, 9, 30)),
               "乙": world.add_member("乙", branch="B3", last_contact=date(2015, 9, 30)),
               "丙": world.add_member("丙", last_contact=date(2016, 1, 10), mobile=True,
                                      away_since=date(2016, 1, 11))}
    sweep(db, date(2016, 3, 1))
    assert list(closed_days(db, "R2").values()) == [None, None]
    assert list(closed_days(db, "R3").values()) == [None]
    return members


def test_imported_contacts_close_the_warnings_they_end_on_the_latest_contacts_day(db, warned, tmp_path):
    file = contacts_file(tmp_path, (warned["甲"], "2016-03-02", "dues"), (warned["甲"], "2016-03-04", "other"),
                         (warned["丙"], "2016-03-03", "org_life"))

    import_file(db, "contacts", file, today=date(2016, 3, 7))

    assert sorted(closed_days(db, "R2").values(), key=str) == [date(2016, 3, 4), None]  # 乙 had no contact
    assert list(closed_days(db, "R3").values()) == [date(2016, 3, 3)]
    before = alert_rows(db)
    assert sweep(db, date(2016, 3, 7)).counts.get("closed", 0) == 0  # the sweep finds nothing left to close
    assert alert_rows(db) == before


def test_an_imported_contact_older_than_the_last_one_closes_nothing(db, warned, tmp_path):
    import_file(db, "contacts", contacts_file(tmp_path, (warned["甲"], "2015-06-01", "dues")), today=date(2016, 3, 7))
    assert list(closed_days(db, "R2").values()) == [None, None]


def test_a_dry_run_closes_nothing(db, warned, tmp_path):
    import_file(db, "contacts", contacts_file(tmp_path, (warned["甲"], "2016-03-02", "dues")),
                today=date(2016, 3, 7), dry_run=True)
    assert list(closed_days(db, "R2").values()) == [None, None]


def test_a_refused_file_closes_nothing(db, warned, tmp_path):
    file = contacts_file(tmp_path, (warned["甲"], "2016-03-02", "dues"), (warned["乙"], "2016-03-09", "dues"))
    with pytest.raises(BadInput):  # 9 March is after the import's day
        import_file(db, "contacts", file, today=date(2016, 3, 7))
    assert list(closed_days(db, "R2").values()) == [None, None]


def test_a_roster_that_reports_a_mobile_member_takes_them_off_the_out_of_control_list(db, warned, tmp_path):
    roster = tmp_path / "members.csv"
    roster.write_text("id_number,name,join_date,standing,branch_code,mobile,away_since,reported\n"
                      f"{warned['丙']},丙,2005-07-01,正式,B1,是,2016-01-11,是\n"
                      f"{warned['甲']},甲,2005-07-01,正式,B1,否,,否\n", encoding="utf-8")

    import_file(db, "members", roster, today=date(2016, 3, 7))

    assert list(closed_days(db, "R3").values()) == [date(2016, 3, 7)]
    assert list(closed_days(db, "R2").values()) == [None, None]  # 甲's roster row ends no warning
