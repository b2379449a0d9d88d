"""佐证材料: attach a file to a case, one of its search-log entries or one of its steps.

    attach(db, case_id, stream, "会议记录.pdf", actor_login="officer1", today=day)  -> the attachment's id

The order makes a crash harmless: every check that needs the database runs first (nothing read yet); the
upload is then read and checked into a temporary file; the bytes are stored under a fresh random key; and
only then is the row written, in one unit of work that repeats the checks. A crash or a refusal after the
bytes are stored leaves at most an unreferenced object, never a row without its file.

Append-only: `replaces` adds a new row naming the old one in `supersedes_id`; the old file stays.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Case, CaseEvent, Org, SearchEntry
from models.db import Database
from models.evidence import Attachment
from statemachines.errors import BadInput, Conflict, Refused, UsageError
from statemachines.texts import MAX_NOTE

from ..permissions import Actor, grant_for, load_actor_and_chain, may_see_org
from ..policies import policy_as_of
from ..storage import Storage, new_key, storage_for
from ..uow import UnitOfWork
from .attachment_files import checked_name, receive
from .case_lookup import unknown_case as _unknown_case

# who may attach: whoever may act on the case's branch (DOMAIN §6.1), as for a search-log entry or a step
ATTACH_ROLES = ("branch_officer", "committee_reviewer", "upper_reviewer")
ACTION = "上传佐证材料"

_cases, _orgs, _attachments = Case.__table__, Org.__table__, Attachment.__table__
_CASE_AND_BRANCH = (select(_cases.c.id, _cases.c.opened_on, _orgs.c.path.label("branch_path"))
                    .join(_orgs, _orgs.c.id == _cases.c.branch_id).where(_cases.c.id == bindparam("case_id")))
_INSERT = insert(_attachments)


@dataclass(frozen=True)
class VisibleCase:
    id: int
    opened_on: date
    branch_path: str


def visible_case(session: Session, actor: Actor, case_id: int) -> VisibleCase:
    """The case if the actor's subtrees hold it; otherwise exactly the error of a case that does not exist."""
    row = session.connection().execute(_CASE_AND_BRANCH, {"case_id": case_id}).first()
    if row is None or not may_see_org(actor, row.branch_path):
        raise _unknown_case(case_id)
    return VisibleCase(row.id, row.opened_on, row.branch_path)


def unknown_attachment(attachment_id: int) -> BadInput:
    return BadInput(f"该案件没有编号为 {attachment_id} 的佐证材料", f"the case has no attachment {attachment_id}")


@dataclass(frozen=True)
class _Plan:
    case_id: int
    role: str
    day: date
    max_bytes: int
    search_entry_id: int | None
    step_seq: int | None


def _plan(s: Session, case_id: int, *, actor_login: str, today: date, at: date | None, search_entry_id: int | None,
          step_seq: int | None, replaces: int | None) -> _Plan:
    """Every check that needs the database, in the order a user should hear about them."""
    case = s.connection().execute(_CASE_AND_BRANCH, {"case_id": case_id}).first()
    if case is None:
        raise _unknown_case(case_id)
    actor, chain = load_actor_and_chain(s, actor_login, case.branch_path)
    if not may_see_org(actor, case.branch_path):
        raise _unknown_case(case_id)  # outside the actor's subtrees: answered as if it did not exist
    grant = grant_for(actor, ATTACH_ROLES, chain, ACTION)
    day = at or today
    if day > today:
        raise Refused(f"材料日期 {day} 在未来（今天是 {today}）", f"the date {day} is in the future (today is {today})")
    if day < case.opened_on:
        raise Refused(f"材料日期 {day} 早于立案日期 {case.opened_on}",
                      f"the date {day} is before the case was opened ({case.opened_on})")
    if replaces is not None:
        old = s.execute(select(Attachment.case_id, Attachment.search_entry_id, Attachment.step_seq)
                        .where(Attachment.id == replaces)).first()
        if old is None or old.case_id != case.id:
            raise unknown_attachment(replaces)
        if s.scalar(select(exists().where(Attachment.supersedes_id == replaces))):
            raise Refused(f"佐证材料 {replaces} 已被替换，只能替换它的最新版本",
                          f"attachment {replaces} was already replaced: replace its newest version")
        if search_entry_id is None and step_seq is None:  # a new version documents what the old one did
            search_entry_id, step_seq = old.search_entry_id, old.step_seq
    if search_entry_id is not None and s.scalar(select(SearchEntry.case_id).where(
            SearchEntry.id == search_entry_id)) != case.id:
        raise BadInput(f"该案件没有编号为 {search_entry_id} 的查找记录",
                       f"the case has no search-log entry {search_entry_id}")
    if step_seq is not None and not s.scalar(select(exists().where(
            CaseEvent.case_id == case.id, CaseEvent.seq == step_seq))):
        raise BadInput(f"该案件没有第 {step_seq} 条办理记录", f"the case has no history record {step_seq}")
    policy = policy_as_of(s, today)  # the cap in force when the file arrives
    return _Plan(case.id, grant.role, day, policy.attachment_max_bytes, search_entry_id, step_seq)


def attach(db: Database, case_id: int, stream: BinaryIO, file_name: str, *, actor_login: str, today: date,
           note: str | None = None, search_entry_id: int | None = None, step_seq: int | None = None,
           replaces: int | None = None, at: date | None = None, claimed_type: str | None = None,
           storage: Storage | None = None) -> int:
    """Store `stream` as evidence of case `case_id` (or of one of its search-log entries or steps) and return
    the new attachment's id. `claimed_type` is what the uploader said the file is (a browser's Content-Type);
    it is checked, never trusted. Every refusal stores nothing."""
    name, promised = checked_name(file_name)
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise UsageError(f"说明不能超过 {MAX_NOTE} 个字符", f"the note is longer than {MAX_NOTE} characters")
    if search_entry_id is not None and step_seq is not None:
        raise UsageError("一份材料只能对应一条查找记录或一个办理环节，不能同时对应两者",
                         "an attachment documents a search-log entry or a step, not both")
    checks = dict(actor_login=actor_login, today=today, at=at, search_entry_id=search_entry_id, step_seq=step_seq,
                  replaces=replaces)
    with UnitOfWork(db, write=False) as uow:
        plan = _plan(uow.session, case_id, **checks)
    store = storage or storage_for(db)
    received = receive(stream, name=name, promised=promised, claimed=claimed_type, max_bytes=plan.max_bytes)
    key = new_key()
    try:
        store.put(key, received.file)
    finally:
        received.close()
    with UnitOfWork(db) as uow:
        plan = _plan(uow.session, case_id, **checks)  # again, in the transaction that writes the row
        try:
            result = uow.session.connection().execute(_INSERT, dict(
                case_id=plan.case_id, search_entry_id=plan.search_entry_id, step_seq=plan.step_seq,
                supersedes_id=replaces, file_name=name, content_type=received.content_type, size=received.size,
                sha256=received.sha256, storage_key=key, note=note, actor=actor_login, role=plan.role,
                effective_on=plan.day))
            uow.commit()
        except IntegrityError:  # two people replaced the same file at once: the first one stands
            raise Conflict(f"佐证材料 {replaces} 刚被他人替换，请刷新后重试",
                           f"attachment {replaces} was just replaced by someone else: reload and retry") from None
        return result.inserted_primary_key[0]
