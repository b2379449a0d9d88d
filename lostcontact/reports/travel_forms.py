"""The travel programme's forms (PROGRAMMES.md §7) as sheets, written by the same HTML/XLSX/PDF writers as the
lost-contact forms. Seed 002 附件3 干部因私出国（境）管理工作有关情况统计表: per org, its registration
(国家工作人员总数, 应备数, 实备数 and its four kinds), its private documents (应收数, 实收数, those in custody by
kind) and its rules on private travel (“应建尽建”)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TextIO

from models.db import Database
from statemachines.errors import BadInput, UsageError

from ..permissions import load_actor
from ..queries.travel import forms as queries
from ..services.dates import check_as_of
from ..templating import cn_date
from ..uow import UnitOfWork
from . import form_notes as seed
from .kinds import TRAVEL_FORMS
from .layout import HeaderCell, Sheet

MANAGEMENT_HEADER = (
    HeaderCell(0, 0, "序号", rowspan=3), HeaderCell(0, 1, "地区、单位（部门）", rowspan=3),
    HeaderCell(0, 2, "登记备案数情况", colspan=7), HeaderCell(0, 9, "因私出国（境）证件情况", colspan=5),
    HeaderCell(0, 14, "出国（境）管理制度情况", colspan=2),
    HeaderCell(1, 2, "国家工作人员总数", rowspan=2), HeaderCell(1, 3, "应备数", rowspan=2),
    HeaderCell(1, 4, "实备数", rowspan=2), HeaderCell(1, 5, "实际登记备案人数", colspan=4),
    HeaderCell(1, 9, "应收数", rowspan=2), HeaderCell(1, 10, "实收数", rowspan=2),
    HeaderCell(1, 11, "因私证件集中保管情况", colspan=3),
    HeaderCell(1, 14, "是否建立相关制度（是/否）", rowspan=2), HeaderCell(1, 15, "制度名称及出台时间", rowspan=2),
    HeaderCell(2, 5, "退休满1年的市管干部"), HeaderCell(2, 6, "本地本单位管理的人员"),
    HeaderCell(2, 7, "下属单位管理的人员"), HeaderCell(2, 8, "其他人员"),
    HeaderCell(2, 11, "因私护照"), HeaderCell(2, 12, "往来港澳通行证"), HeaderCell(2, 13, "大陆居民往来台湾通行证"),
)
REGISTERED_COLUMNS = (queries.RETIRED_CITY_CADRES, queries.OWN, queries.BELOW, queries.OTHERS)
MANAGEMENT_EXPLAINED = (
    "各数按登记的人员、证件及其记录统计，截至统计时间。第一行为填表单位及其下属全部单位，以下各行为其直属单位（含其下属单位）；"
    "填表单位本级管理的人员只计入第一行。",
    "国家工作人员总数：登记的人员中非“非公职党员”的人数。应备数：有登记备案人员类别的人数。实备数：统计时间已备案"
    "（含变更待重新备案）的人数，按“退休满1年的市管干部”，“其他人员”（企业法人或领导人员、“裸官”配偶或子女、其他），"
    "其余按管理单位是本行单位本身（本地本单位管理）或其下属单位分列，四项之和等于实备数。",
    "应收数：已备案人员有效的因私证件（本人持有、集中保管或领用出境中，不含已报失、注销的）。实收数：其中已交组织集中保管的"
    "（含凭审批件领用出境中的）。因私证件集中保管情况：统计时间在柜保管的证件数，按证件类别。",
    "出国（境）管理制度情况：本行单位本身登记的制度中，出台时间在统计时间之前（含当日）的。",
)


def management_sheet(rows: list[queries.ManagementRow], *, as_of: date, filled_on: date) -> Sheet:
    root = rows[0]

    def values():
        for number, row in enumerate(rows):
            rules = "；".join(f"{name}（{cn_date(issued)}）" for name, issued in row.rules)
            yield [number or "", row.name if number else f"{row.name}（合计）", row.state_employees,
                   row.should_register, row.registered_total, *(row.registered[c] for c in REGISTERED_COLUMNS),
                   row.should_hand_in, row.received, *(row.in_custody[k] for k in queries.CUSTODY_KINDS),
                   "是" if row.rules else "否", rules]

    return Sheet(
        title="干部因私出国（境）管理工作有关情况统计表", header=MANAGEMENT_HEADER, rows=values(),
        widths=(5, 22, 9, 7, 7, 9, 9, 9, 7, 7, 7, 8, 8, 9, 9, 26),
        above=(f"填表单位（盖章）：{root.name}　　　　填表时间：{cn_date(filled_on)}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=seed.TRAVEL_MANAGEMENT, explanations=MANAGEMENT_EXPLAINED,
        footer="填表人：　　　　　　联系电话：　　　　　　审核人：", landscape=True, numeric_from=2,
        doc_title=f"干部因私出国（境）管理工作有关情况统计表（{root.name}，截至{as_of.isoformat()}）")


def render_travel_form(db: Database, kind: str, *, today: date, org_code: str | None = None, as_of: date | None = None,
                       actor_login: str | None = None, path: Path | None = None, stdout: TextIO | None = None,
                       campaign_id: int | None = None, person: str | None = None) -> None:
    """`lostcontact travel-form KIND`: the form for the reader's subtree (or `--org`) as of the day (of a
    self-report campaign, `--campaign`, for the forms that count one; a person's report, `--person`)."""
    from .render import _emit_sheet, format_of
    from .travel_campaign_forms import CAMPAIGN_FORMS
    from .travel_self_check import SELF_CHECK_FORMS, render_self_check
    PERSON_FORMS = (*SELF_CHECK_FORMS, "person-report")

    if kind not in TRAVEL_FORMS:
        raise BadInput(f"未知表格 {kind}（可用：{'、'.join(TRAVEL_FORMS)}）",
                       f"unknown form {kind} (one of {', '.join(TRAVEL_FORMS)})")
    fmt = format_of(path, TRAVEL_FORMS[kind].formats)
    day = check_as_of(as_of, today)
    if kind in (*CAMPAIGN_FORMS, *PERSON_FORMS, "rectification") and campaign_id is None:
        raise UsageError(f"{kind} 须指定自查自报活动（--campaign）", f"{kind} needs the self-report campaign (--campaign)")
    if kind in PERSON_FORMS and not person:
        raise UsageError(f"{kind} 须指定填表人的身份证号码（--person）", f"{kind} needs the person's ID number (--person)")
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        if kind in SELF_CHECK_FORMS:
            sheet = render_self_check(s, actor, kind, person, campaign_id)
        elif kind == "person-report":
            from .travel_person_report import person_report_sheet
            sheet = person_report_sheet(s, actor, person, campaign_id)
        else:
            sheet = _subtree_sheet(s, actor, kind, queries.form_root(s, actor, org_code), day, today, campaign_id)
    _emit_sheet(sheet, fmt, path, stdout, kind)


