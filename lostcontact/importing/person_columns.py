"""The columns of a persons file (the travel-documents registry, docs/travel-documents.md): English and
Chinese headers, which are required, how each cell is read. Light: the web form and the problem files read it."""
from __future__ import annotations

from statemachines.travel.codes import PERSON_TYPES, POLITICAL_STATUSES, RANKS

from . import values
from .columns import Column, _words

rank = values.choice(_words(RANKS, {"厅局级": "bureau", "市厅级": "bureau", "县处级": "county", "处级": "county",
                                    "乡科级": "township", "科级": "township", "一般干部": "staff"}),
                     "职级", "rank", "|".join(RANKS) + " 或 省部级/厅局级/县处级/乡科级/一般国家工作人员/非公职党员/其他")
person_type = values.choice(_words(PERSON_TYPES, {}), "登记备案人员类别", "registered-person type",
                            "|".join(PERSON_TYPES) + " 或其中文名称")
political_status = values.choice(_words(POLITICAL_STATUSES, {"党员": "cpc_member", "预备党员": "cpc_probationary",
                                                             "团员": "league_member"}),
                                 "政治面貌", "political status", "|".join(POLITICAL_STATUSES) + " 或其中文名称")

PERSON_COLUMNS = (
    Column("id_number", "身份证号", values.id_number, required=True, is_id=True,
           aliases=("身份证号码", "公民身份号码", "公民身份证号码")),
    Column("name", "姓名", values.person_name, required=True),
    Column("org_code", "管理单位代码", values.code_text, required=True, aliases=("组织代码", "所在单位代码")),
    Column("rank", "职级", rank, required=True),
    Column("former_names", "曾用名", values.text),
    Column("political_status", "政治面貌", political_status),
    Column("work_unit", "工作单位", values.text),
    Column("post", "职务", values.text),
    Column("household_place", "户口所在地", values.text),
    Column("authority", "人事主管部门", values.text),
    Column("person_type", "登记备案人员类别", person_type, aliases=("人员类别", "备案类别")),
    Column("registered_on", "备案日期", values.a_date, aliases=("备案时间",)),
)
