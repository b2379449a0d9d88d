"""The rows of the official registers (seed 003 附件3/5/6/7, seed 004 失联党员名册) as of a date: one per
member counted in the tally (the same cases, the same buckets), streamed in branch order."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, CaseEvent, Member, Org, SearchEntry
from statemachines.registers import ended_unreached, lost_months

from ..masking import mask_id
from ..orgtree import in_subtree
from ..permissions import Actor, may_see_full_id
from .people import person_labels
from .tally.compute import subtree_cases
from .tally.facts import columns_of, facts_of_history, facts_of_key
from .tally.status import history_columns, superseded, unpack
from .tally.tree import TallyNode, org_nodes, roll_up

BATCH = 500


@dataclass(frozen=True)
class OrgInfo:
    id: int
    code: str
    name: str
    path: str
    org_type: int | None  # the nearest org type up the tree (a branch inherits its committee's)


@dataclass(frozen=True)
class RegisterRow:
    case_id: int
    name: str
    sex: str | None
    ethnicity: str | None
    birth_date: date | None
    id_number: str            # masked unless the actor may see it
    join_date: date
    standing: str
    phone: str | None
    occupation: int | None
    branch: OrgInfo
    opened_on: date
    lost_since: date
    search_ended: date | None  # 联系查找结束 (reach / exhaust) on or before the date
    lost_months: int
    cause: int | None
    state: str
    disposition: str | None        # last submitted or recorded, on the date
    final_disposition: str | None  # in force on the date
    columns: tuple[str, ...]       # the tally columns this member counts in
    pocket: bool                   # “口袋”党员 (R4)
    abroad: bool

    @property
    def reached_side(self) -> bool:
        return "B" in self.columns

    @property
    def unreached_side(self) -> bool:
        return "O" in self.columns

    @property
    def ended_unreached(self) -> bool:
        """On 附件6: the search ended on or before the date without contact (not still being searched)."""
        return ended_unreached(self.columns, self.state)


def org_infos(session: Session, root: Org) -> dict[int, OrgInfo]:
    """Every org of `root`'s subtree, with the org type each inherits."""
    ancestors = [int(p) for p in root.path.strip("/").split("/")]
    rows = session.execute(select(Org.id, Org.code, Org.name, Org.path, Org.org_type)
                           .where(in_subtree(Org.path, root.path) | Org.id.in_(ancestors))
                           .order_by(func.length(Org.path))).all()
    infos: dict[int, OrgInfo] = {}
    for row in rows:  # parents first, so a parent's inherited type is known
        parent_ids = [int(p) for p in row.path.strip("/").split("/")][:-1]
        inherited = row.org_type
        if inherited is None and parent_ids and parent_ids[-1] in infos:
            inherited = infos[parent_ids[-1]].org_type
        infos[row.id] = OrgInfo(row.id, row.code, row.name, row.path, inherited)
    return infos


def _case_query(root: Org, as_of: date, *columns):
    """Every case of `root`'s subtree opened on or before `as_of` that is its member's latest then (the
    tally's cases; voided ones are told apart by their facts), with its tally key and HISTORY columns."""
    c = Case.__table__
    where = [w for w in (subtree_cases(root),) if w is not None]
    return (select(c.c.id, c.c.branch_id, (c.c.last_event_on > as_of).label("touched"), c.c.tally_key,
                   c.c.state, c.c.disposition,
                   *history_columns(c, as_of, only_if=c.c.last_event_on > as_of, detail=True), c.c.cause, *columns)
            .where(c.c.opened_on <= as_of, c.c.id.not_in(superseded(as_of)), *where))


def _on_the_day(r) -> tuple[dict | None, str, str | None, int | None]:
    """(facts, state, disposition last submitted, cause) of a row of _case_query on its day."""
    if r["touched"]:
        state, _reached, disposition, cause, _final, _final_reached = unpack(r["then_latest"], r["then_final"])
        return facts_of_history(r["then_latest"], r["then_final"]), state, disposition, cause
    return facts_of_key(r["tally_key"]), r["state"], r["disposition"], r["cause"]


