"""The demo's discipline part (issue 17): over the travel story's persons, a discipline officer's view with an
entry of each category, candidates, and at least one flight risk with its reasons, and the 附件1-4 summary."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.demo import run_travel_demo
from lostcontact.demo.discipline import tell_discipline
from lostcontact.demo.travel_cast import DISCIPLINE
from lostcontact.queries.discipline import list_entries
from models.db import open_database

LAST = date(2026, 11, 30)


@pytest.fixture(scope="module")
def told(tmp_path_factory):
    path = tmp_path_factory.mktemp("discipline-demo") / "lostcontact-demo.db"
    story = run_travel_demo(last=LAST, seed=3, persons=40, path=path)
    db = open_database(story.db_url)
    yield tell_discipline(db, last=LAST, folder=path.parent), db
    db.dispose()


def test_the_officer_sees_an_entry_of_each_category_open(told):
    result, db = told
    rows = list_entries(db, actor_login=DISCIPLINE, today=LAST)
    assert sorted(r["category"] for r in rows) == ["absconded", "fled", "lost"]
    assert {r["state"] for r in rows} == {"open"} and result.candidates >= 2


def test_at_least_one_flight_risk_with_its_reasons_and_the_summary_form(told):
    result, _db = told
    assert result.risks and all(r["reasons"] for r in result.risks)
    assert "持有有效因私出国（境）证件未交组织保管" in result.risks[0]["reasons"][0]["words"]
    html = result.form.read_text("utf-8")
    assert "失联、外逃、出走信息汇总表" in html and "总计" in html
