"""Code tables and the Chinese labels users see (DOMAIN.md §5, §6, §10)."""
from __future__ import annotations

CAUSES = {
    1: "外出务工经商", 2: "单位改制或破产", 3: "毕业后去向不明", 4: "工作单位改变",
    5: "出国（境）", 6: "居住地改变", 7: "其他（注明）",
}
CAUSE_ABROAD = 5

OCCUPATIONS = {
    1: "国有企业解除劳动关系人员", 2: "非公有制企业离职人员", 3: "农村外出务工经商人员",
    4: "机关事业单位离退休人员", 5: "高校毕业生", 6: "街道社区人户分离人员",
    7: "组织关系在人才中心人员", 8: "其他",
}

ORG_TYPES = {
    1: "国有企业", 2: "非公有制企业", 3: "农村", 4: "党政机关", 5: "学校",
    6: "其他事业单位", 7: "街道社区", 8: "社会组织", 9: "其他",
}

FLOW_DIRECTIONS = {
    1: "县域范围内流动", 2: "市内跨县流动", 3: "跨市流动", 4: "跨省流动", 5: "出国（境）", 6: "无固定地点",
}

ORG_LEVELS = {
    "province": "省", "city": "市", "county": "县", "committee": "基层党委",
    "general_branch": "党总支", "branch": "党支部",
}
UPPER_LEVELS = ("county", "city", "province")

STANDINGS = {"full": "正式党员", "probationary": "预备党员"}

CONTACT_KINDS = {"org_life": "组织生活", "dues": "党费", "other": "其他"}

# Search channels by tier (§5). Order matters only for display.
CHANNEL_TIERS: dict[str, dict[str, str]] = {
    "direct": {"phone": "电话", "sms": "短信", "home_visit": "登门走访", "messaging": "微信/网上支部"},
    "informant": {"relatives": "亲属", "neighbours": "邻居", "colleagues": "同事", "classmates": "同学",
                  "friends": "朋友"},
    "hotline": {"hotline_12371": "12371党建热线（联系原籍地组织部门）"},
    "agency": {"household_registry": "户籍系统", "student_registry": "学籍系统", "social_security": "社保平台",
               "medical_insurance": "医保平台", "low_income": "低保信息", "property": "房产信息",
               "business_registration": "经营注册信息", "tax": "税务", "civil_affairs": "民政"},
    "receiving_org": {"receiving_org": "接收单位党组织"},
}
TIER_LABELS = {"direct": "直接联系", "informant": "知情人", "hotline": "12371热线", "agency": "部门信息比对",
               "receiving_org": "接收单位"}
CHANNELS: dict[str, str] = {ch: label for tier in CHANNEL_TIERS.values() for ch, label in tier.items()}
CHANNEL_TIER: dict[str, str] = {ch: tier for tier, chans in CHANNEL_TIERS.items() for ch in chans}

OUTCOMES = {"no_answer": "未联系上", "lead": "获得线索", "reached": "取得联系"}

ROLES = {
    "branch_officer": "党支部书记/组织委员", "committee_reviewer": "基层党委（机关党委）",
    "upper_reviewer": "上级党委组织部门", "supervisor": "督查/统计人员", "admin": "系统管理员",
    "system": "自动督办",
    # the travel-documents programme (PROGRAMMES.md §8)
    "cadre_supervisor": "干部监督（组织人事部门）", "discipline_officer": "纪检监察机关",
    "exit_entry_liaison": "公安出入境管理部门联络员",
}

# The daily rules' alerts in words (DOMAIN.md §4): what a person reads instead of the rule id.
ALERT_RULES = {
    "R2": "五个月预警", "R3": "流动党员失控", "R5": "环节期限", "R7": "限期改正期满", "R8": "停止党籍满两年",
    "R9": "预备党员无法联系", "R10": "集中排查工作节点", "calendar": "节假日数据缺失",
    "T1": "证件逾期未交", "T2": "证件逾期未交回",  # the travel-documents programme (docs/travel-documents.md)
    "T3": "变更备案逾期未报送", "T4": "变更备案逾期未录入",
    "S1": "自查自报逾期未确认", "S2": "自查自报逾期升级督办",
    "F1": "外逃风险",  # the discipline register meets the other programmes (docs/discipline-register.md)
}
ALERT_LEVELS = {"reminder": "提醒", "overdue": "超期", "escalated": "升级督办"}

# A case's history also holds steps no one fires as a lifecycle trigger (lifecycle.TRIGGERS has the rest).
EVENT_LABELS = {"open": "立案"}
