"""The travel programme's summary forms as counts (PROGRAMMES.md §7), as of any day for any subtree, from the
histories: one GROUP BY over the persons as of the day and one over their documents, rolled up to the form's
rows in Python (a handful of groups per org, never a row per person)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Org, Person, TravelDocument, TravelRule
from statemachines.travel.codes import ON_FILE, PRIVATE_KINDS

from ...orgtree import in_subtree
from ...permissions import Actor
from ...services.travel.access import may_read, reader_grants, unknown_org
from ...services.travel.history import documents_as_of, persons_as_of
from ..tally import tally_root

_persons, _orgs, _docs, _rules = Person.__table__, Org.__table__, TravelDocument.__table__, TravelRule.__table__

# 实备数's four columns (seed 002 附件3), in the form's order; how a person on file is counted is in REGISTERED_AS
RETIRED_CITY_CADRES, OWN, BELOW, OTHERS = "retired_city_cadre", "own", "below", "others"
OTHER_TYPES = ("enterprise_leader", "naked_official", "other")
CUSTODY_KINDS = ("passport_private", "hkmo_private", "taiwan")  # the form's three columns, in its order
assert set(CUSTODY_KINDS) == set(PRIVATE_KINDS)
# 应收数: a registered person's valid private document, held, in custody or out on a trip (not lost or revoked);
# 实收数: those received into custody (in custody that day, or checked out against a trip)
HANDED_IN_OR_DUE = ("held", "in_custody", "checked_out")
RECEIVED = ("in_custody", "checked_out")


@dataclass
class ManagementRow:
    """One row of seed 002 附件3: an org (its whole subtree) as of the day."""
    org_id: int
    code: str
    name: str
    path: str
    state_employees: int = 0
    should_register: int = 0
    registered: Counter = field(default_factory=Counter)     # by RETIRED_CITY_CADRES / OWN / BELOW / OTHERS
    should_hand_in: int = 0                                   # 应收数
    received: int = 0                                         # 实收数: in custody, or out on an approved trip
    in_custody: Counter = field(default_factory=Counter)     # 因私证件集中保管情况, by document kind
    rules: list[tuple[str, date]] = field(default_factory=list)

    @property
    def registered_total(self) -> int:
        return sum(self.registered.values())


def form_root(session: Session, actor: Actor, org_code: str | None, *, roles: tuple[str, ...] | None = None,
              readable=may_read) -> Org:
    """The org a form is filled for: `--org` within the reader's subtrees (an org outside them is answered as
    an unknown one), else the one subtree in view. The travel programme's readers by default; the discipline
    register passes its own `roles` and `readable`."""
    if org_code is not None:
        org = session.scalar(select(Org).where(Org.code == org_code))
        if org is None or not readable(actor, org.path):
            raise unknown_org(org_code)
        return org
    if actor.is_operator:
        return tally_root(session, actor, None)
    grants = tuple(g for g in actor.grants if g.role in roles) if roles is not None else reader_grants(actor)
    return tally_root(session, Actor(actor.login, grants, actor.name), None)


def registered_as(person_type: str | None, person_org: str, row_org: str) -> str:
    """Which of 实备数's columns a person on file counts in for a row: retired city cadres first, then the
    types outside the cadre system (enterprise leaders, “裸官” relatives, others), then by who manages them —
    the row's org itself, or an org below it."""
    if person_type == "city_cadre_retired":
        return RETIRED_CITY_CADRES
    if person_type in OTHER_TYPES:
        return OTHERS
    return OWN if person_org == row_org else BELOW


def management_summary(session: Session, root: Org, day: date) -> list[ManagementRow]:
    """Seed 002 附件3's rows: the root's subtree, then each org directly below it, as of the day."""
    children = session.execute(select(_orgs.c.id, _orgs.c.code, _orgs.c.name, _orgs.c.path)
                               .where(_orgs.c.parent_id == root.id).order_by(_orgs.c.path)).all()
    rows = [ManagementRow(root.id, root.code, root.name, root.path),
            *(ManagementRow(c.id, c.code, c.name, c.path) for c in children)]

    def rows_over(path: str):
        return [r for r in rows if path.startswith(r.path)]

    p = persons_as_of(day)
    persons = session.execute(
        select(_orgs.c.path, p.c.rank, p.c.person_type, p.c.status, func.count().label("n"))
        .select_from(p.join(_orgs, _orgs.c.id == p.c.org_id)).where(in_subtree(_orgs.c.path, root.path))
        .group_by(_orgs.c.path, p.c.rank, p.c.person_type, p.c.status))
    for path, rank, person_type, status, n in persons:
        for row in rows_over(path):
            row.state_employees += n if rank != "party_only" else 0
            row.should_register += n if person_type is not None else 0
            if status in ON_FILE:
                row.registered[registered_as(person_type, path, row.path)] += n

    d = documents_as_of(day, states=HANDED_IN_OR_DUE)
    on_file = persons_as_of(day, statuses=ON_FILE)
    documents = session.execute(
        select(_orgs.c.path, _docs.c.kind, d.c.state, func.count().label("n"))
        .select_from(d.join(_docs, _docs.c.id == d.c.document_id).join(on_file, on_file.c.person_id == _docs.c.person_id)
                     .join(_orgs, _orgs.c.id == on_file.c.org_id))
        .where(in_subtree(_orgs.c.path, root.path), _docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day,
               _docs.c.expires_on >= day)
        .group_by(_orgs.c.path, _docs.c.kind, d.c.state))
    for path, kind, state, n in documents:
        for row in rows_over(path):
            row.should_hand_in += n
            row.received += n if state in RECEIVED else 0
            row.in_custody[kind] += n if state == "in_custody" else 0

    by_id = {r.org_id: r for r in rows}
    for org_id, name, issued_on in session.execute(
            select(_rules.c.org_id, _rules.c.name, _rules.c.issued_on)
            .where(_rules.c.org_id.in_(by_id), _rules.c.issued_on <= day).order_by(_rules.c.issued_on, _rules.c.id)):
        by_id[org_id].rules.append((name, issued_on))
    return rows
