"""Golden files, XLSX reading, and the fixed scenario for the report tests."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

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


@pytest.fixture
def scenario(db):
    return build_scenario(db)
