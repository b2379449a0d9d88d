"""The value lists of the member fields seed 003 附件1 asks for (its 填表要求和指标解释 notes 2, 6 and 7), and
the shorter code lists of the mobile-member forms (附件4 notes 3 and 5), with how the canonical codes of
codes.py map onto them (DOMAIN.md §10: "map to those only when rendering those forms").

English ids are what the database and JSON hold; the Chinese labels are the seed's words."""
from __future__ import annotations

# 附件1 note 2: 婚姻状况填写未婚、已婚、离婚、复婚。
MARITAL_STATUSES = {"unmarried": "未婚", "married": "已婚", "divorced": "离婚", "remarried": "复婚"}

# 附件1 note 7: 出国后与组织联系情况 … 分定期、不定期、失去联系等 (the three the note names)
ABROAD_CONTACTS = {"regular": "定期", "irregular": "不定期", "lost": "失去联系"}

# 附件1 note 7: 党籍处理方式，指出国（境）前党员申请保留党籍（三个月、六个月、一年、二年、三年、三年以上）、未办理、停止党籍
MEMBERSHIP_HANDLINGS = {
    "retain_3m": "保留党籍（三个月）", "retain_6m": "保留党籍（六个月）", "retain_1y": "保留党籍（一年）",
    "retain_2y": "保留党籍（二年）", "retain_3y": "保留党籍（三年）", "retain_over_3y": "保留党籍（三年以上）",
    "not_handled": "未办理", "suspended": "停止党籍",
}

# 附件1 note 7: 恢复组织生活情况 … 分已恢复、已申请未恢复、未申请
LIFE_RESUMPTIONS = {"resumed": "已恢复", "applied": "已申请未恢复", "not_applied": "未申请"}

# 附件4 note 3: 职业 ①–⑤
MOBILE_OCCUPATIONS = {1: "企业解除劳动关系人员", 2: "离退休干部职工", 3: "未就业的高校毕业生", 4: "外出务工人员",
                      5: "其他"}
# codes.OCCUPATIONS (附件5's ①–⑧) → 附件4's ①–⑤ (a member without an occupation has none here either)
OCCUPATION_TO_MOBILE = {1: 1, 2: 1, 3: 4, 4: 2, 5: 3, 6: 5, 7: 5, 8: 5}

# 附件4 note 5: 党组织类型 ①–⑩
MOBILE_ORG_TYPES = {1: "农村", 2: "街道社区", 3: "党政机关", 4: "国有企业", 5: "非公企业", 6: "社会组织",
                    7: "公共就业和人才服务机构", 8: "学校", 9: "其他事业单位", 10: "其他"}
# codes.ORG_TYPES (附件5's ①–⑨) → 附件4's ①–⑩ (⑦ has no canonical counterpart: no org is typed so)
ORG_TYPE_TO_MOBILE = {1: 4, 2: 5, 3: 1, 4: 3, 5: 8, 6: 9, 7: 2, 8: 6, 9: 10}


def mobile_occupation(occupation: int | None) -> int | None:
    return OCCUPATION_TO_MOBILE.get(occupation or 0)


def mobile_org_type(org_type: int | None) -> int | None:
    return ORG_TYPE_TO_MOBILE.get(org_type or 0)
