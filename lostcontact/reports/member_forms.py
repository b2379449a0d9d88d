"""The member forms of seed 003 as sheets and pages, written by the shared writers (reports/html.py, xlsx.py,
pdf.py) like every register:

    member-info     附件1 党员基本信息表 (a page per member; the XLSX is one row per member)
    member-roster   附件2 党员名册 (special-type members noted in 备注, note 2)
    mobile          附件4 外出流动党员登记表 (its own code lists; no lost member, note 6)
    mobile-summary  附件8 外出流动党员情况汇总表 (per org, rolled up the tree)

Each carries its seed notes word for word (reports/form_notes.py); what this software adds is its 说明."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from models.db import Database
from statemachines.codes import FLOW_DIRECTIONS, STANDINGS
from statemachines.member_codes import (ABROAD_CONTACTS, LIFE_RESUMPTIONS, MARITAL_STATUSES, MEMBERSHIP_HANDLINGS,
                                        MOBILE_OCCUPATIONS, mobile_occupation, mobile_org_type)

from ..permissions import load_actor
from ..queries import member_forms as queries
from ..queries.member_forms import MOBILE_SUMMARY_KEYS, MemberInfo
from ..queries.tally import TallyNode, tally_root
from ..templating import circled, cn_date
from ..uow import UnitOfWork
from .labels import SEXES
from .layout import HeaderCell, Sheet
from . import form_notes as seed
from .registers import Field, _field_header
from .summaries import _org_rows

FOOTER = "填表人：　　　　　　联系电话：　　　　　　审核人：　　　　　　填报日期："
FROM_ROSTER = "本表按党员名册现有信息生成，列入截至统计时间已入党的党员；身份证号码按查看人的权限遮盖。"



def remarks(row: MemberInfo) -> str:
    """备注 of 附件2: the special types note 2 asks for (外出流动, 出国（境）), and the other types the campaign
    tracks (失联, 预备党员)."""
    parts = []
    if row.away:
        parts.append("外出流动党员")
    if row.abroad:
        parts.append("出国（境）党员")
    if row.lost:
        parts.append("失联党员")
    if row.standing == "probationary":
        parts.append("预备党员")
    return "；".join(parts)


def _label(table: dict, key) -> str:
    return table.get(key, "") if key is not None else ""


def family_birth(month: str | None) -> str:
    """A family member's 出生年月, kept as YYYY-MM, written 1986年3月 like every date of the forms."""
    return cn_date(date.fromisoformat(month + "-01"), "month") if month else ""


def family_text(row: MemberInfo) -> str:
    return "；".join(" ".join(p for p in (f["relation"], f["name"], family_birth(f.get("birth")),
                                          f.get("political") or "", f.get("work") or "") if p) for f in row.family)


IDENTITY = (
    Field("姓名", 8, lambda r: r.name),
    Field("性别", 5, lambda r: SEXES.get(r.sex or "", "")),
    Field("民族", 6, lambda r: r.ethnicity or ""),
    Field("出生年月", 10, lambda r: cn_date(r.birth_date, "month")),
    Field("身份证号码", 21, lambda r: r.id_number),
)
JOINED = Field("入党时间", 12, lambda r: cn_date(r.join_date))
BRANCH = Field("所在党支部", 16, lambda r: r.branch.name)
PHONE = Field("联系电话", 13, lambda r: r.phone or "")

