"""Write a `Sheet` as an XLSX workbook laid out like the paper form: title, merged multi-row header,
rows, notes and signature line. Write-only mode, so a register of any length streams in flat memory.
Every value goes through reports.cells.inert: names and org names come from whoever typed them."""
from __future__ import annotations

from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .cells import inert
from .layout import Sheet

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE = Font(name="宋体", size=16, bold=True)
_HEAD = Font(name="宋体", size=10, bold=True)
_BODY = Font(name="宋体", size=10)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _cell(ws, value, font, alignment, border=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=inert(value))
    cell.font, cell.alignment = font, alignment
    if border is not None:
        cell.border = border
    return cell


def _merged_line(ws, sheet: Sheet, row: int, text: str, font, alignment) -> None:
    ws.append([_cell(ws, text, font, alignment)] + [None] * (sheet.columns - 1))
    if sheet.columns > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(sheet.columns)}{row}")


def write_xlsx(sheet: Sheet, out: BinaryIO | str, *, sheet_name: str = "Sheet1") -> None:
    sheet.check()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name[:31])
    for i, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    row = 1
    _merged_line(ws, sheet, row, sheet.title, _TITLE, _CENTRE)
    for line in sheet.above:
        row += 1
        _merged_line(ws, sheet, row, line, _BODY, _LEFT)
    first_header = row + 1
    for grid_row in range(sheet.header_rows):
        cells = [_cell(ws, None, _HEAD, _CENTRE, _BOX) for _ in range(sheet.columns)]
        for head in sheet.header:
            if head.row == grid_row:
                cells[head.col] = _cell(ws, head.text, _HEAD, _CENTRE, _BOX)
        ws.append(cells)
        row += 1
    for head in sheet.header:
        if head.rowspan > 1 or head.colspan > 1:
            top, left = first_header + head.row, head.col + 1
            ws.merged_cells.add(f"{get_column_letter(left)}{top}:"
                                f"{get_column_letter(left + head.colspan - 1)}{top + head.rowspan - 1}")
    for values in sheet.rows:
        ws.append([_cell(ws, value, _BODY, _CENTRE if i >= sheet.numeric_from else _LEFT, _BOX)
                   for i, value in enumerate(values)])
        row += 1
    for line in sheet.notes:
        row += 1
        _merged_line(ws, sheet, row, line, _BODY, _LEFT)
    if sheet.footer:
        row += 1
        _merged_line(ws, sheet, row, sheet.footer, _BODY, _LEFT)
    wb.save(out)
