"""The travel-documents programme's code tables and the Chinese labels people read (PROGRAMMES.md §1, §2)."""
from __future__ import annotations

from dataclasses import dataclass

# 职级: the rows of every summary, in their order.
RANKS = {
    "provincial": "省部级", "bureau": "厅局级", "county": "县处级", "township": "乡科级",
    "staff": "一般国家工作人员", "party_only": "非公职党员", "other": "其他",
}

# 登记备案人员类别 (seed 001 note 3, seed 002 表3). A person with a type should be registered (应备).
PERSON_TYPES = {
    "township_leader": "县（区）管乡科级党政领导干部",
    "city_unit_middle_manager": "市直属单位的中层负责人",
    "county_level_serving": "县处级以上在职干部",
    "bureau_level_retired": "厅局级以上离退休人员",
    "city_cadre_retired": "退休满1年的市管干部",
    "enterprise_leader": "企业法人或领导人员",
    "sensitive_post": "安全、涉密等重要岗位人员",
    "naked_official": "“裸官”配偶或子女",
    "other": "其他",
}

POLITICAL_STATUSES = {
    "cpc_member": "中共党员", "cpc_probationary": "中共预备党员", "league_member": "共青团员",
    "democratic_party": "民主党派", "masses": "群众",
}

REGISTRATION_STATUSES = {"unregistered": "未备案", "registered": "已备案", "changed": "变更备案",
                         "revoked": "撤销备案"}
# On file with the exit-entry administration (a `changed` person still is: the change is to be re-filed).
ON_FILE = ("registered", "changed")


@dataclass(frozen=True)
class DocumentKind:
    label: str
    private: bool
    family: str   # documents of one family are the same kind of document, official or private


DOCUMENT_KINDS = {
    "resident_id": DocumentKind("居民身份证", False, "resident_id"),
    "passport_official": DocumentKind("因公护照", False, "passport"),
    "passport_private": DocumentKind("因私护照（普通护照）", True, "passport"),
    "hkmo_official": DocumentKind("因公往来港澳通行证", False, "hkmo"),
    "hkmo_private": DocumentKind("因私往来港澳通行证", True, "hkmo"),
    "taiwan": DocumentKind("大陆居民往来台湾通行证", True, "taiwan"),
}
PRIVATE_KINDS = tuple(k for k, v in DOCUMENT_KINDS.items() if v.private)

# ---- police records and problems (PROGRAMMES.md §4) -------------------------------------------------

# what the exit-entry administration records of a document it holds on file
HOLDING_STATUSES = {"valid": "有效", "expired": "过期", "revoked": "吊销/注销", "lost": "挂失"}
CROSSING_DIRECTIONS = {"exit": "出境", "entry": "入境"}

# 问题: the checks' kinds (P1–P7, M1: found in SQL) and the police side's (Q1–Q3: recorded by hand).
PROBLEM_KINDS = {
    "P1": "违规办理因私出国（境）证件",
    "P2": "违规持有因私出国（境）证件",
    "P3": "瞒报持有因私出国（境）证件",
    "P4": "未经批准擅自因私出国（境）",
    "P5": "未按审批要求因私出国（境）",
    "P6": "瞒报因私出国（境）情况",
    "P7": "审批因私出国（境）事项把关不严",
    "M1": "一人多证",
    "Q1": "弄虚作假、伪造变造或买卖使用伪造证件",
    "Q2": "未经组织人事部门审批擅自为登记备案人员办证",
    "Q3": "未按干部管理权限擅自出具出国（境）证明",
}
# The kinds the registry finds by itself (services/travel/checks.py), in the order the checks run; Q1–Q3 are
# recorded by hand.
AUTOMATIC_CHECKS = ("M1", "P2", "P1", "P3", "P4", "P5", "P6", "P7")
RECORDED_BY_HAND = ("Q1", "Q2", "Q3")

PROBLEM_STATUSES = {"found": "已发现", "verifying": "核查中", "handled": "已处理", "dismissed": "已排除"}

# 处理方式 (seed 001 附件2 and seed 000's groups): one problem may get several
MEASURES = {
    "criticism": "批评教育", "admonition": "诫勉谈话", "transfer": "调离岗位", "ordered_resignation": "责令辞职",
    "removal": "免职", "demotion": "降职", "referral_discipline": "移交纪检监察机关",
    "party_government_sanction": "党政纪处分", "organisational_handling": "组织处理",
    "referral_judicial": "移送司法机关",
}
