"""Seed 002 附件1 国家工作人员持有因私出入境证件和因私出国（境）情况报告表: one person's self-report in a campaign
in the seed's layout — the documents and the trips of its current submission as frozen, 其他需要说明情况 — with
the seed's 填表说明 word for word and the pledge as the person signed it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person, SelfReportTrip
from statemachines.travel.codes import DOCUMENT_KINDS
from statemachines.travel.self_report import PLEDGE

from ..masking import mask_document
from ..permissions import Actor
from ..templating import cn_date
from . import form_notes as seed
from .layout import HeaderCell, Sheet
from .travel_self_check import STATES, report_lines

_persons, _trips = Person.__table__, SelfReportTrip.__table__
TITLE = "国家工作人员持有因私出入境证件和因私出国（境）情况报告表"
DOCUMENT_HEADINGS = ("证件类别", "证件号码", "证件有效期", "保管机构", "备注")
TRIP_HEADINGS = ("起止时间", "所到国家（地区）", "事由", "审批机构", "备注")
BLANK_DOCUMENTS, BLANK_TRIPS = 3, 4   # the paper form's empty lines


def _block(label: str, headings: tuple[str, ...], lines: list[list[str]], blank: int, top: int) -> list[HeaderCell]:
    lines = lines + [[""] * len(headings)] * max(0, blank - len(lines))
    cells = [HeaderCell(top, 0, label, rowspan=1 + len(lines))]
    for r, values in enumerate([list(headings), *lines], start=top):
        cells += [HeaderCell(r, 1 + c, value) for c, value in enumerate(values)]
    return cells


def person_report_sheet(session: Session, actor: Actor, id_number: str, campaign_id: int) -> Sheet:
    from ..services.travel.access import may_see_full_numbers
    from ..services.travel.self_reports import campaign_row, person_for_report

    person = person_for_report(session, id_number, actor)
    campaign = campaign_row(session, campaign_id, actor)
    p = session.connection().execute(select(_persons).where(_persons.c.id == person.id)).one()
    report, documents = report_lines(session, campaign.id, person.id)
    trips = session.connection().execute(
        select(_trips).where(_trips.c.report_id == report.id, _trips.c.submission_seq == report.submission_seq)
        .order_by(_trips.c.line_no)).all() if report else []
    full = may_see_full_numbers(actor, person.org_path)
    unit = "　".join(filter(None, (p.work_unit, p.post)))
    document_lines = [[DOCUMENT_KINDS[d.kind].label, d.number if full else mask_document(d.number),
                       f"{cn_date(d.issued_on)}至{cn_date(d.expires_on)}", d.kept_at or "", d.remark or ""]
                      for d in documents]
    trip_lines = [[f"{cn_date(t.departure_on)}至{cn_date(t.return_on)}", t.destinations, t.reason,
                   t.approving_authority or ("" if t.approved else "未经审批"), t.remark or ""] for t in trips]
    body = [HeaderCell(0, 0, "姓名"), HeaderCell(0, 1, p.name), HeaderCell(0, 2, "单位及职务"),
            HeaderCell(0, 3, unit, colspan=3)]
    body += _block("本人持有因私出入境证件情况", DOCUMENT_HEADINGS, document_lines, BLANK_DOCUMENTS, 1)
    top = max(c.row + c.rowspan for c in body)
    body += _block("本人因私出国(境)情况", TRIP_HEADINGS, trip_lines, BLANK_TRIPS, top)
    top = max(c.row + c.rowspan for c in body)
    notes = (report.notes or "") if report else ""
    body += [HeaderCell(top, 0, "其他需要说明情况"), HeaderCell(top, 1, notes or ("零报告" if report and
                                                                                report.zero_report else ""), colspan=5)]
    state = STATES.get(report.state, report.state) if report else "未报送"
    explained = (f"自查自报活动：{campaign.name}；报告状态：{state}"
                 + (f"（{cn_date(report.confirmed_on)}审核确认）" if report and report.confirmed_on else "") + "。",
                 "各行按本人报告（现行一次报送）所填，报送后登记的证件或行程变化不改变报告内容；证件号码按查看人的权限遮盖。")
    signed = cn_date(report.pledge_signed_on) if report else "　　年　　月　　日"
    return Sheet(
        title=TITLE, header=(), rows=(), body=tuple(body), widths=(12, 18, 16, 18, 14, 12),
        notes=seed.TRAVEL_PERSON_REPORT, explanations=explained,
        footer=f"{report.pledge_text if report else PLEDGE}　本人签名：　　　　　　　{signed}", landscape=False,
        paper="A4", doc_title=f"{TITLE}（{p.name}）")
