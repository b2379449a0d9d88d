"""Writing an XLSX sheet the way Excel saves one: every text cell in the shared-strings table, dates
as date-formatted serial numbers. openpyxl writes inline strings instead (in both of its modes), so a
file it wrote would not show what reading a real roster costs; this streams the parts itself, holding
only the table of distinct strings."""
from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

EXCEL_EPOCH = date(1899, 12, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _parts(sheet: str) -> dict[str, str]:
    return {
        "[Content_Types].xml": XML + (
            f'<Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_TYPE}.styles+xml"/></Types>'),
        "_rels/.rels": XML + (
            f'<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": XML + (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            f'<sheet name={quoteattr(sheet)} sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": XML + (
            f'<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": XML + (
            f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
    }


def write_xlsx(path: Path, rows: Iterable[Sequence], sheet: str = "Sheet1") -> None:
    """One sheet of rows: str, int, float, bool, date (None or "" for an empty cell)."""
    strings: dict[str, int] = {}

    def cell(ref: str, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
        return f'<c r="{ref}" t="s"><v>{strings.setdefault(str(value), len(strings))}</v></c>'

    letters: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _parts(sheet).items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(f'{XML}<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for number, row in enumerate(rows, 1):
                while len(letters) < len(row):
                    letters.append(get_column_letter(len(letters) + 1))
                cells = "".join(cell(f"{letters[i]}{number}", value) for i, value in enumerate(row))
                out.write(f'<row r="{number}">{cells}</row>'.encode())
            out.write(b"</sheetData></worksheet>")
        with book.open("xl/sharedStrings.xml", "w") as out:
            out.write(f'{XML}<sst xmlns="{MAIN}" uniqueCount="{len(strings)}">'.encode())
            for text in strings:
                space = ' xml:space="preserve"' if text != text.strip() else ""
                out.write(f"<si><t{space}>{escape(text)}</t></si>".encode())
            out.write(b"</sst>")