FLOW_GROUP, ABROAD_GROUP = "党员流动信息", "出国（境）情况"
FLOW = (
    Field("外出流向", 10, lambda r: _label(FLOW_DIRECTIONS, r.flow_direction) if r.mobile else "", FLOW_GROUP),
    Field("外出原因", 10, lambda r: (r.flow_reason or "") if r.mobile else "", FLOW_GROUP),
    Field("流动党员活动证编号", 12, lambda r: (r.flow_card_no or "") if r.mobile else "", FLOW_GROUP),
    Field("流入单位", 14, lambda r: (r.receiving_unit or "") if r.mobile else "", FLOW_GROUP),
)
ABROAD = (
    Field("出国日期", 12, lambda r: cn_date(r.abroad_date), ABROAD_GROUP),
    Field("出国原因", 8, lambda r: r.abroad_reason or "", ABROAD_GROUP),
    Field("出国后与组织联系情况", 8, lambda r: _label(ABROAD_CONTACTS, r.abroad_contact), ABROAD_GROUP),
    Field("党籍处理方式", 12, lambda r: _label(MEMBERSHIP_HANDLINGS, r.membership_handling), ABROAD_GROUP),
    Field("回国日期", 12, lambda r: cn_date(r.return_date), ABROAD_GROUP),
    Field("恢复组织生活情况", 9, lambda r: _label(LIFE_RESUMPTIONS, r.life_resumption), ABROAD_GROUP),
)
INFO_FIELDS = (
    *IDENTITY, JOINED, Field("党员类别", 8, lambda r: STANDINGS.get(r.standing, "")),
    Field("婚姻状况", 6, lambda r: _label(MARITAL_STATUSES, r.marital_status)),
    Field("参加工作时间", 12, lambda r: cn_date(r.work_start_date)),
    Field("学历", 8, lambda r: r.education or ""), Field("学位", 8, lambda r: r.degree or ""),
    Field("毕业院校", 14, lambda r: r.school or ""), Field("现任党内职务", 12, lambda r: r.party_post or ""),
    PHONE, BRANCH, *FLOW, *ABROAD, Field("家庭主要成员及重要社会关系", 30, family_text),
)
ROSTER_FIELDS = (
    *IDENTITY, Field("学历", 8, lambda r: r.education or ""), JOINED,
    Field("党员类别", 8, lambda r: STANDINGS.get(r.standing, "")),
    Field("参加工作时间", 12, lambda r: cn_date(r.work_start_date)),
    Field("现任党内职务", 12, lambda r: r.party_post or ""), PHONE, BRANCH, Field("备注", 16, remarks),
)
MOBILE_FIELDS = (
    *(f for f in IDENTITY if f.label != "民族"), JOINED,
    Field("职业", 5, lambda r: circled(mobile_occupation(r.occupation))),
    Field("外出时间", 12, lambda r: cn_date(r.away_since)),
    Field("外出流向", 5, lambda r: circled(r.flow_direction)),
    Field("外出原因", 10, lambda r: r.flow_reason or ""), Field("流入单位", 14, lambda r: r.receiving_unit or ""),
    Field("流动党员活动证编号", 12, lambda r: r.flow_card_no or ""), PHONE, BRANCH,
    Field("党组织类型", 6, lambda r: circled(mobile_org_type(r.branch.org_type))),
    Field("备注", 12, lambda r: "；".join(p for p in ("预备党员" if r.standing == "probationary" else "",
                                                      "出国（境）党员" if r.abroad else "") if p)),
)

INFO_EXPLAINED = (FROM_ROSTER, "家庭主要成员按“称谓 姓名 出生年月 政治面貌 工作单位及职务”列出。")
ROSTER_EXPLAINED = (FROM_ROSTER, "备注栏另注明失联党员（截至统计时间有失联案件且尚未取得联系的党员）和预备党员。")
MOBILE_EXPLAINED = (
    FROM_ROSTER,
    "外出流动党员为党员名册中登记为流动党员、截至统计时间已外出的党员；截至统计时间与党组织失去联系的党员不列入（注6）。",
    "职业和党组织类型由党员名册的职业代码（①–⑧）和党组织类别代码（①–⑨）换算为本表代码：国有企业解除劳动关系人员、"
    "非公有制企业离职人员为①，机关事业单位离退休人员为②，高校毕业生为③，农村外出务工经商人员为④，其余为⑤；"
    "党组织类别国有企业为④，非公有制企业为⑤，农村为①，党政机关为③，学校为⑧，其他事业单位为⑨，街道社区为②，"
    "社会组织为⑥，其他为⑩。职业未登记的空白。",
)
SUMMARY_EXPLAINED = (
    "本表由各党支部的《外出流动党员登记表》逐级汇总（每一上级组织一行等于其所属各组织之和），与同一统计时间的登记表人数一致；"
    "截至统计时间与党组织失去联系的党员不计入。",
    "职业按《外出流动党员登记表》的代码（①–⑤）统计，外出流向按①–⑥统计；“未填”为党员名册中未登记的人数。",
)


def _sheet(title: str, fields: tuple[Field, ...], rows: Iterable[MemberInfo], *, unit_name: str, as_of: date,
           filled_on: date, notes: tuple[str, ...],
           explanations: tuple[str, ...]) -> Sheet:
    def values() -> Iterator[list]:
        for index, row in enumerate(rows, start=1):
            yield [index, *(f.value(row) for f in fields)]
    return Sheet(title=title, header=_field_header(fields), rows=values(), widths=(5, *(f.width for f in fields)),
                 above=(f"填报单位（盖章）：{unit_name}　　　　统计时间：截至{cn_date(as_of)}",), notes=notes, notes_title=seed.NOTES_TITLE,
                 explanations=explanations,
                 footer=FOOTER + cn_date(filled_on), landscape=True, numeric_from=len(fields) + 1,
                 doc_title=f"{title}（{unit_name}，截至{as_of.isoformat()}）")


def member_info_sheet(rows, **kw) -> Sheet:
    return _sheet("党员基本信息表", INFO_FIELDS, rows, notes=seed.MEMBER_INFO, explanations=INFO_EXPLAINED, **kw)


