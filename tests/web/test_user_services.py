"""The user administration services and the audit log on both engines: create, grant, revoke, disable,
enable, end sessions; an admin's reach is exactly their subtree, and every change leaves one audit entry
(who, what, where from, filed under an org) that only admins over that org read."""
from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from lostcontact.queries.audit import audit_page
from lostcontact.queries.users import every_user, search_users, user_detail
from lostcontact.services import auth, sessions, users
from lostcontact.services.audit import Origin
from lostcontact.uow import UnitOfWork
from models import AuditEntry, Grant, User
from statemachines.errors import BadInput, Conflict, Refused
from tests.builders import build_world

NOW = datetime(2016, 6, 20, 9, 0, tzinfo=timezone.utc)
FROM_OFFICE = Origin("10.0.0.7")
TZ = "Asia/Shanghai"


@pytest.fixture
def world(db):
    world = build_world(db)
    users.add_user(db, "c2admin", role="admin", org_code="C2")
    return world


def _id(db, login):
    with UnitOfWork(db, write=False) as uow:
        return uow.session.scalar(select(User.id).where(User.login == login))


def _entries(db, action=None):
    with UnitOfWork(db, write=False) as uow:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        entries = uow.session.scalars(query).all()
        uow.session.expunge_all()
        return entries


def test_an_admin_creates_a_user_with_a_first_grant_and_the_audit_log_says_who_from_where(world):
    user_id = users.create_user(world.db, "zhangwei", role="branch_officer", org="第一党支部", name="张伟",
                                password_hash=auth.hash_password("initial-secret"), actor_login="admin1",
                                origin=FROM_OFFICE, now=NOW)
    assert auth.authenticate(world.db, "zhangwei", "initial-secret", now=NOW).roles == {"branch_officer"}
    created, granted = _entries(world.db, "user.create")[-1], _entries(world.db, "grant.add")[-1]
    assert (created.actor, created.target, created.remote_addr) == ("admin1", "zhangwei", "10.0.0.7")
    assert json.loads(granted.detail) == {"role": "branch_officer", "org": "B1"}
    assert "secret" not in created.detail and "argon2" not in created.detail
    assert user_detail(world.db, "admin1", user_id, now=NOW).user.name == "张伟"


def test_a_login_in_use_or_malformed_is_refused_and_nothing_is_added(world):
    before = len(_entries(world.db))
    with pytest.raises(Conflict, match="taken"):
        users.create_user(world.db, "officer1", role="branch_officer", org="B1", actor_login="admin1", now=NOW)
    with pytest.raises(Exception, match="no spaces"):
        users.create_user(world.db, "two words", role="branch_officer", org="B1", actor_login="admin1", now=NOW)
    assert len(_entries(world.db)) == before


def test_a_role_is_granted_only_at_the_levels_it_belongs_to_in_chinese(world):
    with pytest.raises(Refused) as refused:
        users.grant_role(world.db, login="officer1", role="branch_officer", org="C1", actor_login="admin1", now=NOW)
    assert "党支部书记/组织委员" in refused.value.zh and "区直机关党委" in refused.value.zh
    assert "branch_officer" not in refused.value.zh


def test_granting_twice_adds_one_grant_and_one_entry(world):
    before = len(_entries(world.db, "grant.add"))
    assert users.grant_role(world.db, login="officer1", role="supervisor", org="C1", actor_login="admin1", now=NOW)
    assert not users.grant_role(world.db, login="officer1", role="supervisor", org="C1", actor_login="admin1",
                                now=NOW)
    with UnitOfWork(world.db, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Grant).where(
            Grant.user_id == _id(world.db, "officer1"), Grant.role == "supervisor")) == 1
    added = _entries(world.db, "grant.add")[before:]
    assert [(e.actor, e.target, json.loads(e.detail)) for e in added] == \
        [("admin1", "officer1", {"role": "supervisor", "org": "C1"})]


def test_two_admins_adding_the_same_grant_at_once_both_succeed_with_one_row(world):
    barrier, results, errors = threading.Barrier(2), [], []

    def add():
        barrier.wait()
        try:
            results.append(users.grant_role(world.db, login="officer2", role="supervisor", org="GB1",
                                            actor_login="admin1", now=NOW))
        except Exception as exc:  # a duplicate key would land here
            errors.append(exc)
    threads = [threading.Thread(target=add) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [e for e in errors if isinstance(e, Conflict)]  # SQLite: the second writer may find it busy
    assert not [e for e in errors if not isinstance(e, Conflict)]
    assert results.count(True) == 1 and len(results) + len(conflicts) == 2
    with UnitOfWork(world.db, write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Grant).where(
            Grant.user_id == _id(world.db, "officer2"), Grant.role == "supervisor")) == 1


