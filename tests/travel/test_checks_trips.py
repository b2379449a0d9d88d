"""The trip checks P4, P5, P7 and what trips add to P1 and P2 (PROGRAMMES.md §4): the administration's crossings
against the approved private trips; a planted violation is found, a clean record is not flagged, a trip the person
declared and corrected in the self-report is marked so, and a run again finds nothing twice. SQLite and
PostgreSQL."""
from __future__ import annotations

from datetime import date

from lostcontact.masking import mask_document
from lostcontact.services.travel import documents, persons, trips

from .check_world import (DocumentLine, TripLine, campaign, confirmed_report, crossing, found, import_crossings, paper_approval,
                          run)
from .conftest import TODAY
from .police_files import holding, import_holdings

FILED = date(2024, 1, 10)


def registered(travel, name="王五", number="E10000001", **kw):
    person = travel.person(name, registered_on=FILED, **kw)
    return person, travel.document(person, number=number, at=FILED)


def test_p4_finds_an_exit_no_approved_trip_covers_and_not_one_an_approval_covers(travel, tmp_path):
    wang, _ = registered(travel, "王五", "E10000001")
    li, li_passport = registered(travel, "李四", "E10000002")
    travel.trip(li, li_passport)                                   # approved on 3/1 for 3/10–3/20
    zhao = travel.person("赵六")                                     # never filed: needs no approval
    import_crossings(travel, tmp_path, crossing(wang, "2024-03-12", number="E10000001"),
                     crossing(li, "2024-03-12", number="E10000002"), crossing(zhao, "2024-03-12", number="E10000003"))
    assert run(travel, "P4") == 1
    [problem] = found(travel, "P4")
    assert problem["person_name"] == "王五" and "2024-03-12" in problem["evidence"]
    assert mask_document("E10000001") in problem["evidence"] and "E10000001" not in problem["evidence"]
    assert problem["self_corrected"] is False
    assert run(travel, "P4") == 0 and run(travel, "P4", as_of=date(2024, 4, 30)) == 0


def test_p4_an_exit_after_the_approved_return_or_before_the_approval_is_not_covered(travel, tmp_path):
    li, passport = registered(travel, "李四")
    travel.trip(li, passport)                                      # approved 3/1, 3/10–3/20
    import_crossings(travel, tmp_path, crossing(li, "2024-02-20"), crossing(li, "2024-04-02"))
    assert run(travel, "P4") == 2


def test_p4_an_exit_declared_and_corrected_in_the_self_report_is_marked_self_corrected(travel, tmp_path):
    wang, _ = registered(travel)
    import_crossings(travel, tmp_path, crossing(wang, "2024-03-12"))
    declared = TripLine(date(2024, 3, 12), date(2024, 3, 15), ("泰国",), "旅游", approved=False, self_corrected=True,
                        correction="已作出书面说明")
    confirmed_report(travel, wang, campaign(travel), trips=(declared,))
    assert run(travel, "P4") == 1
    assert found(travel, "P4")[0]["self_corrected"] is True


def test_p5_finds_leaving_early_coming_back_late_and_going_elsewhere_and_not_a_trip_as_approved(travel, tmp_path):
    early, early_doc = registered(travel, "王五", "E10000001")
    late, late_doc = registered(travel, "李四", "E10000002")
    away, away_doc = registered(travel, "赵六", "E10000003")
    kept, kept_doc = registered(travel, "钱七", "E10000004")
    for person, document in ((early, early_doc), (late, late_doc), (away, away_doc), (kept, kept_doc)):
        travel.trip(person, document)                              # approved 3/1 for 泰国, 3/10–3/20
    import_crossings(travel, tmp_path,
                     crossing(early, "2024-03-08", number="E10000001"),
                     crossing(early, "2024-03-18", "entry", number="E10000001"),
                     crossing(late, "2024-03-10", number="E10000002"),
                     crossing(late, "2024-03-25", "entry", number="E10000002"),
                     crossing(away, "2024-03-10", number="E10000003", destination="越南"),
                     crossing(away, "2024-03-20", "entry", number="E10000003"),
                     crossing(kept, "2024-03-10", number="E10000004"),
                     crossing(kept, "2024-03-20", "entry", number="E10000004"))
    assert run(travel, "P5") == 3
    subjects = {p["person_name"]: p["evidence"] for p in found(travel, "P5")}
    assert set(subjects) == {"王五", "李四", "赵六"}
    assert "早于批准日期" in subjects["王五"] and "晚于批准日期" in subjects["李四"] and "未经批准" in subjects["赵六"]
    assert run(travel, "P4") == 0                                  # left early, but under an approval: P5 only
    assert run(travel, "P5") == 0


