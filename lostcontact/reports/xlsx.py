"""Write a `Sheet` as an XLSX workbook laid out and printed like the paper form: title, merged multi-row
header, rows, the seed's notes, the software's 说明 and the signature line; A4 or A3 landscape, one page
wide, the header repeated on every page, row heights that show every wrapped line, a CJK font.
Write-only mode, so a register of any length streams in flat memory.
Every value goes through reports.cells.inert: names and org names come from whoever typed them."""
from __future__ import annotations

import math
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from .cells import inert
from .layout import Sheet

# The font every form prints in: LibreOffice on Debian (fonts-noto-cjk) has it; Excel and WPS without it
# substitute their own 宋体. A font name the machine lacks would print the Chinese in a fallback of its choosing.
FONT = "Noto Serif CJK SC"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE = Font(name=FONT, size=16, bold=True)
_HEAD = Font(name=FONT, size=10, bold=True)
_BODY = Font(name=FONT, size=10)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)

LINE = 14.0         # points per line of 10-point text
TITLE_HEIGHT = 30.0
CJK_WIDTH = 1.9     # column-width units one Chinese character of 10 points takes (an ASCII one: about 1)
PAPER = {"A4": 9, "A3": 8}  # the OOXML paper size codes


def _text_width(text: str) -> float:
    return sum(CJK_WIDTH if ord(ch) > 0x2E80 else 1.0 for ch in text)


def lines_needed(text, width: float) -> int:
    """How many lines `text` wraps to in a cell `width` characters wide (its own line breaks kept)."""
    if text is None or text == "":
        return 1
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in str(text).split("\n"))


def header_heights(sheet: Sheet, cells=None) -> list[float]:
    """Each header row's height: enough for every heading, a heading spanning rows sharing them out (the
    body's cells, when given)."""
    cells = sheet.header if cells is None else cells
    heights = [LINE * 1.5] * (sheet.header_rows if cells is sheet.header else sheet.body_rows)
    spans = sorted(cells, key=lambda c: c.rowspan)
    for cell in spans:
        width = sum(sheet.widths[cell.col:cell.col + cell.colspan])
        need = lines_needed(cell.text, width) * LINE + 6
        rows = range(cell.row, cell.row + cell.rowspan)
        have = sum(heights[r] for r in rows)
        if need > have:
            heights[rows[-1]] += need - have
    return heights


def _cell(ws, value, font, alignment, border=None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=inert(value))
    cell.font, cell.alignment = font, alignment
    if border is not None:
        cell.border = border
    return cell


def _merged_line(ws, sheet: Sheet, row: int, text: str, font, alignment, height: float | None = None) -> None:
    ws.row_dimensions[row].height = height or lines_needed(text, sum(sheet.widths)) * LINE + 4
    ws.append([_cell(ws, text, font, alignment)] + [None] * (sheet.columns - 1))
    if sheet.columns > 1:
        ws.merged_cells.add(f"A{row}:{get_column_letter(sheet.columns)}{row}")


def set_up_printing(ws, sheet: Sheet, first_header: int) -> None:
    """Paper, orientation, one page wide (as many pages down as the rows need), margins, the header rows
    repeated on every page, centred, page numbers. Set before the first row: write-only mode writes the
    sheet properties with it."""
    ws.page_setup.paperSize = PAPER[sheet.paper_size]
    ws.page_setup.orientation = "landscape" if sheet.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.horizontalCentered = True
    if sheet.header_rows:
        ws.print_title_rows = f"{first_header}:{first_header + sheet.header_rows - 1}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _merged_grid(ws, sheet: Sheet, grid, row: int, font) -> int:
    """The header's (or the body's) rows after `row`, their cells merged; returns the last row written."""
    first = row + 1
    for grid_row, height in enumerate(header_heights(sheet, grid)):
        cells = [_cell(ws, None, font, _CENTRE, _BOX) for _ in range(sheet.columns)]
        for head in grid:
            if head.row == grid_row:
                cells[head.col] = _cell(ws, head.text, font, _CENTRE, _BOX)
        row += 1
        ws.row_dimensions[row].height = height
        ws.append(cells)
    for head in grid:
        if head.rowspan > 1 or head.colspan > 1:
            top, left = first + head.row, head.col + 1
            ws.merged_cells.add(f"{get_column_letter(left)}{top}:"
                                f"{get_column_letter(left + head.colspan - 1)}{top + head.rowspan - 1}")
    return row


def write_xlsx(sheet: Sheet, out: BinaryIO | str, *, sheet_name: str = "Sheet1") -> None:
    sheet.check()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name[:31])
    for i, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    first_header = 2 + len(sheet.above)
    set_up_printing(ws, sheet, first_header)
    row = 1
    _merged_line(ws, sheet, row, sheet.title, _TITLE, _CENTRE, TITLE_HEIGHT)
    for line in sheet.above:
        row += 1
        _merged_line(ws, sheet, row, line, _BODY, _LEFT)
    row = _merged_grid(ws, sheet, sheet.header, row, _HEAD)
    for values in sheet.rows:
        row += 1
        ws.row_dimensions[row].height = max(lines_needed(v, w) for v, w in zip(values, sheet.widths)) * LINE + 4
        ws.append([_cell(ws, value, _BODY, _CENTRE if i >= sheet.numeric_from else _LEFT, _BOX)
                   for i, value in enumerate(values)])
    row = _merged_grid(ws, sheet, sheet.body, row, _BODY)
    lines = ((sheet.notes_title,) if sheet.notes_title and sheet.notes else ()) + sheet.notes
    lines += (("说明：", *sheet.explanations) if sheet.explanations else ())
    for line in (*lines, *((sheet.footer,) if sheet.footer else ())):
        row += 1
        _merged_line(ws, sheet, row, line, _BODY, _LEFT)
    wb.save(out)
