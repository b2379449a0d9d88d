"""One case by its number, or the bilingual "unknown case" error: what reading and firing share.

Apart from services.cases (which fires transitions, and imports the state machine) so that a command that
only reads a case does not import the machine (the command line starts fast)."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Case, Member, Org
from statemachines.errors import BadInput

# Built once, with bound parameters, so SQLAlchemy reuses its cache key and compiled form (the hot paths'
# statements are prepared, in case_statements.py).
_CASE_BY_ID = select(Case).where(Case.id == bindparam("case_id"))
_CASE_BY_ID_LOCKED = _CASE_BY_ID.with_for_update()
_CASE_MEMBER_BRANCH = (select(Case, Member, Org).join(Member, Member.id == Case.member_id)
                       .join(Org, Org.id == Case.branch_id).where(Case.id == bindparam("case_id")))


def unknown_case(case_id: int) -> BadInput:
    return BadInput(f"未知案件编号 {case_id}", f"unknown case id {case_id}")


def get_case(session: Session, case_id: int, *, lock: bool = False) -> Case:
    case = session.scalar(_CASE_BY_ID_LOCKED if lock else _CASE_BY_ID, {"case_id": case_id})
    if case is None:
        raise unknown_case(case_id)
    return case


def get_case_member_branch(session: Session, case_id: int) -> tuple[Case, Member, Org]:
    """The case with its member and branch, in one round trip (a case page reads all three)."""
    found = session.execute(_CASE_MEMBER_BRANCH, {"case_id": case_id}).first()
    if found is None:
        raise unknown_case(case_id)
    return found._tuple()