def test_p5_reads_the_return_the_unit_recorded(travel):
    wang, passport = registered(travel)
    trip_id = travel.trip(wang, passport)
    trips.fire_trip(travel.db, trip_id, "depart", actor_login="cadre1", today=TODAY, at=date(2024, 3, 10),
                    exit_on=date(2024, 3, 10))
    trips.fire_trip(travel.db, trip_id, "return", actor_login="cadre1", today=TODAY, at=date(2024, 3, 22),
                    entry_on=date(2024, 3, 22), places=["泰国", "老挝"])
    assert run(travel, "P5") == 2                                  # back two days late, and went to 老挝 too
    assert run(travel, "P5", as_of=date(2024, 3, 21)) == 0 and run(travel, "P5") == 0


def test_p7_finds_an_approval_without_the_consultation_and_one_below_the_rank_s_authority(travel):
    wang, wang_doc = registered(travel, "王五", "E10000001")      # county rank: the city approves
    li, li_doc = registered(travel, "李四", "E10000002")
    paper_approval(travel, wang, wang_doc, by_org="C1")            # no consultation, and C1 is below the city
    paper_approval(travel, li, li_doc, by_org="410400", consulted=True)
    assert run(travel, "P7") == 2
    problems = found(travel, "P7")
    assert {p["person_name"] for p in problems} == {"王五"}
    assert {p["org"] for p in problems} == {"C1"}                 # the approving org's problem
    assert any("未征求纪检监察机关意见" in p["evidence"] for p in problems)
    assert any("无相应干部管理权限" in p["evidence"] for p in problems)
    assert run(travel, "P7") == 0


def test_p7_does_not_flag_an_approval_made_through_the_service(travel):
    wang, passport = registered(travel)
    travel.trip(wang, passport)
    assert run(travel, "P7") == 0


def test_p7_reads_the_rank_as_of_the_day_so_a_promotion_after_it_changes_nothing_and_one_before_it_does(travel):
    wang, wang_doc = registered(travel, "王五", "E10000001")      # county rank: the city's approval is enough
    paper_approval(travel, wang, wang_doc, by_org="410400", consulted=True)
    persons.edit_person(travel.db, wang, rank="bureau", actor_login="cadre1", today=TODAY, at=date(2024, 6, 1))
    assert run(travel, "P7", as_of=date(2024, 5, 31)) == 0        # still county rank on 5/31
    assert run(travel, "P7", as_of=date(2024, 6, 1)) == 1         # 厅局级 from 6/1: the province approves
    [problem] = found(travel, "P7")
    assert "无相应干部管理权限（厅局级人员须由管理其单位的省级" in problem["evidence"]


def test_p7_a_rank_lowered_after_the_day_still_finds_the_approval_the_rank_then_needed_more_authority_for(travel):
    wang, wang_doc = registered(travel, "王五", "E10000001", rank="bureau")
    paper_approval(travel, wang, wang_doc, by_org="410400", consulted=True)
    persons.edit_person(travel.db, wang, rank="county", actor_login="cadre1", today=TODAY, at=date(2024, 6, 1))
    assert run(travel, "P7", as_of=date(2024, 5, 31)) == 1
    [problem] = found(travel, "P7")
    assert "厅局级人员" in problem["evidence"] and problem["org"] == "410400"


