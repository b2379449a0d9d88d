"""Moving a member to another branch of the tree (`member transfer`, INTERFACE.md): an admin, or a committee
reviewer whose grant covers both branches; never while the member has an open case. The move goes into the
member's history (member_changes, field `branch_code`) and later cases open at the new branch.

What lies outside the actor's subtrees is never told: a member there answers as an unknown ID number, a
branch there as an unknown branch code (the same words as a code that names nothing).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import bindparam, func, insert, select, update

from models import Member, MemberChange, Org
from models.db import Database
from statemachines.errors import BadInput, Conflict, Refused
from statemachines.lifecycle import OPEN_STATES
from statemachines.membership import membership_status

from ..permissions import Actor, GrantRef, may_see_org
from ..uow import UnitOfWork
from .cases import STATUS_LABELS
from .dates import effective_on
from .members import latest_case, member_in_scope

TRANSFERRERS = ("admin", "committee_reviewer")
BRANCH_FIELD = "branch_code"  # how the member's history names the move (the import file's column)

_members, _changes, _orgs = Member.__table__, MemberChange.__table__, Org.__table__
# Optimistic: the row moves only from the branch it was read at. On PostgreSQL the UPDATE also takes the
# member row's lock, which a hand-opened case takes too (services.cases.open_case): the two serialise.
_MOVE_IF_STILL_AT = (update(_members)
                     .where(_members.c.id == bindparam("member_id"), _members.c.branch_id == bindparam("from_id"))
                     .values(branch_id=bindparam("to_id"), updated_at=bindparam("now")))
_LAST_MOVE = select(func.max(_changes.c.effective_on)).where(_changes.c.member_id == bindparam("member_id"),
                                                            _changes.c.field == BRANCH_FIELD)
_MOVED_MEANWHILE = Conflict("该党员的组织关系刚被他人修改，请刷新后重试",
                            "the member was just moved by someone else: reload and retry")


@dataclass(frozen=True)
class Transfer:
    member_name: str
    from_code: str
    to_code: str
    on: date


def unknown_branch(code: str) -> BadInput:
    """The one answer for a code that names no branch the actor can see (nothing, or outside their subtrees)."""
    return BadInput(f"未知党支部代码 {code}，或不在您的管理范围内", f"unknown branch code {code}, or outside your subtrees")


def may_transfer(actor: Actor, from_path: str, to_path: str | None = None) -> GrantRef | None:
    """The actor's grant that covers the member's branch (and the destination, when given) for a transfer."""
    for grant in actor.grants:
        if grant.role in TRANSFERRERS and from_path.startswith(grant.org_path) and (
                to_path is None or to_path.startswith(grant.org_path)):
            return grant
    return None


def transfer_member(db: Database, id_number: str, *, to_branch: str, actor_login: str, today: date,
                    at: date | None = None, expected_branch: str | None = None,
                    now: datetime | None = None) -> Transfer:
    """Move the member to branch `to_branch` on `at` (default today). `expected_branch` is the branch a form
    was drawn from: a member moved since is a conflict, not a second move."""
    with UnitOfWork(db) as uow:
        s = uow.session
        member, actor, chain = member_in_scope(s, id_number, actor_login)  # outside my subtrees: unknown
        source = chain.branch
        if actor.is_operator:
            raise Refused("转接组织关系需要指定办理用户", "member transfer needs the user who does it", "--actor")
        target = s.execute(select(_orgs.c.id, _orgs.c.code, _orgs.c.name, _orgs.c.level, _orgs.c.path)
                           .where(_orgs.c.code == to_branch)).first()
        if target is None or not may_see_org(actor, target.path):
            raise unknown_branch(to_branch)
        if target.level != "branch":
            raise BadInput(f"组织 {target.code} 不是党支部，党员只能转入党支部",
                           f"org {target.code} is not a branch: members belong to branches")
        if expected_branch is not None and expected_branch != source.code:
            raise _MOVED_MEANWHILE
        if target.id == source.id:
            raise Refused(f"该党员已在党支部 {source.name}（{source.code}）", f"the member is already at branch {source.code}")
        if may_transfer(actor, source.path, target.path) is None:
            raise Refused(f"转接组织关系须由管理员或同时管辖两个党支部的党委审核人办理，{actor.person()}不能将该党员"
                          f"从 {source.code} 转至 {target.code}",
                          f"a transfer needs an admin or a committee reviewer over both branches; {actor.login} "
                          f"cannot move this member from {source.code} to {target.code}")
        day = effective_on(at, today)
        moment = now or datetime.now(timezone.utc)
        conn = s.connection()
        moved = conn.execute(_MOVE_IF_STILL_AT, {"member_id": member.id, "from_id": source.id, "to_id": target.id,
                                                 "now": moment}).rowcount
        if moved != 1:
            raise _MOVED_MEANWHILE
        # Read after the row lock: a case opened by hand meanwhile has committed by now and is seen here.
        current = latest_case(s, member.id)
        if current is not None and current.state in OPEN_STATES:
            raise Refused(f"该党员有未办结案件 {current.id}，办结前不能转接组织关系",
                          f"the member has an open case ({current.id}): no transfer until it is closed")
        status = membership_status(current.state, current.disposition) if current else "active"
        if status != "active":
            raise Refused(f"该党员{STATUS_LABELS[status]}，不能转接组织关系", f"the member is {status}: no transfer")
        # not back-dated into a case's time at the old branch, nor before the member joined or last moved
        not_before = max(d for d in (member.join_date, current and current.last_event_on,
                                     s.scalar(_LAST_MOVE, {"member_id": member.id})) if d)
        if day < not_before:
            raise Refused(f"转接日期 {day} 早于该党员的入党时间、上一次转接或最近一个案件的最后记录（{not_before}）",
                          f"the day {day} is before the member's join date, previous transfer or latest case "
                          f"event ({not_before})", "--at")
        conn.execute(insert(_changes).values(
            member_id=member.id, field=BRANCH_FIELD, old_value=source.code, new_value=target.code,
            source=f"transfer:{actor.login}"[: _changes.c.source.type.length], effective_on=day, recorded_at=moment))
        uow.commit()
        return Transfer(member.name, source.code, target.code, day)
