"""The checks M1, P2 and P1 as of a day (PROGRAMMES.md §4): a planted violation is found, a clean record is not
flagged, and running again — the same day or later — finds nothing twice. On SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.masking import mask_document, mask_id
from lostcontact.queries.travel.problems import list_problems
from lostcontact.services.travel import documents
from lostcontact.services.travel.checks import CHECKS, run_checks
from statemachines.errors import Refused

from ..builders import make_id_number
from .conftest import TODAY
from .police_files import holding, import_holdings

OTHER_IDENTITY = make_id_number(900)   # same birth date as every test person (1980-01-01)


def run(travel, as_of=TODAY, actor="cadre1", kinds=None):
    return run_checks(travel.db, as_of=as_of, today=TODAY, actor_login=actor, kinds=kinds)


def found(travel, kind=None):
    return list_problems(travel.db, actor_login="cadre1", today=TODAY, kind=kind)


def test_m1_finds_a_person_on_file_whose_name_and_birth_date_hold_a_valid_document_under_another_id(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    travel.person("李四", registered_on=date(2024, 1, 10))
    import_holdings(travel.db, tmp_path, holding(OTHER_IDENTITY, "王五", "E11112222"),
                    holding(make_id_number(901), "赵六", "E33334444"), today=TODAY)
    assert run(travel, kinds=("M1",)) == {"M1": 1}
    [problem] = found(travel)
    assert (problem["kind"], problem["person_name"], problem["person_id_number_masked"]) == ("M1", "王五", mask_id(wang))
    assert mask_id(OTHER_IDENTITY) in problem["evidence"] and OTHER_IDENTITY not in problem["evidence"]
    assert run(travel, kinds=("M1",)) == {"M1": 0}
    assert run(travel, as_of=date(2024, 6, 28), kinds=("M1",)) == {"M1": 0}
    assert len(found(travel)) == 1


def test_m1_finds_private_documents_of_one_kind_under_different_names(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    travel.document(wang, number="E55556666", at=date(2024, 1, 10))
    import_holdings(travel.db, tmp_path, holding(wang, "王武", "E77778888"), today=TODAY)
    assert run(travel, kinds=("M1",)) == {"M1": 1}
    [problem] = found(travel, "M1")
    assert "2 个不同姓名" in problem["evidence"]


def test_m1_ignores_an_expired_or_revoked_document_and_a_person_not_on_file(travel, tmp_path):
    travel.person("王五", registered_on=date(2024, 1, 10))
    travel.person("赵六")  # recorded, never filed
    import_holdings(travel.db, tmp_path, holding(OTHER_IDENTITY, "王五", "E11112222", status="revoked"),
                    holding(make_id_number(901), "王五", "E22223333", issued="2010-01-01", expires="2020-01-01"),
                    holding(make_id_number(902), "赵六", "E33334444"), today=TODAY)
    assert run(travel, kinds=("M1",)) == {"M1": 0}


def test_p2_finds_a_document_held_past_the_hand_in_period_and_not_one_still_within_it(travel):
    late = travel.person("王五", registered_on=date(2024, 1, 10))
    travel.document(late, number="E10000001", at=date(2024, 1, 10))
    fresh = travel.person("李四", registered_on=date(2024, 6, 20))
    travel.document(fresh, number="E10000002", at=date(2024, 6, 20))
    kept = travel.person("赵六", registered_on=date(2024, 1, 10))
    document_id = travel.document(kept, number="E10000003", at=date(2024, 1, 10))
    documents.fire_custody(travel.db, document_id, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 1, 12))
    assert run(travel, kinds=("P2",)) == {"P2": 1}
    [problem] = found(travel, "P2")
    assert problem["person_name"] == "王五" and mask_document("E10000001") in problem["evidence"]
    assert "E10000001" not in problem["evidence"]
    assert run(travel, kinds=("P2",)) == {"P2": 0}


def test_p2_counts_the_hand_in_period_in_working_days_to_the_day(travel):
    wang = travel.person("王五", registered_on=date(2024, 3, 1))  # a Friday: ten working days end on 2024-03-15
    travel.document(wang, number="E10000001", at=date(2024, 3, 1))
    assert run(travel, as_of=date(2024, 3, 15), kinds=("P2",)) == {"P2": 0}
    assert run(travel, as_of=date(2024, 3, 16), kinds=("P2",)) == {"P2": 1}
    assert found(travel)[0]["found_on"] == "2024-03-16"


def test_p2_finds_a_document_the_administration_holds_that_the_registry_never_recorded(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E20000001", issued="2020-01-01"), today=TODAY)
    counts = run(travel)
    assert counts["P2"] == 1 and counts["P1"] == 0  # issued before registration: held unlawfully, not issued so
    assert "组织未登记" in found(travel, "P2")[0]["evidence"]


def test_p2_finds_a_checked_out_document_not_back_by_its_return_day(travel):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    document_id = travel.document(wang, number="E10000001", at=date(2024, 1, 10))
    documents.fire_custody(travel.db, document_id, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 1, 12))
    documents.fire_custody(travel.db, document_id, "check_out", actor_login="cadre1", today=TODAY,
                           at=date(2024, 5, 1), trip_id=travel.trip(wang, document_id, departure=date(2024, 5, 3),
                                                                    ret=date(2024, 5, 10), on=date(2024, 4, 20)))
    assert run(travel, as_of=date(2024, 5, 20), kinds=("P2",)) == {"P2": 0}   # due back on 2024-05-20
    assert run(travel, as_of=date(2024, 5, 21), kinds=("P2",)) == {"P2": 1}
    assert "未交回" in found(travel, "P2")[0]["evidence"]


def test_p1_finds_a_private_document_issued_while_on_file_that_the_organisation_never_recorded(travel, tmp_path):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    li = travel.person("李四", registered_on=date(2024, 1, 10))
    travel.document(li, number="E30000002", issued=date(2024, 2, 1), at=date(2024, 2, 2))
    zhao = travel.person("赵六")
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E30000001", issued="2024-02-01"),
                    holding(li, "李四", "E30000002", issued="2024-02-01"),
                    holding(zhao, "赵六", "E30000003", issued="2024-02-01"), today=TODAY)
    assert run(travel, kinds=("P1",)) == {"P1": 1}
    [problem] = found(travel, "P1")
    assert problem["person_name"] == "王五" and "2024-02-01" in problem["evidence"]
    assert run(travel, as_of=date(2024, 1, 31), kinds=("P1",)) == {"P1": 0}  # not yet issued that day
    assert run(travel, kinds=("P1",)) == {"P1": 0}


def test_a_run_covers_the_runner_s_subtrees_only_and_needs_a_cadre_supervisor(travel):
    wang = travel.person("王五", registered_on=date(2024, 1, 10))
    travel.document(wang, number="E10000001", at=date(2024, 1, 10))
    assert run(travel, actor="cadre2") == dict.fromkeys(CHECKS, 0)
    for actor in ("liaison1", "discipline1"):
        with pytest.raises(Refused):
            run(travel, actor=actor)
    assert run(travel, actor="cadre1")["P2"] == 1


def test_the_local_operator_runs_the_whole_tree(travel):
    wang = travel.person("王五", org="B3", actor="cadre2", registered_on=date(2024, 1, 10))
    travel.document(wang, number="E10000001", at=date(2024, 1, 10), actor="cadre2")
    assert run(travel, actor=None)["P2"] == 1
