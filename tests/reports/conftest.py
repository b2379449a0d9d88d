"""Golden files, XLSX reading, and the fixed scenario for the report tests."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ..conftest import built_on, read_only_world
from ..tally.scenario import build_scenario

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LOSTCONTACT_UPDATE_GOLDEN") == "1"


def assert_golden(name: str, text: str) -> None:
    """`text` equals tests/reports/golden/NAME (rewrite them with LOSTCONTACT_UPDATE_GOLDEN=1, then review the diff)."""
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with LOSTCONTACT_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def xlsx_text(data: bytes | Path) -> str:
    """A stable text dump of a workbook: merged ranges, then every non-empty cell (the zip itself is not stable)."""
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    lines = []
    for ws in wb.worksheets:
        lines.append(f"[{ws.title}]")
        lines.append("merged: " + " ".join(sorted(str(r) for r in ws.merged_cells.ranges)))
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    lines.append(f"{cell.coordinate}={cell.value}")
    return "\n".join(lines) + "\n"


# The people who sign the scenario's steps, by name (the forms print names, never logins); admin1 is left
# without one, as an account may be.
SIGNERS = {"officer1": "王建国", "officer2": "刘红梅", "officer3": "陈志强", "reviewer1": "杨文华",
           "reviewer2": "黄立新", "upper1": "周海燕", "supervisor1": "吴国庆"}


def name_the_signers(db) -> None:
    from sqlalchemy import update

    from lostcontact.uow import UnitOfWork
    from models import User

    with UnitOfWork(db) as uow:
        for login, name in SIGNERS.items():
            uow.session.execute(update(User).where(User.login == login).values(name=name))
        uow.commit()


def signed_scenario(db):
    built = build_scenario(db)
    name_the_signers(db)
    return built


@pytest.fixture
def scenario(db, sqlite_snapshot):
    return built_on(db, sqlite_snapshot, "reports-signed-scenario", signed_scenario)


def read_only_scenario():
    """`shared_world, scenario, db = read_only_scenario()` in a module whose tests only read the signed scenario
    (the forms and registers open read-only units of work): one scenario a module on each engine, not one a test."""
    return read_only_world("reports-signed-scenario", signed_scenario, "scenario", db=True)