def test_a_grant_is_revoked_but_never_the_last_one(world):
    users.grant_role(world.db, login="officer1", role="supervisor", org="C1", actor_login="admin1", now=NOW)
    assert users.revoke_grant(world.db, login="officer1", role="supervisor", org="C1", actor_login="admin1",
                              origin=FROM_OFFICE, now=NOW) == ("officer1", "supervisor", "C1")
    with pytest.raises(Refused, match="disable the account instead"):
        users.revoke_grant(world.db, login="officer1", role="branch_officer", org="B1", actor_login="admin1", now=NOW)
    revoked = _entries(world.db, "grant.revoke")
    assert len(revoked) == 1 and revoked[0].remote_addr == "10.0.0.7"


def test_disabling_ends_every_session_and_refuses_logins_until_enabled(world):
    auth.set_password(world.db, "officer3", "officer3-secret", now=NOW)
    account = auth.authenticate(world.db, "officer3", "officer3-secret", now=NOW)
    page = sessions.start(world.db, account.id, kind=sessions.PAGE, now=NOW, lifetime=timedelta(hours=8))
    token = sessions.start(world.db, account.id, kind=sessions.API, now=NOW, lifetime=timedelta(hours=8))
    users.set_disabled(world.db, True, login="officer3", actor_login="c2admin", origin=FROM_OFFICE, now=NOW)
    assert sessions.resume(world.db, page, kind=sessions.PAGE, now=NOW) is None
    assert sessions.resume(world.db, token, kind=sessions.API, now=NOW) is None
    with pytest.raises(Refused, match="disabled"):
        auth.authenticate(world.db, "officer3", "officer3-secret", now=NOW)
    with pytest.raises(Refused, match="wrong login or password"):  # a wrong password learns nothing more
        auth.authenticate(world.db, "officer3", "a-wrong-guess", now=NOW)
    users.set_disabled(world.db, False, login="officer3", actor_login="c2admin", now=NOW)
    assert auth.authenticate(world.db, "officer3", "officer3-secret", now=NOW).login == "officer3"
    assert [e.action for e in _entries(world.db) if e.action.startswith("user.")][-2:] == ["user.disable",
                                                                                           "user.enable"]
    assert json.loads(_entries(world.db, "user.disable")[0].detail) == {"sessions_ended": 2}


def test_an_admin_cannot_disable_themselves(world):
    with pytest.raises(Refused, match="own account"):
        users.set_disabled(world.db, True, login="admin1", actor_login="admin1", now=NOW)


def test_a_user_outside_the_admins_subtree_is_answered_as_an_unknown_one(world):
    for change in (lambda login: users.set_disabled(world.db, True, login=login, actor_login="c2admin", now=NOW),
                   lambda login: users.grant_role(world.db, login=login, role="supervisor", org="C2",
                                                  actor_login="c2admin", now=NOW),
                   lambda login: users.end_sessions(world.db, login=login, actor_login="c2admin", now=NOW)):
        with pytest.raises(BadInput) as outside:
            change("officer1")
        with pytest.raises(BadInput) as unknown:
            change("nobody")
        assert outside.value.zh.replace("officer1", "X") == unknown.value.zh.replace("nobody", "X")
    with pytest.raises(BadInput) as outside:
        user_detail(world.db, "c2admin", _id(world.db, "officer1"), now=NOW)
    with pytest.raises(BadInput) as unknown:
        user_detail(world.db, "c2admin", 99999, now=NOW)
    assert outside.value.zh.split()[0] == unknown.value.zh.split()[0] == "未知用户编号"


def test_an_admin_grants_only_at_orgs_in_their_subtree_answered_as_unknown_orgs(world):
    with pytest.raises(BadInput) as outside:
        users.grant_role(world.db, login="officer3", role="supervisor", org="C1", actor_login="c2admin", now=NOW)
    with pytest.raises(BadInput) as unknown:
        users.grant_role(world.db, login="officer3", role="supervisor", org="X9", actor_login="c2admin", now=NOW)
    assert outside.value.zh == "未知组织 C1" and unknown.value.zh == "未知组织 X9"


def test_a_user_gaining_a_grant_outside_the_subtree_leaves_the_admins_reach(world):
    users.grant_role(world.db, login="officer3", role="supervisor", org="C1", actor_login="admin1", now=NOW)
    assert "officer3" not in [u.login for u in search_users(world.db, "c2admin", now=NOW).rows]
    with pytest.raises(BadInput, match="unknown user officer3"):
        users.set_disabled(world.db, True, login="officer3", actor_login="c2admin", now=NOW)


