"""The discipline register's part of the demo (docs/discipline-register.md), told after the travel story over
its persons through the register's services: unit contacts (some old enough to make candidates), one entry of
each category — a 外逃 abroad after a case was filed, a 失联 whose unit lost them five months ago, an 出走 who
still holds a private passport outside custody (a flight risk) — and the summary form 附件1-4. Every date is
counted back from the demo's last day."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from models.db import Database

from ..services.discipline.register import add_entry, record_unit_contact
from ..uow import UnitOfWork
from .travel_cast import CADRE, DISCIPLINE

FORM_FILE = "lostcontact-demo-discipline-summary.html"


@dataclass
class DisciplineDemo:
    entries: dict[str, int] = field(default_factory=dict)
    candidates: int = 0
    risks: list[dict] = field(default_factory=list)
    form: Path | None = None


def _persons(db: Database) -> tuple[list[str], list[str]]:
    """The travel story's persons in the order they were recorded: those who are no roster member, and those
    of them holding a private document outside custody."""
    from models import Person, TravelDocument
    from statemachines.travel.codes import PRIVATE_KINDS

    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        plain = s.scalars(select(Person.id_number).where(Person.member_id.is_(None), Person.rank != "party_only")
                          .order_by(Person.id)).all()
        holding = s.scalars(select(Person.id_number).join(TravelDocument, TravelDocument.person_id == Person.id)
                            .where(TravelDocument.state == "held", TravelDocument.kind.in_(PRIVATE_KINDS))
                            .order_by(Person.id).distinct()).all()
    return list(plain), list(holding)


def tell_discipline(db: Database, *, last: date, folder: Path) -> DisciplineDemo:
    from ..queries.discipline import candidates, flight_risks
    from ..reports.discipline_forms import render_discipline_form

    def back(days: int) -> date:
        return last - timedelta(days=days)

    plain, holding = _persons(db)
    absconded = holding[0]
    lost, fled, *others = [n for n in plain if n != absconded]
    common = dict(actor_login=DISCIPLINE, today=last)
    record_unit_contact(db, lost, on=back(150), note="单位年度考核谈话", actor_login=CADRE, today=last)
    for number, days in zip(others[:4], (120, 100, 40, 10)):  # two candidates, two recently seen
        record_unit_contact(db, number, on=back(days), note="单位联系", actor_login=CADRE, today=last)
    add_entry(db, fled, "fled", since_on=back(200), recontact_on=back(195), at=back(190),
              recontact_note="经电话、走访及向家属了解，仍无法取得联系", case_filed_by="县纪委监委",
              case_filed_on=back(230), whereabouts="abroad", place="泰国", suspected_offence="受贿罪",
              amount_wan="120", documents_held="因私护照一本（已挂失）", disciplined=False, **common)
    add_entry(db, lost, "lost", since_on=back(150), recontact_on=back(5), at=back(3),
              recontact_note="再次拨打电话、到住所走访，均未取得联系", disciplined=False, **common)
    add_entry(db, absconded, "absconded", since_on=back(60), recontact_on=back(10), at=back(7),
              recontact_note="电话能接通，本人拒绝说明所在地和具体情况", region="广东省深圳市", disciplined=False, **common)
    result = DisciplineDemo(entries={"lost": 1, "fled": 1, "absconded": 1})
    result.candidates = len(candidates(db, actor_login=DISCIPLINE, today=last))
    result.risks = flight_risks(db, actor_login=DISCIPLINE, today=last)
    result.form = folder / FORM_FILE
    render_discipline_form(db, "summary", today=last, as_of=last, actor_login=DISCIPLINE, path=result.form)
    return result
