"""F1 外逃风险 for the reasons and bases tests/discipline/test_flight_risk.py does not raise it for (PROGRAMMES.md
§6, docs/discipline-register.md): an exit after the last contact, one person with several identities (M1), a
valid private document the exit-entry administration holds and the registry never recorded, and a basis that
ends. Each is raised once however many sweeps run, closed on the sweep's day once the reason (or the basis) is
gone, raised again only when it comes back under a new basis (the key is person, reason and basis: exactly
once, like every alert), and read only within the discipline officer's subtree."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.queries.alerts import list_alerts
from lostcontact.services.discipline.register import add_entry, fire_entry, record_unit_contact
from lostcontact.services.travel.checks import run_checks
from lostcontact.services.travel.documents import add_document, fire_custody
from lostcontact.services.travel.problems import fire_problem

from ..builders import make_id_number
from ..travel.police_files import CROSSINGS_EN, holding, import_holdings, write
from ..workflows.helpers import sweep
from .conftest import TODAY
from .test_flight_risk import f1_alerts, reasons

pytestmark = pytest.mark.slow   # a dozen sweeps a test, on both engines

ENTERED = date(2024, 5, 6)   # the 出走 entry, the basis of the risk: the alerts' due day
STEPS = {"document": 1, "exit": 2, "identity": 3}


def absconded(register, number, *, at=ENTERED):
    """An open 出走 entry (the basis): it reads no contact, so any reason can be planted beside it."""
    return add_entry(register.db, number, "absconded", since_on=date(2024, 3, 1), recontact_on=at,
                     recontact_note="能联系上，不掌握具体情况", actor_login="discipline1", today=TODAY, at=at)


def sweeps(register, *days):
    for day in days:
        sweep(register.db, day)


def f1_of(register, step):
    """(due day, raised, closed) of each F1 of the step, in the order raised."""
    return [(due, raised, closed) for _pid, seq, due, _org, raised, closed in f1_alerts(register.db) if seq == step]


def exit_on(register, tmp_path, number, day: date, name: str):
    from lostcontact.importing import import_file

    crossings = write(tmp_path, name, CROSSINGS_EN, f"{number},passport_private,E77777777,exit,{day},深圳湾,香港")
    import_file(register.db, "police_crossings", crossings, today=TODAY, actor="liaison1")


def test_an_exit_after_the_last_contact_is_raised_once_and_closed_by_a_later_contact(register, tmp_path):
    number = register.person("钱七", person_type=None)
    record_unit_contact(register.db, number, on=date(2024, 2, 1), note=None, actor_login="discipline1", today=TODAY)
    exit_on(register, tmp_path, number, date(2024, 4, 1), "exit1.csv")
    absconded(register, number)
    sweeps(register, date(2024, 5, 7), date(2024, 5, 8))
    assert f1_of(register, STEPS["exit"]) == [(ENTERED, date(2024, 5, 7), None)]  # once, however many sweeps
    assert f1_alerts(register.db)[0][3] == "B1"                                    # to the person's org
    # the unit reached them after the exit: it is no longer an exit after the last contact
    record_unit_contact(register.db, number, on=date(2024, 5, 10), note="单位已联系上", actor_login="discipline1",
                        today=TODAY)
    sweeps(register, date(2024, 5, 11), date(2024, 5, 12))
    assert f1_of(register, STEPS["exit"]) == [(ENTERED, date(2024, 5, 7), date(2024, 5, 11))]
    assert reasons(register.db, as_of=date(2024, 5, 11)) == {}
    assert reasons(register.db, as_of=date(2024, 5, 9)) == {"钱七": ["exit"]}   # the past day still was


def test_an_exit_that_comes_back_under_a_new_entry_is_raised_again_once(register, tmp_path):
    number = register.person("孙八", person_type=None)
    record_unit_contact(register.db, number, on=date(2024, 2, 1), note=None, actor_login="discipline1", today=TODAY)
    exit_on(register, tmp_path, number, date(2024, 4, 1), "exit1.csv")
    entry = absconded(register, number)
    sweep(register.db, date(2024, 5, 7))
    fire_entry(register.db, entry.id, "find", actor_login="discipline1", today=TODAY, at=date(2024, 5, 8))
    sweeps(register, date(2024, 5, 9), date(2024, 5, 10))                 # the basis went: closed, not raised again
    assert f1_of(register, STEPS["exit"]) == [(ENTERED, date(2024, 5, 7), date(2024, 5, 9))]
    absconded(register, number, at=date(2024, 6, 3))                       # on the register again, still no contact
    sweeps(register, date(2024, 6, 4), date(2024, 6, 5))
    assert f1_of(register, STEPS["exit"]) == [(ENTERED, date(2024, 5, 7), date(2024, 5, 9)),
                                              (date(2024, 6, 3), date(2024, 6, 4), None)]


def test_several_identities_raise_f1_once_and_a_dismissed_finding_closes_it_for_good(register, tmp_path):
    wang = register.person("王五", registered_on=date(2024, 1, 10))
    import_holdings(register.db, tmp_path, holding(make_id_number(900), "王五", "E11112222"), today=TODAY)
    assert run_checks(register.db, as_of=date(2024, 5, 1), today=TODAY, actor_login="cadre1",
                      kinds=("M1",)) == {"M1": 1}
    absconded(register, wang)
    sweeps(register, date(2024, 5, 7), date(2024, 5, 8))
    assert f1_of(register, STEPS["identity"]) == [(ENTERED, date(2024, 5, 7), None)]
    problem_id = _problem_of(register, "M1")
    fire_problem(register.db, problem_id, "verify", actor_login="cadre1", today=TODAY, at=date(2024, 5, 9))
    fire_problem(register.db, problem_id, "dismiss", actor_login="cadre1", today=TODAY, at=date(2024, 5, 9),
                 reason="经核实为同名同生日的另一人")
    sweeps(register, date(2024, 5, 10), date(2024, 5, 11))
    assert f1_of(register, STEPS["identity"]) == [(ENTERED, date(2024, 5, 7), date(2024, 5, 10))]
    assert "identity" not in reasons(register.db, as_of=date(2024, 5, 12)).get("王五", [])


def test_a_document_only_the_administration_holds_is_a_risk_until_it_is_recorded_and_handed_in(register, tmp_path):
    number = register.person("周九", person_type=None)
    import_holdings(register.db, tmp_path, holding(number, "周九", "C12345678", kind="hkmo_private"), today=TODAY)
    absconded(register, number)
    sweeps(register, date(2024, 5, 7), date(2024, 5, 8))
    assert f1_of(register, STEPS["document"]) == [(ENTERED, date(2024, 5, 7), None)]
    document = add_document(register.db, number, kind="hkmo_private", number="C12345678", issued_on=date(2024, 2, 1),
                            expires_on=date(2034, 2, 1), actor_login="cadre1", today=TODAY, at=date(2024, 5, 9))
    sweep(register.db, date(2024, 5, 10))   # recorded, but still in the person's hands: the same risk, still open
    assert f1_of(register, STEPS["document"]) == [(ENTERED, date(2024, 5, 7), None)]
    fire_custody(register.db, document, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 5, 11),
                 kept_at="档案室")
    sweep(register.db, date(2024, 5, 12))
    assert f1_of(register, STEPS["document"]) == [(ENTERED, date(2024, 5, 7), date(2024, 5, 12))]


def test_the_alert_is_read_within_the_discipline_officer_s_subtree_only(register, tmp_path):
    number = register.person("吴十", person_type=None)
    exit_on(register, tmp_path, number, date(2024, 4, 1), "exit1.csv")
    absconded(register, number)
    sweep(register.db, date(2024, 5, 7))

    def f1_read_by(login):
        page = list_alerts(register.db, today=TODAY, actor_login=login, as_of=date(2024, 5, 7))
        return [(a.rule, a.org_code, a.due_on) for a in page.rows if a.rule == "F1"]

    assert f1_read_by("discipline1") == [("F1", "B1", ENTERED)]
    assert f1_read_by("discipline2") == []     # 街道党委's discipline officer: another subtree


def test_an_exit_that_comes_back_within_the_same_entry_is_listed_again_but_alerted_only_once(register, tmp_path):
    """PROGRAMMES.md §6: F1 is raised exactly once per person and reason (the key is person, reason and the
    entry or case it rests on); the risk list shows the reason again, the closed alert stays closed."""
    number = register.person("郑一", person_type=None)
    record_unit_contact(register.db, number, on=date(2024, 2, 1), note=None, actor_login="discipline1", today=TODAY)
    exit_on(register, tmp_path, number, date(2024, 4, 1), "exit1.csv")
    absconded(register, number)
    sweep(register.db, date(2024, 5, 7))
    record_unit_contact(register.db, number, on=date(2024, 5, 10), note=None, actor_login="discipline1", today=TODAY)
    sweep(register.db, date(2024, 5, 11))
    exit_on(register, tmp_path, number, date(2024, 5, 20), "exit2.csv")
    sweep(register.db, date(2024, 5, 21))
    assert reasons(register.db, as_of=date(2024, 5, 21)) == {"郑一": ["exit"]}
    [(_due, raised, closed)] = f1_of(register, STEPS["exit"])
    assert raised == date(2024, 5, 7) and closed is not None


def _problem_of(register, kind: str) -> int:
    from lostcontact.queries.travel.problems import list_problems

    [problem] = list_problems(register.db, actor_login="cadre1", today=TODAY, kind=kind)
    return problem["id"]
