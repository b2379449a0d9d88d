"""A case list (全部案件 / 已办 / 已办结, with its filters) as an XLSX workbook: Chinese headers, org names,
ID numbers masked, every text cell made inert (reports.cells), streamed in openpyxl's write-only mode."""
from __future__ import annotations

from typing import BinaryIO, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..queries.case_lists import CaseRow
from .cells import inert

HEADERS = ("案件编号", "党员姓名", "身份证号", "党支部", "当前状态", "处置", "立案日期", "最近办理日期",
           "环节期限", "信号灯", "办结日期")
WIDTHS = (10, 12, 22, 24, 22, 24, 12, 14, 12, 10, 12)


def case_cells(row: CaseRow, light_labels: dict[str, str]) -> list:
    return [row.id, row.member_name, row.member_id_number_masked, row.branch_name, row.state_label,
            row.disposition_label or "", row.opened_on, row.last_event_on, row.due_on or "",
            light_labels.get(row.light, "") if row.light else "", row.closed_on or ""]


def write_case_list(rows: Iterable[CaseRow], out: BinaryIO, *, title: str, light_labels: dict[str, str],
                    notes: Iterable[str] = (), limit: int | None = None) -> int:
    """Writes the rows below a title line and the header, at most `limit` of them (a closing line says
    when more matched); returns how many rows were written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    bold = Font(bold=True)
    head = WriteOnlyCell(ws, value=inert(title))
    head.font = bold
    ws.append([head])
    for note in notes:
        ws.append([inert(note)])
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        if limit is not None and count >= limit:
            ws.append([f"（仅导出前 {limit} 件，请用筛选缩小范围）"])
            break
        ws.append([inert(value) for value in case_cells(row, light_labels)])
        count += 1
    wb.save(out)
    return count
