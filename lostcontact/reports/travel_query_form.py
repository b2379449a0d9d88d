"""Seed 001 附件1 登记备案人员因私出国（境）信息查询表: every person who should be registered (has a
registered-person type) in the subtree as of the day, ordered 省管干部, 处级干部, 其他干部 (note 1), with their
valid private documents as the registry holds them that day and their registration status. Two statements: the
persons as of the day, and their documents as of the day."""
from __future__ import annotations

from datetime import date

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from models import Org, Person, TravelDocument
from statemachines.travel.codes import DOCUMENT_KINDS, PERSON_TYPES, PRIVATE_KINDS, RANKS, REGISTRATION_STATUSES

from ..masking import mask_document, mask_id
from ..orgtree import in_subtree
from ..permissions import Actor
from ..templating import cn_date
from . import form_notes as seed
from .labels import SEXES
from .layout import HeaderCell, Sheet

_persons, _orgs, _docs = Person.__table__, Org.__table__, TravelDocument.__table__
TITLE = "登记备案人员因私出国（境）信息查询表"
HEADINGS = ("序号", "姓名", "性别", "身份证号", "出生日期（8位）", "现任职务（职级）", "户口所在地", "登记备案人员类型",
            "人事主管部门", "是否持有因私出国（境）证件", "因私出国（境）证件号", "证件是否交由组织集中保管", "登记备案状态")
PROVINCE_MANAGED = ("provincial", "bureau")    # note 1's order: 省管干部 (省部级, 厅局级), 处级干部, 其他干部
VALID = ("held", "in_custody", "checked_out")   # not lost or revoked
RECEIVED = ("in_custody", "checked_out")        # handed to the organisation (out on an approved trip included)
QUERY_EXPLAINED = (
    "列入统计时间有登记备案人员类型（应备案）的人员，按省管干部（省部级、厅局级）、处级干部、其他干部排列，同类按单位、姓名。"
    "登记备案人员类型、职级、单位和登记备案状态按统计时间的登记记录；姓名、职务、户口所在地、人事主管部门按现有信息。",
    "因私出国（境）证件：统计时间登记在册、在有效期内且未报失、注销的因私护照、往来港澳通行证、往来台湾通行证；集中保管栏"
    "逐证填写，已交组织保管（含凭审批件领用出境中的）为“是”。公安机关记录的证件和出入境记录不在本表，见问题核查。",
    "身份证号和证件号仅对该人员的干部监督（组织人事）部门完整显示，其他查看人看到遮盖后的号码。",
)


def query_sheet(session: Session, actor: Actor, root: Org, day: date, *, filled_on: date) -> Sheet:
    from ..services.travel.access import may_see_full_numbers
    from ..services.travel.history import documents_as_of, persons_as_of

    p = persons_as_of(day, typed_only=True)
    persons = session.execute(
        select(_persons.c.id, _persons.c.name, _persons.c.sex, _persons.c.id_number, _persons.c.birth_date,
               _persons.c.post, _persons.c.household_place, _persons.c.authority, p.c.rank, p.c.person_type,
               p.c.status, _orgs.c.path)
        .select_from(p.join(_persons, _persons.c.id == p.c.person_id).join(_orgs, _orgs.c.id == p.c.org_id))
        .where(in_subtree(_orgs.c.path, root.path))
        .order_by(case((p.c.rank.in_(PROVINCE_MANAGED), 0), (p.c.rank == "county", 1), else_=2),
                  _orgs.c.path, _persons.c.name, _persons.c.id)).all()
    d = documents_as_of(day, states=VALID)
    held: dict[int, list] = {}
    typed = select(p.c.person_id)
    for row in session.execute(
            select(_docs.c.person_id, _docs.c.kind, _docs.c.number, d.c.state)
            .select_from(d.join(_docs, _docs.c.id == d.c.document_id))
            .where(_docs.c.person_id.in_(typed), _docs.c.kind.in_(PRIVATE_KINDS), _docs.c.issued_on <= day,
                   _docs.c.expires_on >= day).order_by(_docs.c.person_id, case({k: i for i, k in enumerate(PRIVATE_KINDS)}, value=_docs.c.kind),
                                 _docs.c.number)):
        held.setdefault(row.person_id, []).append(row)

    def values():
        for number, person in enumerate(persons, start=1):
            full = may_see_full_numbers(actor, person.path)
            docs = held.get(person.id, [])
            numbers = "；".join(f"{DOCUMENT_KINDS[r.kind].label} {r.number if full else mask_document(r.number)}"
                               for r in docs)
            kept = "；".join("是" if r.state in RECEIVED else "否" for r in docs)
            post = "（".join(filter(None, (person.post, RANKS.get(person.rank)))) + ("）" if person.post else "")
            yield [number, person.name, SEXES.get(person.sex or "", ""),
                   person.id_number if full else mask_id(person.id_number),
                   person.birth_date.strftime("%Y%m%d") if person.birth_date else "", post,
                   person.household_place or "", PERSON_TYPES.get(person.person_type, ""), person.authority or "",
                   "是" if docs else "否", numbers or "无", kept, REGISTRATION_STATUSES.get(person.status, "")]

    return Sheet(
        title=TITLE, header=tuple(HeaderCell(0, i, text) for i, text in enumerate(HEADINGS)), rows=values(),
        widths=(4, 7, 4, 19, 10, 16, 14, 16, 12, 8, 24, 9, 8),
        above=(f"填表单位（章）：{root.name}　　　　填表时间：{cn_date(filled_on)}　　　　统计时间：截至{cn_date(day)}",),
        footer="填表人：　　　　　　　（联系电话：　　　　　　）　　　　　　审核人：", notes=seed.TRAVEL_QUERY,
        explanations=QUERY_EXPLAINED, landscape=True, numeric_from=len(HEADINGS),
        doc_title=f"{TITLE}（{root.name}，截至{day.isoformat()}）")
