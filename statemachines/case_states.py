"""The case lifecycle's states and triggers by name, with their Chinese labels (DOMAIN.md §6).

Kept apart from statemachines.lifecycle, which builds the state machine (and imports `transitions`): a
command that only reads cases needs the names and labels, not the machine (the command line starts fast).
"""
from __future__ import annotations

STATES = {
    "lost_contact": "失联登记", "searching": "联系查找", "verifying": "表现调查核实",
    "branch_proposal": "支委会初步处置意见", "committee_prereview": "基层党委预审意见",
    "upper_prereview": "上级党委组织部门预审意见", "meeting_resolution": "支部党员大会决议",
    "final_approval": "基层党委审核（审批）意见", "upper_approval": "上级党委组织部门审批意见",
    "closed": "已办结", "deceased": "确认死亡", "voided": "已撤销",
}
TERMINAL_OR_CLOSED = ("closed", "deceased", "voided")
OPEN_STATES = tuple(s for s in STATES if s not in TERMINAL_OR_CLOSED)

TRIGGERS = {
    "start_search": "开始查找", "reach": "取得联系", "exhaust": "确实无法取得联系", "propose": "提出初步处置意见",
    "submit": "报送预审", "agree": "同意", "resolve": "党员大会通过", "reject": "党员大会未通过",
    "approve": "批准", "return": "退回", "confirm_death": "确认死亡", "record_expulsion": "记录开除党籍",
    "void": "撤销", "reopen": "重新启动", "withdraw_reopen": "撤回重新启动",
}
