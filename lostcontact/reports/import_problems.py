"""The problems of a refused import file as a file of their own (CSV for any editor, XLSX for Excel/WPS):
one row per problem — row, column, value (ID numbers already masked), reason in Chinese and English — so
whoever keeps the roster can work through them. Text cells are made inert (reports.cells): a value may
be "=SUM(…)"."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Iterable

from openpyxl import Workbook

from ..importing.columns import CONTACT_COLUMNS, MEMBER_COLUMNS, ORG_COLUMNS
from ..importing.person_columns import PERSON_COLUMNS
from ..importing.police_columns import CROSSING_COLUMNS, HOLDING_COLUMNS
from .cells import inert

HEADER = ("行号", "列", "列名（英文）", "值", "问题", "Problem")
_COLUMNS = {"orgs": ORG_COLUMNS, "members": MEMBER_COLUMNS, "contacts": CONTACT_COLUMNS,
            "persons": PERSON_COLUMNS, "police_holdings": HOLDING_COLUMNS, "police_crossings": CROSSING_COLUMNS}


@dataclass(frozen=True)
class ProblemRow:
    row: int | None
    column: str | None      # the column's English name
    value: str | None       # as the importer shows it (masked, cut)
    zh: str
    en: str


def column_label(kind: str, name: str | None) -> str:
    """A column's Chinese header (as in the template files); the English name when unknown."""
    if name is None:
        return ""
    for column in _COLUMNS.get(kind, ()):
        if column.name == name:
            return column.zh
    return name


def _rows(kind: str, problems: Iterable[ProblemRow], unlisted: int) -> Iterable[tuple]:
    yield HEADER
    for p in problems:
        yield (p.row if p.row is not None else "", column_label(kind, p.column), p.column or "",
               inert(p.value or ""), inert(p.zh), inert(p.en))
    if unlisted:
        yield ("", "", "", "", f"另有 {unlisted} 处问题未列出", f"{unlisted} more problems not listed")


def problems_csv(kind: str, problems: Iterable[ProblemRow], unlisted: int = 0) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens the Chinese text correctly."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(_rows(kind, problems, unlisted))
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def problems_xlsx(kind: str, problems: Iterable[ProblemRow], unlisted: int = 0) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("导入问题")
    for letter, width in zip("ABCDEF", (8, 16, 16, 24, 48, 48)):
        sheet.column_dimensions[letter].width = width
    for row in _rows(kind, problems, unlisted):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
