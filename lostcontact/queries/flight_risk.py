"""Flight risk (外逃风险, PROGRAMMES.md §6), where the programmes meet: a person on the discipline register as
失联 or 出走, or with an open lost-contact case, who also holds a valid private travel document outside custody,
crossed the border outward after their last contact, or has an identity problem (M1). One set-based statement
per reason, as of a day; the sweep raises F1 from the same rows the views list (one rule, written once)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, and_, cast, func, literal, or_, select, union_all

from models import (Case, DisciplineEntry, Member, Org, Person, PoliceCrossing, PoliceHolding, Problem,
                    TravelDocument)
from statemachines.lifecycle import OPEN_STATES
from statemachines.travel.codes import PRIVATE_KINDS
from statemachines.travel.custody import OUTSIDE_CUSTODY

from ..services.travel.history import documents_as_of
from .contacts import latest_contact_as_of
from .discipline_state import in_state_on

_persons, _orgs, _members, _cases = Person.__table__, Org.__table__, Member.__table__, Case.__table__
_entries, _docs, _holdings = DisciplineEntry.__table__, TravelDocument.__table__, PoliceHolding.__table__
_crossings, _problems = PoliceCrossing.__table__, Problem.__table__

# the alert's step: one F1 per person and reason (and basis: see `basis_on`)
REASONS = {"document": 1, "exit": 2, "identity": 3}
REASON_LABELS = {"document": "持有有效因私出国（境）证件未交组织保管", "exit": "最后一次联系后有出境记录",
                 "identity": "一人多证（一人多证问题）"}
BASIS_LABELS = {"register": "纪检监察机关登记为失联或出走", "case": "失联党员案件未办结"}


@dataclass(frozen=True)
class Risk:
    person_id: int
    org_id: int
    reason: str
    basis_on: date        # since when the person has been on the register / in an open case (the earliest)
    detail: str


def at_risk_basis(day: date, person_ids: list[int] | None = None):
    """(person_id, since) of every person (of `person_ids`, when given) on the register as 失联/出走 or with an
    open lost-contact case on the day, since the earliest of them."""
    register = (select(_entries.c.person_id, literal("register", String).label("basis"),
                       _entries.c.opened_on.label("since"))
                .where(_entries.c.category.in_(("lost", "absconded")), _entries.c.opened_on <= day,
                       in_state_on(day, "open")))
    cases = (select(_persons.c.id, literal("case", String), _cases.c.opened_on)
             .join(_cases, _cases.c.member_id == _persons.c.member_id)
             .where(_cases.c.opened_on <= day,
                    or_(_cases.c.state.in_(OPEN_STATES), and_(_cases.c.closed_on.is_not(None), _cases.c.closed_on > day))))
    if person_ids is not None:  # one person's page: read by their keys, not the whole register
        register = register.where(_entries.c.person_id.in_(person_ids))
        cases = cases.where(_persons.c.id.in_(person_ids))
    both = union_all(register, cases).subquery("risk_basis")
    return (select(both.c.person_id, func.min(both.c.since).label("since"))
            .group_by(both.c.person_id).subquery("at_risk"))


def risks(conn, day: date, *, person_ids: list[int] | None = None, scope=None) -> list[Risk]:
    """Every (person, reason) at risk on the day, limited to `person_ids` or to a WHERE over the person's org
    path (`scope`) when given."""
    basis = at_risk_basis(day, person_ids)
    limits = []
    if scope is not None:
        limits.append(scope)

    def base(*columns):
        return (select(basis.c.person_id, _persons.c.org_id, basis.c.since, *columns)
                .join(_persons, _persons.c.id == basis.c.person_id).join(_orgs, _orgs.c.id == _persons.c.org_id)
                .where(*limits))

    held = documents_as_of(day, states=OUTSIDE_CUSTODY)
    documents = (base(literal("document", String).label("reason"), _docs.c.kind.label("detail"))
                 .join(_docs, _docs.c.person_id == basis.c.person_id).join(held, held.c.document_id == _docs.c.id)
                 .where(_docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day, _docs.c.expires_on >= day))
    unrecorded = (base(literal("document", String), _holdings.c.kind)
                  .join(_holdings, _holdings.c.id_number == _persons.c.id_number)
                  .where(_holdings.c.kind.in_(PRIVATE_KINDS), _holdings.c.status == "valid",
                         _holdings.c.issued_on <= day, _holdings.c.expires_on >= day,
                         ~select(_docs.c.id).where(_docs.c.kind == _holdings.c.kind,
                                                   _docs.c.number == _holdings.c.number).exists()))
    last_contact = func.coalesce(latest_contact_as_of(day), date(1900, 1, 1))
    exits = (base(literal("exit", String), cast(_crossings.c.crossed_on, String))
             .join(_crossings, _crossings.c.id_number == _persons.c.id_number)
             .outerjoin(_members, _members.c.id == _persons.c.member_id)
             .where(_crossings.c.direction == "exit", _crossings.c.crossed_on <= day,
                    _crossings.c.crossed_on > last_contact))
    identity = (base(literal("identity", String), _problems.c.subject)
                .join(_problems, _problems.c.person_id == basis.c.person_id)
                .where(_problems.c.kind == "M1", _problems.c.found_on <= day, _problems.c.status != "dismissed"))
    rows = conn.execute(union_all(documents, unrecorded, exits, identity)).all()
    found: dict[tuple[int, str], Risk] = {}
    for person_id, org_id, since, reason, detail in sorted(rows, key=lambda r: (r[0], r[3], str(r[4]))):
        found.setdefault((person_id, reason), Risk(person_id, org_id, reason, since, str(detail)))
    return list(found.values())


def reasons_in_words(person_risks: list[Risk]) -> list[str]:
    """What a person reads about one person's risks."""
    from statemachines.travel.codes import DOCUMENT_KINDS

    words = []
    for risk in person_risks:
        if risk.reason == "document":
            kind = DOCUMENT_KINDS.get(risk.detail)
            words.append(f"{REASON_LABELS['document']}（{kind.label if kind else risk.detail}）")
        elif risk.reason == "exit":
            words.append(f"{REASON_LABELS['exit']}（{risk.detail} 出境）")
        else:
            words.append(REASON_LABELS["identity"])
    return words
