"""The alert list (超期预警 → 预警与督办信息) as an XLSX sheet: the filtered rows in the list's order, ID
numbers masked, names and org names as the page shows them, every typed text neutralised."""
from __future__ import annotations

from datetime import date
from typing import BinaryIO, Iterable

from openpyxl import Workbook

from ..queries.alerts import AlertRow
from .cells import inert

LIGHT_WORDS = {"yellow": "黄灯", "red": "红灯", "escalated": "紫灯（升级督办）"}
HEADER = ("信号灯", "预警类别", "级别", "对象", "党员姓名", "身份证号", "案件编号", "接收组织", "接收组织代码",
          "期限", "发出日期", "内容")


# the travel programme's change reports (T3, T4: docs/travel-documents.md)
SUBJECT_WORDS = {"regchg": "备案变更", "regrpt": "变更备案报送"}


def subject_words(row: AlertRow) -> str:
    if row.subject_kind == "case":
        return f"案件 {row.case_id}"
    if row.subject_kind == "member":
        return "党员"
    if row.subject_kind == "org":
        return f"组织 {row.subject_org[1]}" if row.subject_org else "组织"
    if row.subject_kind == "document":
        return f"证件 {row.subject_id}"
    if row.subject_kind in SUBJECT_WORDS:
        return f"{SUBJECT_WORDS[row.subject_kind]} {row.subject_id}"
    if row.subject_kind == "person":
        return f"人员 {row.subject_id}"
    return f"{row.subject_id} 年"


def write_alert_list(rows: Iterable[AlertRow], out: BinaryIO, *, title: str, as_of: date) -> int:
    """Write the rows; returns how many."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("预警与督办信息")
    ws.append([inert(title), f"截至 {as_of.isoformat()}"])
    ws.append(list(HEADER))
    count = 0
    for row in rows:
        ws.append([LIGHT_WORDS[row.light], row.rule_label, row.level_label, inert(subject_words(row)),
                   inert(row.member_name or ""), row.member_id_masked or "", row.case_id,
                   inert(row.org_name), inert(row.org_code), row.due_on, row.raised_on, inert(row.message)])
        count += 1
    wb.save(out)
    return count


__all__ = ["write_alert_list", "HEADER"]