def register_rows(session: Session, root: Org, as_of: date, actor: Actor) -> Iterator[RegisterRow]:
    e = CaseEvent.__table__
    search_ended = (select(func.max(e.c.effective_on))
                    .where(e.c.case_id == Case.id, e.c.trigger.in_(("reach", "exhaust")),
                           e.c.effective_on <= as_of).scalar_subquery())
    query = (_case_query(root, as_of, Case.opened_on, Case.lost_since, Case.origin, Member.name, Member.sex,
                         Member.ethnicity, Member.birth_date, Member.id_number, Member.join_date, Member.standing,
                         Member.phone, Member.occupation, Member.abroad, search_ended.label("search_ended"))
             .join(Member, Member.id == Case.member_id).join(Org, Org.id == Case.branch_id)
             .order_by(Org.path, Case.opened_on, Case.id))
    orgs = org_infos(session, root)
    for r in session.execute(query.execution_options(yield_per=BATCH)).mappings():
        facts, state, disposition, cause = _on_the_day(r)
        if facts is None:
            continue  # voided on the day
        branch = orgs[r["branch_id"]]
        yield RegisterRow(
            case_id=r["id"], name=r["name"], sex=r["sex"], ethnicity=r["ethnicity"], birth_date=r["birth_date"],
            id_number=r["id_number"] if may_see_full_id(actor, branch.path) else mask_id(r["id_number"]),
            join_date=r["join_date"], standing=r["standing"], phone=r["phone"], occupation=r["occupation"],
            branch=branch, opened_on=r["opened_on"], lost_since=r["lost_since"], search_ended=r["search_ended"],
            lost_months=lost_months(r["lost_since"], r["search_ended"], as_of), cause=cause, state=state,
            disposition=disposition, final_disposition=facts["final_disposition"], columns=columns_of(facts),
            pocket=r["origin"] == "R4", abroad=r["abroad"])


@dataclass(frozen=True)
class SearchLine:
    on: date
    channel: str
    outcome: str
    note: str | None
    witness: str | None
    actor: str


@dataclass(frozen=True)
class Opinion:
    on: date
    trigger: str
    actor: str
    opinion: str | None
    disposition: str | None


def with_search_logs(session: Session, rows: Iterator[RegisterRow], as_of: date
                     ) -> Iterator[tuple[RegisterRow, list[SearchLine], list[Opinion]]]:
    """Each row with its search log and its branch's findings/proposals on or before `as_of`,
    fetched a batch of cases at a time."""
    batch: list[RegisterRow] = []

    def flush():
        ids = [row.case_id for row in batch]
        logs, opinions = defaultdict(list), defaultdict(list)
        entries = session.execute(select(SearchEntry).where(SearchEntry.case_id.in_(ids),
                                                            SearchEntry.effective_on <= as_of)
                                  .order_by(SearchEntry.effective_on, SearchEntry.id)).scalars().all()
        events = session.execute(select(CaseEvent).where(
            CaseEvent.case_id.in_(ids), CaseEvent.effective_on <= as_of,
            CaseEvent.trigger.in_(("reach", "exhaust", "propose", "submit"))).order_by(CaseEvent.seq)).scalars().all()
        names = person_labels(session, [e.actor for e in entries] + [e.actor for e in events], on_paper=True)
        for entry in entries:
            logs[entry.case_id].append(SearchLine(entry.effective_on, entry.channel, entry.outcome, entry.note,
                                                  entry.witness, names[entry.actor]))
        for event in events:
            opinions[event.case_id].append(Opinion(event.effective_on, event.trigger, names[event.actor],
                                                   event.opinion, event.disposition if event.trigger == "submit"
                                                   else None))
        for row in batch:
            yield row, logs[row.case_id], opinions[row.case_id]

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def roster_counts(session: Session, root: Org, as_of: date) -> dict[int, int]:
    """排查前在册党员人数 per branch: members on the roster now (current data, DOMAIN.md §6.2) who had
    joined by `as_of`."""
    query = (select(Member.branch_id, func.count()).join(Org, Org.id == Member.branch_id)
             .where(in_subtree(Org.path, root.path), Member.join_date <= as_of).group_by(Member.branch_id))
    return dict(session.execute(query).all())


SUMMARY_KEYS = ("roster", "total", "probationary", *(f"cause{i}" for i in range(1, 8)), "cause_unknown",
                *(f"occupation{i}" for i in range(1, 9)), "occupation_unknown", "pocket")


def unreached_summary(session: Session, root: Org, as_of: date) -> TallyNode:
    """与党组织失去联系党员情况汇总表 (seed 003 附件7) per org, rolled up: the roster, and the members whose
    search ended without contact (the tally's O less those still being searched) by cause and occupation,
    with the pocket members among them.
    One GROUP BY, like the tally; the pure rule decides which groups are on the unreached side."""
    extra = (Member.occupation, Member.standing, Case.origin)
    query = _case_query(root, as_of, *extra).join(Member, Member.id == Case.member_id).subquery()
    keys = [column for column in query.c if column.name != "id"]
    nodes = org_nodes(session, root, SUMMARY_KEYS)
    for r in session.execute(select(*keys, func.count().label("n")).group_by(*keys)).mappings():
        facts, state, _disposition, cause = _on_the_day(r)
        if facts is None or not ended_unreached(columns_of(facts), state):
            continue
        node, n = nodes[r["branch_id"]], r["n"]
        node.add("total", n)
        node.add("probationary", n if r["standing"] == "probationary" else 0)
        node.add(f"cause{cause}" if cause in range(1, 8) else "cause_unknown", n)
        node.add(f"occupation{r['occupation']}" if r["occupation"] in range(1, 9) else "occupation_unknown", n)
        node.add("pocket", n if r["origin"] == "R4" else 0)
    for branch_id, n in roster_counts(session, root, as_of).items():
        nodes[branch_id].add("roster", n)
    return roll_up(nodes, root.id)
