"""Every form and format of the fixed scenario (tests/tally/scenario.py) matches its reviewed golden file,
on SQLite and on PostgreSQL alike."""
from __future__ import annotations

import io

import pytest

from lostcontact.queries.tally import tally
from lostcontact.reports.render import REGISTERS, render_record, render_register, write_tally

from ..tally.scenario import PAST, TODAY
from .conftest import assert_golden, read_only_scenario, xlsx_text

shared_world, scenario, db = read_only_scenario()


def text_of(render, **kw) -> str:
    out = io.StringIO()
    render(stdout=out, **kw)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv", "html"])
@pytest.mark.parametrize("as_of", [TODAY, PAST], ids=["today", "past"])
def test_the_tally_in_each_text_format_matches_its_golden_file(db, scenario, fmt, as_of):
    tree, day = tally(db, today=TODAY, as_of=as_of)
    text = text_of(lambda stdout: write_tally(tree, day, fmt, None, filled_on=TODAY, stdout=stdout))
    assert_golden(f"tally-{day.isoformat()}.{fmt}", text)


def test_the_tally_workbook_matches_its_golden_file(db, scenario, tmp_path):
    tree, day = tally(db, today=TODAY)
    path = tmp_path / "tally.xlsx"
    write_tally(tree, day, "xlsx", path, filled_on=TODAY)
    assert_golden("tally.xlsx.txt", xlsx_text(path))


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_each_register_as_html_matches_its_golden_file(db, scenario, kind):
    html = text_of(lambda stdout: render_register(db, kind, today=TODAY, stdout=stdout))
    assert_golden(f"register-{kind}.html", html)


@pytest.mark.parametrize("kind", sorted(REGISTERS))
def test_each_register_as_xlsx_matches_its_golden_file(db, scenario, kind, tmp_path):
    path = tmp_path / f"{kind}.xlsx"
    render_register(db, kind, today=TODAY, as_of=PAST, path=path)
    assert_golden(f"register-{kind}-{PAST.isoformat()}.xlsx.txt", xlsx_text(path))


@pytest.mark.parametrize("member", ["赵六", "李四", "周九", "吴十"])
def test_the_record_of_a_case_matches_its_golden_file(db, scenario, member):
    html = text_of(lambda stdout: render_record(db, scenario.cases[member], today=TODAY, stdout=stdout))
    assert_golden(f"record-{scenario.cases[member]}.html", html)
