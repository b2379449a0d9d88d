"""Finding a case by what a person remembers: the member's name (exact, or its beginning), a case number,
the full ID number, or its last 4–6 characters — always inside the actor's subtrees.

Each kind is one index range (members.name, members.id_number, members.id_tail_reversed, cases.id), so a
search costs the same at any size. A number outside the actor's subtrees finds nothing, exactly as an
unknown number: the scope is part of the query, never a check made after it.

    "张"            names beginning with 张 (and 张 itself)
    "1234"          ID numbers ending in 1234, or case 1234
    "41040219800101001X"  that ID number
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from models import Case, Member, Org
from models.db import Database
from statemachines.errors import UsageError

from ..masking import mask_id
from ..permissions import load_actor, scope_filter
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .case_lists import ROW_COLUMNS, CaseRow, to_row
from .lights import Lights

MAX_RESULTS = 100
MAX_TERM = 40
ID_TAIL = re.compile(r"^[0-9]{3,5}[0-9Xx]$")       # the last 4–6 characters of an ID number
FULL_ID = re.compile(r"^[0-9]{17}[0-9Xx]$")
CASE_NUMBER = re.compile(r"^[0-9]{1,9}$")
TOP = "\U0010ffff"                                 # sorts after every character: name >= t AND name < t + TOP


@dataclass(frozen=True)
class MemberHit:
    """A member found who has no case in scope (the member page still knows them)."""
    id: int
    name: str
    id_number_masked: str
    branch_name: str


@dataclass(frozen=True)
class SearchResult:
    kind: str                                 # name / id / tail / case (what the term was read as)
    cases: tuple[CaseRow, ...]
    members_without_case: tuple[MemberHit, ...]
    truncated: bool                           # more than MAX_RESULTS matched

    @property
    def empty(self) -> bool:
        return not self.cases and not self.members_without_case

    def as_json(self) -> dict:
        return {"kind": self.kind, "truncated": self.truncated, "cases": [c.as_json() for c in self.cases],
                "members_without_case": [{"id": m.id, "member_name": m.name,
                                          "member_id_number_masked": m.id_number_masked,
                                          "branch_name": m.branch_name} for m in self.members_without_case]}


def read_term(term: str | None) -> tuple[str, str]:
    """(kind, normalised term); a term that is none of the kinds is a UsageError."""
    text = (term or "").strip().replace(" ", "")
    if not text:
        raise UsageError("请输入姓名、案件编号或身份证号（全部或后 4–6 位）",
                         "type a name, a case number or an ID number (whole or its last 4–6 characters)")
    if len(text) > MAX_TERM:
        raise UsageError(f"查找内容不能超过 {MAX_TERM} 个字符", f"the search term is longer than {MAX_TERM} characters")
    if FULL_ID.match(text):
        return "id", text.upper()
    if ID_TAIL.match(text):
        return "tail", text.upper()
    if CASE_NUMBER.match(text):
        return "case", text
    if re.fullmatch(r"[0-9Xx]+", text):
        raise UsageError("数字请输入案件编号、身份证号后 4–6 位或完整的 18 位身份证号",
                         "digits: a case number, the last 4–6 characters of an ID number or all 18")
    return "name", text


def member_condition(kind: str, text: str):
    if kind == "id":
        return Member.id_number == text
    if kind == "tail":
        reversed_tail = text[::-1]
        # a prefix of the reversed tail is an index range; the next string after the prefix bounds it
        return and_(Member.id_tail_reversed >= reversed_tail,
                    Member.id_tail_reversed < reversed_tail[:-1] + chr(ord(reversed_tail[-1]) + 1))
    return and_(Member.name >= text, Member.name < text + TOP)


def search_cases(db: Database, *, actor_login: str, today: date, term: str | None) -> SearchResult:
    kind, text = read_term(term)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        lights = Lights.of_policy(today, policy_as_of(s, today))
        scope = scope_filter(actor, Org.path)
        scoped = [scope] if scope is not None else []
        cases_of = (select(*ROW_COLUMNS).select_from(Case).join(Org, Org.id == Case.branch_id)
                    .join(Member, Member.id == Case.member_id).where(*scoped))
        if kind == "case":
            found = cases_of.where(Case.id == int(text))
            if ID_TAIL.match(text):  # four to six digits: a case number or the end of an ID number
                found = cases_of.where(or_(Case.id == int(text), Case.member_id.in_(
                    select(Member.id).where(member_condition("tail", text)))))
        else:
            found = cases_of.where(member_condition(kind, text))
        rows = s.execute(found.order_by(Member.name, Case.opened_on.desc(), Case.id.desc())
                         .limit(MAX_RESULTS + 1)).all()
        with_case = {r.member_id for r in rows}
        # members found by the same term in scope (by their own branch) who have no case there
        member_kind = "tail" if kind == "case" and ID_TAIL.match(text) else kind
        members = []
        if member_kind != "case":
            member_scope = scope_filter(actor, Org.path)
            query = (select(Member.id, Member.name, Member.id_number, Org.name).join(Org, Org.id == Member.branch_id)
                     .where(member_condition(member_kind, text))
                     .where(*([member_scope] if member_scope is not None else []))
                     .order_by(Member.name, Member.id).limit(MAX_RESULTS + 1))
            members = [MemberHit(m_id, name, mask_id(id_number), org_name)
                       for m_id, name, id_number, org_name in s.execute(query) if m_id not in with_case]
    cases = tuple(to_row(r, lights) for r in rows[:MAX_RESULTS])
    room = max(0, MAX_RESULTS - len(cases))
    return SearchResult(kind, cases, tuple(members[:room]),
                        len(rows) > MAX_RESULTS or len(members) > room)