def member_roster_sheet(rows, **kw) -> Sheet:
    return _sheet("党员名册", ROSTER_FIELDS, rows, notes=seed.MEMBER_ROSTER, explanations=ROSTER_EXPLAINED, **kw)


def mobile_sheet(rows, **kw) -> Sheet:
    return _sheet("外出流动党员登记表", MOBILE_FIELDS, rows, notes=seed.MOBILE, explanations=MOBILE_EXPLAINED, **kw)


MOBILE_SUMMARY_HEADER = (
    HeaderCell(0, 0, "单位", rowspan=2), HeaderCell(0, 1, "外出流动党员人数", rowspan=2),
    HeaderCell(0, 2, "其中：预备党员", rowspan=2),
    HeaderCell(0, 3, "职业", colspan=6),
    *(HeaderCell(1, 2 + i, circled(i)) for i in range(1, 6)), HeaderCell(1, 8, "未填"),
    HeaderCell(0, 9, "外出流向", colspan=7),
    *(HeaderCell(1, 8 + i, circled(i)) for i in range(1, 7)), HeaderCell(1, 15, "未填"),
    HeaderCell(0, 16, "持《流动党员活动证》人数", rowspan=2),
)
SUMMARY_ORDER = ("total", "probationary", *(f"occupation{i}" for i in range(1, 6)), "occupation_unknown",
                 *(f"direction{i}" for i in range(1, 7)), "direction_unknown", "card")
assert sorted(SUMMARY_ORDER) == sorted(MOBILE_SUMMARY_KEYS)


def mobile_summary_sheet(tree: TallyNode, *, as_of: date, filled_on: date) -> Sheet:
    code_notes = ("职业：" + "；".join(f"{circled(k)}{v}" for k, v in MOBILE_OCCUPATIONS.items()) + "。",
                  "外出流向：" + "；".join(f"{circled(k)}{v}" for k, v in FLOW_DIRECTIONS.items()) + "。")
    return Sheet(
        title="外出流动党员情况汇总表", header=MOBILE_SUMMARY_HEADER,
        rows=_org_rows(tree, lambda n: [n.columns[k] for k in SUMMARY_ORDER]),
        widths=(24, 10, 8, *(5,) * 6, *(5,) * 7, 12),
        above=(f"填报单位（盖章）：{tree.name}　　　　统计时间：截至{cn_date(as_of)}",),
        notes=seed.MOBILE_SUMMARY, notes_title=seed.NOTES_TITLE, explanations=(*SUMMARY_EXPLAINED, *code_notes),
        footer=FOOTER + cn_date(filled_on), landscape=True, numeric_from=1,
        doc_title=f"外出流动党员情况汇总表（{tree.name}，截至{as_of.isoformat()}）")


# ---- producing them --------------------------------------------------------------------------------------

def render_member_form(db: Database, kind: str, fmt: str, *, day: date, today: date, org_code: str | None,
                       actor_login: str | None, path: Path | None, stdout: TextIO | None) -> None:
    """What `lostcontact render register KIND` does for the four member forms (render.render_register)."""
    from .html import render_html, write_html
    from .render import _emit_sheet, _emit_text
    from .pdf import write_pdf
    from .labels import LABELS

    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        root = tally_root(s, actor, org_code)
        dated = {"as_of": day, "filled_on": today}
        if kind == "mobile-summary":
            _emit_sheet(mobile_summary_sheet(queries.mobile_summary(s, root, day), **dated), fmt, path, stdout, kind)
            return
        rows = queries.member_rows(s, root, day, actor, only_away=kind == "mobile")
        if kind == "member-info" and fmt != "xlsx":
            context = {"rows": rows, "unit": root, "as_of": day, "filled_on": today, "labels": LABELS,
                       "codes": INFO_LABELS, "notes": seed.MEMBER_INFO, "notes_title": seed.NOTES_TITLE,
                       "explanations": INFO_EXPLAINED, "footer": ""}
            if fmt == "pdf":
                write_pdf(render_html("forms/member_info.html", **context), path)
            else:
                _emit_text(path, stdout, lambda out: write_html("forms/member_info.html", out, **context))
            return
        build = {"member-info": member_info_sheet, "member-roster": member_roster_sheet, "mobile": mobile_sheet}[kind]
        _emit_sheet(build(rows, unit_name=root.name, **dated), fmt, path, stdout, kind)


INFO_LABELS = {"marital": MARITAL_STATUSES, "abroad_contacts": ABROAD_CONTACTS, "handlings": MEMBERSHIP_HANDLINGS,
               "resumptions": LIFE_RESUMPTIONS, "flow_directions": FLOW_DIRECTIONS, "birth": family_birth}
