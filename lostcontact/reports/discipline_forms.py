"""The discipline register's forms (seed 000 附件1-1…1-4) as sheets, written by the lost-contact forms' writers:
the seed's columns, its note word for word, the software's explanations apart under 说明. ID numbers are
masked as on every listing."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, TextIO

from models.db import Database
from statemachines.discipline.codes import WHEREABOUTS
from statemachines.errors import BadInput
from statemachines.travel.codes import POLITICAL_STATUSES, RANKS

from ..masking import mask_id
from ..permissions import load_actor
from ..queries import discipline_forms as queries
from ..services.dates import check_as_of
from ..templating import cn_date
from ..uow import UnitOfWork
from . import form_notes as seed
from .kinds import DISCIPLINE_FORMS
from .labels import SEXES
from .layout import HeaderCell, Sheet

FOOTER = "填表人（签字）：　　　　　　联系电话：　　　　　　审核人（签字）："
EXPLAINED = ("本表列出统计时间在册（未取得联系、未归案、未撤销）的登记；身份证号码隐去中间位。",)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _unit_post(r) -> str:
    if r.rank == "party_only":   # 非公职党员: no unit, post or rank (PROGRAMMES.md §1)
        return "/"
    return "".join(v for v in (r.work_unit, r.post) if v)


COMMON = {
    "姓名": (8, lambda r: r.name), "曾用名": (8, lambda r: r.former_names or ""),
    "性别": (5, lambda r: SEXES.get(r.sex or "", "")),
    "政治面貌": (8, lambda r: POLITICAL_STATUSES.get(r.political_status, "") if r.political_status else ""),
    "出生日期": (11, lambda r: cn_date(r.birth_date)),
    "工作单位和职务": (20, _unit_post), "职级": (9, lambda r: "/" if r.rank == "party_only" else RANKS.get(r.rank, "")),
    "身份证号码": (21, lambda r: mask_id(r.id_number)),
}
COLUMNS: dict[str, tuple[tuple[str, int, Callable], ...]] = {
    "lost": (*((n, *COMMON[n]) for n in ("姓名", "性别", "政治面貌", "出生日期", "工作单位和职务", "职级", "身份证号码")),
             ("失联时间", 11, lambda r: cn_date(r.since_on)), ("是否党政纪处分", 8, lambda r: _yes_no(r.disciplined)),
             ("备注", 16, lambda r: r.remarks or "")),
    "fled": (*((n, *COMMON[n]) for n in ("姓名", "曾用名", "性别", "政治面貌", "工作单位和职务", "职级", "身份证号码")),
             ("外逃所持证照信息", 16, lambda r: r.documents_held or ""), ("外逃时间", 11, lambda r: cn_date(r.since_on)),
             ("外逃去向", 12, lambda r: "".join(v for v in (WHEREABOUTS.get(r.whereabouts or "", ""), r.place) if v)),
             ("党政纪处分", 10, lambda r: r.sanction or _yes_no(r.disciplined)),
             ("是否立案", 6, lambda r: "是" if r.case_filed_by else "否"), ("立案单位", 12, lambda r: r.case_filed_by or ""),
             ("立案时间", 11, lambda r: cn_date(r.case_filed_on)), ("涉嫌罪名", 10, lambda r: r.suspected_offence or ""),
             ("涉案金额（万元）", 9, lambda r: f"{r.amount_wan:.2f}" if r.amount_wan is not None else ""),
             ("备注", 12, lambda r: r.remarks or "")),
    "absconded": (*((n, *COMMON[n]) for n in ("姓名", "性别", "政治面貌", "出生日期", "工作单位和职务", "职级", "身份证号码")),
                  ("出走时间", 11, lambda r: cn_date(r.since_on)),
                  ("是否党政纪处分", 8, lambda r: _yes_no(r.disciplined)), ("所属地区", 12, lambda r: r.region or "")),
}
TITLES = {kind: spec.title.split(" ", 1)[1] for kind, spec in DISCIPLINE_FORMS.items()}
NOTES = {"lost": seed.DISCIPLINE_LOST, "fled": seed.DISCIPLINE_FLED, "absconded": seed.DISCIPLINE_ABSCONDED}
ABOVE = {"lost": "填表单位（盖章）：", "fled": "填报单位（盖章）：", "absconded": "填表单位（盖章）:",
         "summary": "填表单位（盖章）:"}  # as each seed writes it


def _above(kind: str, unit: str, as_of: date, filled_on: date) -> tuple[str, ...]:
    return (f"{ABOVE[kind]}{unit}　　　　填表时间：{cn_date(filled_on)}　　　　统计时间：截至{cn_date(as_of)}",)


def entries_sheet(kind: str, rows: list, *, unit: str, as_of: date, filled_on: date) -> Sheet:
    columns = COLUMNS[kind]
    return Sheet(
        title=TITLES[kind], header=(HeaderCell(0, 0, "序号"), *(HeaderCell(0, i, name) for i, (name, _w, _f)
                                                              in enumerate(columns, start=1))),
        rows=([number, *(value(r) for _n, _w, value in columns)] for number, r in enumerate(rows, start=1)),
        widths=(5, *(w for _n, w, _f in columns)), above=_above(kind, unit, as_of, filled_on), notes=NOTES[kind],
        explanations=EXPLAINED, footer=FOOTER, landscape=True, numeric_from=len(columns) + 1,
        doc_title=f"{TITLES[kind]}（{unit}，截至{as_of.isoformat()}）")


SUMMARY_HEADER = (
    HeaderCell(0, 0, "类型\n单位", rowspan=2), HeaderCell(0, 1, "失联（人数）", rowspan=2),
    HeaderCell(0, 2, "出走（人数）", rowspan=2), HeaderCell(0, 3, "外逃（人数）", colspan=2),
    HeaderCell(0, 5, "合计", rowspan=2), HeaderCell(1, 3, "国内"), HeaderCell(1, 4, "国（境）外"),
)


def summary_sheet(rows: list[queries.SummaryRow], total: queries.SummaryRow, *, unit: str, as_of: date,
                  filled_on: date) -> Sheet:
    def values(r):
        return [r.name, r.counts["lost"], r.counts["absconded"], r.counts["fled_domestic"], r.counts["fled_abroad"],
                r.total]

    return Sheet(
        title=TITLES["summary"], header=SUMMARY_HEADER, rows=(values(r) for r in (*rows, total)),
        widths=(26, 10, 10, 10, 10, 10), above=_above("summary", unit, as_of, filled_on),
        explanations=("各行为填报单位本级及其直属单位（含其下属单位）统计时间在册的登记人数；总计为填报单位及其下属全部单位。",
                      "失联、出走、外逃的含义见《失联信息统计表》《出走信息统计表》《外逃信息统计表》的注。"),
        footer=FOOTER, landscape=True, numeric_from=1,
        doc_title=f"{TITLES['summary']}（{unit}，截至{as_of.isoformat()}）")


def render_discipline_form(db: Database, kind: str, *, today: date, org_code: str | None = None,
                           as_of: date | None = None, actor_login: str | None = None, path: Path | None = None,
                           stdout: TextIO | None = None) -> None:
    """`lostcontact discipline form KIND`: the form for the reader's subtree (or `--org`) as of the day."""
    from ..queries.travel.forms import form_root
    from ..services.discipline.access import READERS, may_read
    from .render import _emit_sheet, format_of

    if kind not in DISCIPLINE_FORMS:
        raise BadInput(f"未知表格 {kind}（可用：{'、'.join(DISCIPLINE_FORMS)}）",
                       f"unknown form {kind} (one of {', '.join(DISCIPLINE_FORMS)})")
    fmt = format_of(path, DISCIPLINE_FORMS[kind].formats)
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        root = form_root(s, actor, org_code, roles=READERS, readable=may_read)
        dated = {"unit": root.name, "as_of": day, "filled_on": today}
        if kind == "summary":
            sheet = summary_sheet(*queries.summary(s, root, day), **dated)
        else:
            sheet = entries_sheet(kind, queries.open_entries(s, root, day, kind), **dated)
    _emit_sheet(sheet, fmt, path, stdout, kind)
