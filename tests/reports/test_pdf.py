"""PDF through WeasyPrint where it is installed; without it, exit 4 and nothing written."""
from __future__ import annotations

import sys

import pytest

from lostcontact.reports.pdf import pdf_available
from lostcontact.reports.render import render_record, render_register
from statemachines.errors import BadInput

from ..tally.scenario import TODAY


def test_without_a_pdf_engine_a_pdf_is_bad_input_and_nothing_is_written(db, scenario, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if WeasyPrint were not installed
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BadInput) as refused:
        render_record(db, scenario.cases["赵六"], today=TODAY, path=out / "record.pdf")
    assert refused.value.exit_code == 4 and "WeasyPrint" in refused.value.en
    with pytest.raises(BadInput):
        render_register(db, "roster", today=TODAY, path=out / "roster.pdf")
    assert list(out.iterdir()) == []


def test_the_record_and_a_register_print_to_pdf(db, scenario, tmp_path):
    if not pdf_available():
        with pytest.raises(BadInput):
            render_record(db, scenario.cases["赵六"], today=TODAY, path=tmp_path / "r.pdf")
        assert not (tmp_path / "r.pdf").exists()
        pytest.skip("WeasyPrint is NOT installed: PDF output is untested here (only the exit-4 refusal was checked)")
    out = tmp_path / "out"
    out.mkdir()
    record, register = out / "record.pdf", out / "found.pdf"
    render_record(db, scenario.cases["赵六"], today=TODAY, path=record)
    render_register(db, "found", today=TODAY, path=register)
    for pdf in (record, register):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") and len(data) > 10_000
    assert [p.name for p in sorted(out.iterdir())] == ["found.pdf", "record.pdf"]  # no partial files left