def test_p7_a_rank_lowered_before_the_day_finds_nothing(travel):
    wang, wang_doc = registered(travel, "王五", "E10000001", rank="bureau")
    paper_approval(travel, wang, wang_doc, by_org="410400", consulted=True)
    persons.edit_person(travel.db, wang, rank="county", actor_login="cadre1", today=TODAY, at=date(2024, 6, 1))
    assert run(travel, "P7") == 0


def test_p1_a_document_issued_for_an_approved_trip_is_known_to_the_organisation(travel, tmp_path):
    wang, passport = registered(travel, "王五", "E10000001")
    travel.trip(wang, passport, on=date(2024, 2, 1))               # applied 2/1 for 3/10–3/20
    li, _ = registered(travel, "李四", "E10000002")
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E20000001", issued="2024-02-15"),
                    holding(li, "李四", "E20000002", issued="2024-02-15"), today=TODAY)
    assert run(travel, "P1") == 1
    assert found(travel, "P1")[0]["person_name"] == "李四"


def test_p2_counts_the_return_day_from_the_administration_s_entry_and_agrees_with_the_unit_s_record(travel, tmp_path):
    wang, passport = registered(travel)
    documents.fire_custody(travel.db, passport, "receive", actor_login="cadre1", today=TODAY, at=date(2024, 1, 12))
    trip_id = travel.trip(wang, passport, departure=date(2024, 5, 3), ret=date(2024, 5, 10), on=date(2024, 4, 20))
    documents.fire_custody(travel.db, passport, "check_out", actor_login="cadre1", today=TODAY, at=date(2024, 5, 1),
                           trip_id=trip_id)                         # due back on 5/20 by the plan
    import_crossings(travel, tmp_path, crossing(wang, "2024-05-03"), crossing(wang, "2024-05-05", "entry"))
    assert run(travel, "P2", as_of=date(2024, 5, 15)) == 0        # back on 5/5: due on 5/15
    assert run(travel, "P2", as_of=date(2024, 5, 16)) == 1
    [problem] = found(travel, "P2")
    assert "2024-05-05 入境" in problem["evidence"] and "2024-05-15 前交回" in problem["evidence"]
    trips.fire_trip(travel.db, trip_id, "depart", actor_login="cadre1", today=TODAY, at=date(2024, 5, 16),
                    exit_on=date(2024, 5, 3))
    trips.fire_trip(travel.db, trip_id, "return", actor_login="cadre1", today=TODAY, at=date(2024, 5, 16),
                    entry_on=date(2024, 5, 5), places=["泰国"])
    assert run(travel, "P2", as_of=date(2024, 5, 17)) == 0        # the unit's record: the same day, the same problem


def test_p5_leaving_early_declared_and_corrected_in_the_self_report_is_marked_self_corrected(travel, tmp_path):
    wang, passport = registered(travel)
    travel.trip(wang, passport)                                    # approved 3/1 for 3/10–3/20
    import_crossings(travel, tmp_path, crossing(wang, "2024-03-08"), crossing(wang, "2024-03-18", "entry"))
    declared = TripLine(date(2024, 3, 8), date(2024, 3, 18), ("泰国",), "探亲", approved=True, self_corrected=True,
                        correction="提前出境已作出书面检查")
    confirmed_report(travel, wang, campaign(travel), trips=(declared,))
    assert run(travel, "P5") == 1
    assert found(travel, "P5")[0]["self_corrected"] is True


def test_p1_a_document_declared_and_corrected_in_the_self_report_is_marked_self_corrected(travel, tmp_path):
    wang, _ = registered(travel, "王五", "E10000001")
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E20000001", issued="2024-02-15"), today=TODAY)
    declared = DocumentLine("passport_private", "E20000001", date(2034, 2, 1), self_corrected=True,
                            correction="已交组织集中保管")
    confirmed_report(travel, wang, campaign(travel), documents=(declared,))
    assert run(travel, "P1") == 1
    assert found(travel, "P1")[0]["self_corrected"] is True
