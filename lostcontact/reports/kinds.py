"""What can be written: the tally's formats and the registers with theirs.

A module of its own, importing nothing heavy, so the command line can list them in its help without
importing the writers (Jinja2, openpyxl, WeasyPrint)."""
from __future__ import annotations

from dataclasses import dataclass

TALLY_FORMATS = ("table", "json", "csv", "xlsx", "html", "pdf")
SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".pdf": "pdf", ".csv": "csv", ".json": "json"}


@dataclass(frozen=True)
class RegisterKind:
    title: str
    formats: tuple[str, ...]


REGISTERS: dict[str, RegisterKind] = {
    "search-record": RegisterKind("附件3 查找联系失联党员情况记录表", ("html", "xlsx", "pdf")),
    "found": RegisterKind("附件5 经查找取得联系党员登记表", ("html", "xlsx", "pdf")),
    "unreached": RegisterKind("附件6 经查找仍然无法取得联系党员登记表", ("html", "xlsx", "pdf")),
    "summary": RegisterKind("附件7 与党组织失去联系党员情况汇总表", ("html", "xlsx", "pdf")),
    "disposition-summary": RegisterKind("附件9 与党组织失去联系党员管理及处置情况汇总表", ("html", "xlsx", "pdf")),
    "roster": RegisterKind("失联党员名册", ("html", "xlsx", "pdf")),
    # seed 004's own 登记表: 附件6's members, filled by a 党（工）委 for the county organisation department
    "unreached-committee": RegisterKind("党（工）委报县委组织部 经查找仍然无法取得联系党员登记表", ("html", "xlsx", "pdf")),
    # from the roster rather than the cases (reports/member_forms.py)
    "member-info": RegisterKind("附件1 党员基本信息表", ("html", "xlsx", "pdf")),
    "member-roster": RegisterKind("附件2 党员名册", ("html", "xlsx", "pdf")),
    "mobile": RegisterKind("附件4 外出流动党员登记表", ("html", "xlsx", "pdf")),
    "mobile-summary": RegisterKind("附件8 外出流动党员情况汇总表", ("html", "xlsx", "pdf")),
}
MEMBER_FORMS = ("member-info", "member-roster", "mobile", "mobile-summary")

# The travel programme's forms (PROGRAMMES.md §7; `lostcontact travel-form KIND`, reports/travel_forms.py)
TRAVEL_FORMS: dict[str, RegisterKind] = {
    "management": RegisterKind("绍兴市卫健委附件3 干部因私出国（境）管理工作有关情况统计表", ("html", "xlsx", "pdf")),
    "query": RegisterKind("连云港市附件1 登记备案人员因私出国（境）信息查询表", ("html", "xlsx", "pdf")),
    "governance": RegisterKind("连云港市附件2 专项治理工作情况汇总统计表", ("html", "xlsx", "pdf")),
    # of a self-report campaign (--campaign; reports/travel_campaign_forms.py)
    "id-card-summary": RegisterKind("河南省附件2-3 党员和国家工作人员持有身份证情况汇总表", ("html", "xlsx", "pdf")),
    "document-summary": RegisterKind("河南省附件2-4 党员和国家工作人员持有出国（境）证件情况汇总表",
                                     ("html", "xlsx", "pdf")),
    "rectification": RegisterKind("绍兴市卫健委附件2 干部因私出国（境）专项整治工作情况汇总统计表", ("html", "xlsx", "pdf")),
    # a person's self-report (--campaign, --person; reports/travel_self_check.py)
    "id-card-check": RegisterKind("河南省附件2-1 党员和国家工作人员持有身份证情况自查表", ("html", "xlsx", "pdf")),
    "person-report": RegisterKind("绍兴市卫健委附件1 国家工作人员持有因私出入境证件和因私出国（境）情况报告表",
                                  ("html", "xlsx", "pdf")),
    "document-check": RegisterKind("河南省附件2-2 党员和国家工作人员持有出国（境）证件情况自查表", ("html", "xlsx", "pdf")),
}

# The discipline register's forms (seed 000 附件1-1…1-4; `lostcontact discipline form KIND`,
# reports/discipline_forms.py)
DISCIPLINE_FORMS: dict[str, RegisterKind] = {
    "lost": RegisterKind("附件1-1 河南省党员和国家工作人员失联信息统计表", ("html", "xlsx", "pdf")),
    "fled": RegisterKind("附件1-2 河南省党员和国家工作人员外逃信息统计表", ("html", "xlsx", "pdf")),
    "absconded": RegisterKind("附件1-3 河南省党员和国家工作人员出走信息统计表", ("html", "xlsx", "pdf")),
    "summary": RegisterKind("附件1-4 河南省党员和国家工作人员失联、外逃、出走信息汇总表", ("html", "xlsx", "pdf")),
}