def _subtree_sheet(s, actor, kind: str, root, day: date, today: date, campaign_id: int | None) -> Sheet:
    """A form over the root's subtree: its rows are the root and each org directly below it."""
    from .travel_campaign_forms import CAMPAIGN_FORMS, holding_sheet

    if kind == "rectification":
        from ..queries.travel.rectification_forms import rectification_summary
        from ..services.travel.self_reports import campaign_row
        from .travel_governance_forms import rectification_sheet
        campaign = campaign_row(s, campaign_id, actor)
        return rectification_sheet(rectification_summary(s, root, campaign, day), campaign=campaign, as_of=day,
                                   filled_on=today)
    if kind in CAMPAIGN_FORMS:
        from ..queries.travel.campaign_forms import holding_summary
        from ..services.travel.self_reports import campaign_row
        campaign = campaign_row(s, campaign_id, actor)
        layout = CAMPAIGN_FORMS[kind]
        return holding_sheet(layout, holding_summary(s, root, campaign, day, layout.query),
                             campaign_name=campaign.name, as_of=day, filled_on=today)
    if kind == "query":
        from .travel_query_form import query_sheet
        return query_sheet(s, actor, root, day, filled_on=today)
    if kind == "governance":
        from ..queries.travel.governance_forms import governance_summary
        from .travel_governance_forms import governance_sheet
        return governance_sheet(governance_summary(s, root, day), as_of=day, filled_on=today)
    return management_sheet(queries.management_summary(s, root, day), as_of=day, filled_on=today)
