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

from sqlalchemy import and_, exists, select

from models import Case, Member, Org
from models.db import Database
from statemachines.errors import UsageError

from ..masking import mask_id
from ..permissions import load_actor
from ..policies import policy_as_of
from ..uow import UnitOfWork
from .case_lists import ROW_COLUMNS, CaseRow, rows_of, to_row
from .case_scope import branch_scope, grant_roots, subtree_ids
from .lights import Lights

MAX_RESULTS = 100
MAX_TERM = 40
ID_TAIL = re.compile(r"^[0-9]{3,5}[0-9Xx]$")       # the last 4–6 characters of an ID number
FULL_ID = re.compile(r"^[0-9]{17}[0-9Xx]$")
CASE_NUMBER = re.compile(r"^[0-9]{1,9}$")
WHOLE_TERMS = ("name", "id", "tail")                # members without a case: the exact name, or the number
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
    if any(ord(ch) < 32 for ch in text):
        raise UsageError("查找内容含有控制字符", "the search term holds control characters")
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
    """The cases in scope of the members the term names (and the case it numbers), then the members in
    scope it names who have no case there. Driven by the member index range (or, for a scope of a few
    branches, by those branches' cases), the scope checked as case_lists.branch_scope does."""
    kind, text = read_term(term)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        roots = grant_roots(s, actor)
        lights = Lights.of_policy(today, policy_as_of(s, today))
        ids = subtree_ids(s, roots)
        scope = branch_scope(roots, ids, Case.branch_id)
        case_scope = [scope] if scope is not None else []
        rows = []
        if kind == "case" or (kind == "tail" and text.isdigit()):
            rows += s.execute(select(*ROW_COLUMNS).select_from(Case).join(Org, Org.id == Case.branch_id)
                              .join(Member, Member.id == Case.member_id)
                              .where(Case.id == int(text), *case_scope)).all()
        if kind != "case":
            page = (select(Case.id).select_from(Member).join(Case, Case.member_id == Member.id)
                    .where(member_condition(kind, text), *case_scope)
                    .order_by(Member.name, Member.id, Case.opened_on.desc(), Case.id.desc()).limit(MAX_RESULTS + 1))
            case_ids = [i for i in s.scalars(page) if not any(r.id == i for r in rows)]
            rows += rows_of(s, case_ids)
        members: list[MemberHit] = []
        if kind in WHOLE_TERMS:  # a prefix may match thousands of names: cases only
            member_scope = [branch_scope(roots, ids, Member.branch_id)] if roots is not None else []
            name = Member.name == text if kind == "name" else member_condition(kind, text)
            has_case = exists().where(Case.member_id == Member.id, *case_scope)
            query = (select(Member.id, Member.name, Member.id_number, Member.branch_id).where(
                name, *member_scope, ~has_case)
                .order_by(Member.name, Member.id).limit(MAX_RESULTS + 1))
            found = s.execute(query).all()
            names = dict(s.execute(select(Org.id, Org.name).where(Org.id.in_({m.branch_id for m in found}))).all())
            members = [MemberHit(m.id, m.name, mask_id(m.id_number), names[m.branch_id]) for m in found]
    cases = tuple(to_row(r, lights) for r in rows[:MAX_RESULTS])
    room = max(0, MAX_RESULTS - len(cases))
    return SearchResult(kind, cases, tuple(members[:room]), len(rows) > MAX_RESULTS or len(members) > room)