def test_hundreds_of_accounts_are_searched_by_login_or_name_a_page_at_a_time(world):
    for n in range(65):
        users.create_user(world.db, f"clerk{n:03d}", role="branch_officer", org="B3", name=f"职员{n:03d}",
                          actor_login="c2admin", now=NOW)
    first = search_users(world.db, "c2admin", query="clerk", now=NOW)
    assert (first.total, first.pages, len(first.rows)) == (65, 3, 30)
    last = search_users(world.db, "c2admin", query="clerk", page=3, now=NOW)
    assert [u.login for u in last.rows] == [f"clerk{n:03d}" for n in range(60, 65)]
    assert [u.login for u in search_users(world.db, "c2admin", query="职员06", now=NOW).rows] == \
        [f"clerk06{n}" for n in range(5)]
    assert search_users(world.db, "c2admin", query="%", now=NOW).total == 0  # a wildcard is a character
    assert search_users(world.db, "admin1", query="clerk", page=99, now=NOW).page == 3


def test_users_list_reads_every_page_of_the_accounts_an_admin_manages(world):
    for n in range(7):
        users.create_user(world.db, f"clerk{n:03d}", role="branch_officer", org="B3", actor_login="c2admin", now=NOW)
    clerks = every_user(world.db, "c2admin", query="clerk", now=NOW, page_size=3)
    assert [u.login for u in clerks] == [f"clerk{n:03d}" for n in range(7)]
    everyone = {u.login for u in every_user(world.db, None, now=NOW, page_size=4)}
    managed = {u.login for u in every_user(world.db, "c2admin", now=NOW, page_size=4)}
    assert managed < everyone and "officer1" in everyone - managed


def test_users_list_of_an_org_holds_the_users_with_a_grant_in_its_subtree_and_within_the_admins_reach(world):
    in_c2 = {u.login for u in every_user(world.db, None, org="C2", now=NOW, page_size=2)}
    assert "officer3" in in_c2 and "c2admin" in in_c2 and "officer1" not in in_c2
    assert {u.login for u in every_user(world.db, "c2admin", org="C2", now=NOW)} <= in_c2
    with pytest.raises(BadInput, match="unknown org C1"):
        every_user(world.db, "c2admin", org="C1", now=NOW)


def test_the_audit_log_shows_an_admin_only_the_entries_of_their_subtree_newest_first(world):
    users.set_disabled(world.db, True, login="officer1", actor_login="admin1", origin=FROM_OFFICE, now=NOW)
    users.set_disabled(world.db, True, login="officer3", actor_login="c2admin", origin=FROM_OFFICE,
                       now=NOW + timedelta(minutes=5))
    mine = audit_page(world.db, "c2admin", tz=TZ, action="user.disable")
    assert [(r.action_label, r.target) for r in mine.rows] == [("停用账户", "officer3（未填姓名）")]
    everything = audit_page(world.db, "admin1", tz=TZ, action="user.disable")
    assert [r.target for r in everything.rows] == ["officer3（未填姓名）", "officer1（未填姓名）"]
    assert everything.rows[0].origin == "10.0.0.7" and everything.rows[0].org_name == "社区党支部"
    assert everything.rows[0].recorded_at.strftime("%H:%M") == "17:05"  # Beijing time
    with pytest.raises(Refused):
        audit_page(world.db, "supervisor1", tz=TZ)


def test_the_audit_log_is_filtered_by_actor_name_and_by_day_in_the_local_zone(world):
    with UnitOfWork(world.db) as uow:
        uow.session.get(User, _id(world.db, "c2admin")).name = "王管理"
        uow.commit()
    users.set_disabled(world.db, True, login="officer3", actor_login="c2admin", now=NOW)
    users.set_disabled(world.db, False, login="officer3", actor_login="c2admin", now=NOW + timedelta(days=1))
    users.set_disabled(world.db, True, login="officer1", actor_login="admin1", now=NOW)
    by_name = audit_page(world.db, "admin1", tz=TZ, who="王管理")
    assert {r.actor for r in by_name.rows} == {"王管理（c2admin）"} and by_name.total == 2
    one_day = audit_page(world.db, "admin1", tz=TZ, since=date(2016, 6, 21), until=date(2016, 6, 21))
    assert [r.action_label for r in one_day.rows] == ["启用账户"]
    assert audit_page(world.db, "admin1", tz=TZ, who="operator").rows[0].actor == "本机操作员（命令行）"
