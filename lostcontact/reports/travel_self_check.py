"""Seed 000 附件2-1 河南省党员和国家工作人员持有身份证情况自查表 and 附件2-2 …持有出国（境）证件情况自查表: one
person's self-report in a campaign, printed in the seed's layout — the person's block, then 自查情况 with a line
per reported document (the current submission, as frozen) — with the seed's notes word for word."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person, SelfReport, SelfReportDocument
from statemachines.travel.codes import POLITICAL_STATUSES, RANKS

from ..masking import mask_document
from ..permissions import Actor
from ..templating import cn_date
from . import form_notes as seed
from .labels import SEXES
from .layout import HeaderCell, Sheet

_persons, _reports, _lines = Person.__table__, SelfReport.__table__, SelfReportDocument.__table__
# 附件2-2's printed rows, one per kind in its order (a second document of a kind goes to the blank rows below)
PRINTED_KINDS = {"passport_official": "因公护照", "passport_private": "因私护照", "hkmo_official": "因公往来港澳通行证",
                 "hkmo_private": "因私往来港澳通行证", "taiwan": "往来台湾通行证"}
STATES = {"submitted": "已报送，待审核", "confirmed": "已审核确认", "returned": "已退回修改"}


@dataclass(frozen=True)
class SelfCheckLayout:
    title: str
    columns: tuple[tuple[str, int], ...]   # 自查情况's headings and how many of the 7 columns each spans
    notes: tuple[str, ...]
    blank_rows: int                        # at least as many lines as the paper form has


ID_CARD_CHECK = SelfCheckLayout("河南省党员和国家工作人员持有身份证情况自查表",
                                (("身份证号码", 2), ("证件姓名", 2), ("办证时间", 1), ("有效期限", 2)),
                                seed.ID_CARD_CHECK, 3)
DOCUMENT_CHECK = SelfCheckLayout("河南省党员和国家工作人员持有出国（境）证件情况自查表",
                                 (("证照类别", 1), ("证照号码", 2), ("证件姓名", 1), ("办证时间", 1),
                                  ("证照是否\n交由组织集中保管", 2)), seed.DOCUMENT_CHECK, 7)
SELF_CHECK_FORMS = {"id-card-check": ID_CARD_CHECK, "document-check": DOCUMENT_CHECK}


def report_lines(session: Session, campaign_id: int, person_id: int):
    """The report (None when nothing was submitted) and its current submission's document lines."""
    report = session.connection().execute(select(_reports).where(_reports.c.campaign_id == campaign_id,
                                                                 _reports.c.person_id == person_id)).first()
    if report is None:
        return None, []
    return report, session.connection().execute(
        select(_lines).where(_lines.c.report_id == report.id, _lines.c.submission_seq == report.submission_seq)
        .order_by(_lines.c.line_no)).all()


def _line_cells(layout: SelfCheckLayout, line, label: str, person_name: str, full: bool) -> list[str]:
    number = line.number if full else mask_document(line.number)
    name = line.name_on_document or person_name
    if layout is ID_CARD_CHECK:
        return [number, name, cn_date(line.issued_on), f"至{cn_date(line.expires_on)}"]
    kept = f"是（{line.kept_at}）" if line.kept_at else "否"
    return [label, number, name, cn_date(line.issued_on), kept]


def self_check_sheet(layout: SelfCheckLayout, session: Session, actor: Actor, person, campaign) -> Sheet:
    from ..services.travel.access import may_see_full_numbers

    p = session.connection().execute(select(_persons).where(_persons.c.id == person.id)).one()
    report, lines = report_lines(session, campaign.id, person.id)
    full = may_see_full_numbers(actor, person.org_path)
    party_only = p.rank == "party_only"   # 注2: 非公职党员 strike out 单位, 职务, 职级
    body = [HeaderCell(0, 0, "姓名"), HeaderCell(0, 1, p.name), HeaderCell(0, 2, "性别"),
            HeaderCell(0, 3, SEXES.get(p.sex or "", "")), HeaderCell(0, 4, "出生年月"),
            HeaderCell(0, 5, cn_date(p.birth_date, "month")), HeaderCell(0, 6, "政治面貌"),
            HeaderCell(0, 7, POLITICAL_STATUSES.get(p.political_status or "", "")),
            HeaderCell(1, 0, "单位"), HeaderCell(1, 1, "/" if party_only else (p.work_unit or ""), colspan=3),
            HeaderCell(1, 4, "职务"), HeaderCell(1, 5, "/" if party_only else (p.post or "")),
            HeaderCell(1, 6, "职级"), HeaderCell(1, 7, "/" if party_only else RANKS.get(p.rank, ""))]
    if layout is ID_CARD_CHECK:
        rows = [_line_cells(layout, line, "", p.name, full) for line in lines if line.kind == "resident_id"]
    else:
        mine = [line for line in lines if line.kind in PRINTED_KINDS]
        first = {kind: next((line for line in mine if line.kind == kind), None) for kind in PRINTED_KINDS}
        rows = [_line_cells(layout, first[kind], label, p.name, full) if first[kind] else [label, "", "", "", ""]
                for kind, label in PRINTED_KINDS.items()]
        rows += [_line_cells(layout, line, PRINTED_KINDS[line.kind], p.name, full) for line in mine
                 if first[line.kind] is not line]
    rows += [[""] * len(layout.columns)] * max(0, layout.blank_rows - len(rows))
    body.append(HeaderCell(2, 0, "自\n查\n情\n况", rowspan=1 + len(rows)))
    for r, values in enumerate([[text for text, _ in layout.columns], *rows], start=2):
        col = 1
        for value, (_, span) in zip(values, layout.columns):
            body.append(HeaderCell(r, col, value, colspan=span))
            col += span
    state = STATES.get(report.state, report.state) if report else "未报送"
    explained = [f"自查自报活动：{campaign.name}；报告状态：{state}"
                 + (f"（{cn_date(report.confirmed_on)}）" if report and report.confirmed_on else "")
                 + ("，零报告" if report and report.zero_report else "") + "。",
                 "各行按本人报告（现行一次报送）所填，报送后登记的证件变化不改变报告内容；证件号码按查看人的权限遮盖。"]
    return Sheet(
        title=layout.title, header=(), rows=(), body=tuple(body), widths=(5, 12, 8, 12, 11, 14, 9, 13),
        above=(f"填表人（签字）：　　　　　　　　　　　　　填表时间：{cn_date(report.submitted_on) if report else ''}",),
        notes=layout.notes, explanations=tuple(explained), footer="审核人：", landscape=False,
        doc_title=f"{layout.title}（{p.name}）", paper="A4")


def render_self_check(session: Session, actor: Actor, kind: str, id_number: str, campaign_id: int) -> Sheet:
    from ..services.travel.self_reports import campaign_row, person_for_report

    person = person_for_report(session, id_number, actor)
    return self_check_sheet(SELF_CHECK_FORMS[kind], session, actor, person, campaign_row(session, campaign_id, actor))
