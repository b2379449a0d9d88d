"""An import run as a user (`--actor`, and every import in the browser) touches only that user's subtrees:
orgs and members need an admin grant, contacts an admin or a branch officer. A row outside is refused
with the very words used for something that does not exist, so a refusal never tells what lies outside;
a real import leaves one entry in the audit log."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from lostcontact.importing import import_file
from lostcontact.importing.problems import RefusedFile
from lostcontact.importing.scope import OUTSIDE
from lostcontact.services.users import add_user
from lostcontact.uow import UnitOfWork
from models import AuditEntry, Member, Org
from statemachines.errors import Refused

from ..builders import make_id_number
from .conftest import table_counts

MEMBER_HEADER = "id_number,name,branch_code,standing,join_date\n"


@pytest.fixture
def c1_admin(db, world) -> str:
    """An admin over 区直机关党委 (C1: B1, GB1 > B2), not over C2 > B3."""
    add_user(db, "admin_c1", role="admin", org_code="C1")
    return "admin_c1"


def roster(tmp_path, *rows: str, name: str = "roster.csv"):
    path = tmp_path / name
    path.write_text(MEMBER_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def refused(db, kind, path, today, actor) -> RefusedFile:
    with pytest.raises(RefusedFile) as caught:
        import_file(db, kind, path, today=today, actor=actor)
    return caught.value


def reasons(error: RefusedFile) -> dict[tuple[int | None, str | None], tuple[str, str]]:
    return {(p.row, p.column): (p.zh, p.en) for p in error.problems}


def audit_entries(db) -> list:
    """The audit entries of imports (building the world adds those of its users)."""
    a = AuditEntry
    with UnitOfWork(db, write=False) as uow:
        return uow.session.execute(select(a.actor, a.action, a.target_kind, a.target, a.org_id, a.detail)
                                   .where(a.target_kind == "import").order_by(a.id)).all()


def test_an_admin_imports_members_of_the_branches_in_their_subtree_and_the_audit_log_says_so(db, c1_admin, today,
                                                                                           tmp_path):
    path = roster(tmp_path, f"{make_id_number(31)},甲,B1,正式,2005-07-01", f"{make_id_number(32)},乙,B2,正式,2006-07-01")

    summary = import_file(db, "members", path, today=today, actor=c1_admin)

    assert (summary.inserted, summary.updated, summary.log_id is not None) == (2, 0, True)
    [entry] = audit_entries(db)
    with UnitOfWork(db, write=False) as uow:
        c1 = uow.session.scalar(select(Org.id).where(Org.code == "C1"))
    assert (entry.actor, entry.action, entry.target_kind, entry.target, entry.org_id) == \
        ("admin_c1", "import.members", "import", "roster.csv", c1)
    assert json.loads(entry.detail) == {"file": "roster.csv", "rows": 2, "inserted": 2,
                                        "updated": 0, "unchanged": 0, "import_log": summary.log_id}


def test_a_dry_run_leaves_no_audit_entry(db, c1_admin, today, tmp_path):
    import_file(db, "members", roster(tmp_path, f"{make_id_number(31)},甲,B1,正式,2005-07-01"), today=today,
                actor=c1_admin, dry_run=True)
    assert audit_entries(db) == []


def test_a_member_of_a_branch_outside_reads_exactly_like_a_branch_that_does_not_exist(db, c1_admin, today, tmp_path):
    before = table_counts(db)
    path = roster(tmp_path, f"{make_id_number(31)},甲,B3,正式,2005-07-01", f"{make_id_number(32)},乙,B9,正式,2005-07-01",
                  f"{make_id_number(33)},丙,C1,正式,2005-07-01")

    error = refused(db, "members", path, today, c1_admin)

    found = reasons(error)
    assert found[(2, "branch_code")] == found[(3, "branch_code")] == OUTSIDE
    assert "不是党支部" in found[(4, "branch_code")][0]   # inside the subtree the usual reasons hold
    assert table_counts(db) == before


def test_a_member_recorded_outside_cannot_be_added_and_the_refusal_does_not_say_where(db, c1_admin, world, today,
                                                                                   tmp_path):
    outside_member = world.add_member("钱十", branch="B3", serial=40)
    error = refused(db, "members", roster(tmp_path, f"{outside_member},钱十,B1,正式,2005-07-01"), today, c1_admin)
    assert reasons(error) == {(2, "id_number"): OUTSIDE}
    assert not any("B3" in zh or "B3" in en for zh, en in error.details)


def test_a_row_bad_for_its_branch_has_one_reason_whether_its_member_exists_outside_or_not(db, c1_admin, world,
                                                                                       today, tmp_path):
    outside_member = world.add_member("钱十", branch="B3", serial=40)
    error = refused(db, "members", roster(tmp_path, f"{outside_member},钱十,B9,正式,2005-07-01",
                                          f"{make_id_number(41)},孙十一,B9,正式,2005-07-01"), today, c1_admin)
    assert reasons(error) == {(2, "branch_code"): OUTSIDE, (3, "branch_code"): OUTSIDE}


def test_the_local_operator_still_sees_why_a_member_cannot_be_added(db, world, today, tmp_path):
    outside_member = world.add_member("钱十", branch="B3", serial=40)
    error = refused(db, "members", roster(tmp_path, f"{outside_member},钱十,B1,正式,2005-07-01"), today, None)
    assert "another branch (B3)" in reasons(error)[(2, "id_number")][1]


ORG_HEADER = "code,name,parent_code,level\n"


def orgs_file(tmp_path, *rows: str):
    path = tmp_path / "orgs.csv"
    path.write_text(ORG_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_an_admin_adds_and_renames_orgs_inside_the_subtree_and_keeps_the_top_org_where_it_is(db, c1_admin, today,
                                                                                           tmp_path):
    path = orgs_file(tmp_path, "C1,区直机关党委（新名）,410402,基层党委", "B7,第七党支部,GB1,党支部")

    summary = import_file(db, "orgs", path, today=today, actor=c1_admin)

    assert (summary.inserted, summary.updated) == (1, 1)
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.scalar(select(Org.name).where(Org.code == "C1")) == "区直机关党委（新名）"


def test_orgs_outside_the_subtree_are_refused_like_unknown_ones(db, c1_admin, today, tmp_path):
    before = table_counts(db)
    path = orgs_file(tmp_path,
                     "B8,第八党支部,C2,党支部",          # 2: under an org outside
                     "B9,第九党支部,C9,党支部",          # 3: under an org that does not exist
                     "B3,社区党支部（改名）,C2,党支部",    # 4: renaming an org outside, under its own parent
                     "R1,新的根组织,,省",                # 5: a new root
                     "410400,平顶山市,,市",              # 6: an org outside, without a parent
                     "410402,新华区委组织部,GB1,县")        # 7: an org outside, under a parent inside

    error = refused(db, "orgs", path, today, c1_admin)

    # one reason a row, the same whether the org exists or not (rows 2 and 3, 4 and 2, 5 and 6)
    assert reasons(error) == {(2, "parent_code"): OUTSIDE, (3, "parent_code"): OUTSIDE, (4, "parent_code"): OUTSIDE,
                              (5, "parent_code"): OUTSIDE, (6, "parent_code"): OUTSIDE, (7, "code"): OUTSIDE}
    assert table_counts(db) == before


def test_moving_the_top_org_elsewhere_does_not_name_its_parent(db, c1_admin, today, tmp_path):
    error = refused(db, "orgs", orgs_file(tmp_path, "C1,区直机关党委,GB1,基层党委"), today, c1_admin)
    lines = "\n".join(error.lines())
    assert "导入不能移动组织" in lines and "410402" not in lines


def contacts_file(tmp_path, *rows: str):
    path = tmp_path / "contacts.csv"
    path.write_text("身份证号,日期,类型\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_branch_officer_imports_contacts_of_their_own_members_only(db, world, today, tmp_path):
    at_b1, at_b2 = world.members["赵六"], world.members["王五"]
    summary = import_file(db, "contacts", contacts_file(tmp_path, f"{at_b1},2016-03-05,党费"), today=today,
                          actor="officer1")
    assert summary.inserted == 1

    error = refused(db, "contacts", contacts_file(tmp_path, f"{at_b2},2016-03-05,党费",
                                                  f"{make_id_number(77)},2016-03-05,党费"), today, "officer1")
    found = reasons(error)
    assert found[(2, "id_number")] == found[(3, "id_number")] == OUTSIDE


@pytest.mark.parametrize("login, kind", [("officer1", "members"), ("officer1", "orgs"), ("reviewer1", "contacts"),
                                         ("supervisor1", "members")])
def test_a_user_without_the_role_may_not_import_and_the_file_is_not_read(db, world, today, tmp_path, login, kind):
    before = table_counts(db)
    with pytest.raises(Refused) as caught:
        import_file(db, kind, tmp_path / "not-even-there.csv", today=today, actor=login)
    assert re.search(r"须由.*执行", caught.value.zh) and login in caught.value.en
    assert table_counts(db) == before


def test_an_import_by_the_local_operator_is_in_the_audit_log_too(db, world, today, tmp_path):
    import_file(db, "members", roster(tmp_path, f"{make_id_number(31)},甲,B3,正式,2005-07-01"), today=today)
    [entry] = audit_entries(db)
    assert (entry.actor, entry.action, entry.org_id) == ("operator", "import.members", None)
    with UnitOfWork(db, write=False) as uow:
        assert uow.session.scalar(select(Member.name).where(Member.id_number == make_id_number(31))) == "甲"
