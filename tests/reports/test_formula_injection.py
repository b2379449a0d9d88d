"""A member or org named like a formula ("=HYPERLINK(…)", "+1", "-1", "@SUM(…)", a leading tab or carriage
return) is exported as inert text in every workbook and CSV the product writes: nothing in a cell starts
with a character a spreadsheet would read as the start of a formula, and the name is still there, quoted."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from lostcontact.queries.tally import tally
from lostcontact.reports.cells import FORMULA_STARTS
from lostcontact.reports.import_problems import ProblemRow, problems_csv, problems_xlsx
from lostcontact.reports.render import REGISTERS, render_register, write_tally
from lostcontact.uow import UnitOfWork
from models import Member, Org

from ..tally.scenario import PAST, TODAY

PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def name_everyone(db, payload: str) -> None:
    """Every member and every org now carries the payload as (the start of) its name."""
    with UnitOfWork(db) as uow:
        uow.session.execute(update(Member).values(name=payload))
        uow.session.execute(update(Org).values(name=payload))
        uow.commit()


def xlsx_cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def csv_cells(text: str) -> list[str]:
    return [field for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for field in row]


def register_workbook(kind):
    def export(db, tmp_path) -> list:
        path = tmp_path / f"{kind}.xlsx"
        render_register(db, kind, today=TODAY, as_of=PAST, path=path)
        return xlsx_cells(path.read_bytes())
    return export


def tally_workbook(db, tmp_path) -> list:
    tree, day = tally(db, today=TODAY)
    path = tmp_path / "tally.xlsx"
    write_tally(tree, day, "xlsx", path, filled_on=TODAY)
    return xlsx_cells(path.read_bytes())


def tally_csv(db, tmp_path) -> list:
    tree, day = tally(db, today=TODAY)
    out = io.StringIO()
    write_tally(tree, day, "csv", None, filled_on=TODAY, stdout=out)
    return csv_cells(out.getvalue())


def _problems(db) -> list[ProblemRow]:
    with UnitOfWork(db, write=False) as uow:
        name = uow.session.query(Member.name).limit(1).scalar()
    return [ProblemRow(2, "name", name, name, name)]


def problems_as_csv(db, tmp_path) -> list:
    return csv_cells(problems_csv("members", _problems(db)).decode("utf-8"))


def problems_as_xlsx(db, tmp_path) -> list:
    return xlsx_cells(problems_xlsx("members", _problems(db)))


EXPORTS = {**{f"{kind}.xlsx": register_workbook(kind) for kind in sorted(REGISTERS)},
           "tally.xlsx": tally_workbook, "tally.csv": tally_csv,
           "import-problems.csv": problems_as_csv, "import-problems.xlsx": problems_as_xlsx}


def text_of(cell) -> str | None:
    value = cell if isinstance(cell, str) else cell.value
    return value if isinstance(value, str) else None


def live_cells(cells: list) -> list:
    """Cells a spreadsheet would run: formulas, or text starting like one."""
    return [c for c in cells if (not isinstance(c, str) and c.data_type == "f")
            or (text_of(c) and text_of(c).startswith(FORMULA_STARTS))]


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: repr(p[:8]))
def test_a_name_like_a_formula_is_exported_as_inert_text_everywhere(db, scenario, tmp_path, payload):
    name_everyone(db, payload)
    kept = payload.lstrip("\t\r")  # XML reads a carriage return back as a line feed
    for export in sorted(EXPORTS):
        cells = EXPORTS[export](db, tmp_path)
        assert live_cells(cells) == [], f"{export}: cells a spreadsheet would read as formulas"
        assert any(text_of(c) and kept in text_of(c) for c in cells), f"{export}: the name is missing"
