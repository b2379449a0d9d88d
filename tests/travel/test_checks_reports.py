"""The self-report checks P3 and P6, and self-corrected findings (PROGRAMMES.md §4, seed 000: 如实填写违规持有的
证件且及时纠正的，不追究): the police records and the registry against each confirmed report of a campaign; a
planted omission is found, a report that lists everything is not flagged, a violation declared and corrected
within the campaign is marked self-corrected, and a run again finds nothing twice. SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date

from lostcontact.masking import mask_document

from .check_world import (DocumentLine, TripLine, campaign, confirmed_report, crossing, found, import_crossings,
                          run)
from .police_files import holding, import_holdings

FILED = date(2024, 1, 10)
AFTER = date(2024, 5, 21)   # the day after the reports are confirmed


def passport(number: str, **kw) -> DocumentLine:
    return DocumentLine("passport_private", number, date(2030, 1, 1), **kw)


def trip_line(departure: date, ret: date, **kw) -> TripLine:
    return TripLine(departure, ret, ("泰国",), "旅游", approved=True, **kw)


def test_p3_finds_a_police_or_registry_document_the_confirmed_report_does_not_list(travel, tmp_path):
    wang = travel.person("王五", registered_on=FILED)
    travel.document(wang, number="E10000001", at=FILED)
    li = travel.person("李四", registered_on=FILED)
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E20000001"), holding(li, "李四", "E20000002"),
                    today=AFTER)
    held = campaign(travel)
    confirmed_report(travel, wang, held, documents=(passport("E10000001"),))   # omits the administration's
    confirmed_report(travel, li, held, documents=(passport("E20000002"),))
    assert run(travel, "P3", as_of=AFTER) == 1
    [problem] = found(travel, "P3")
    assert problem["person_name"] == "王五" and mask_document("E20000001") in problem["evidence"]
    assert "E20000001" not in problem["evidence"] and "2024年自查自报" in problem["evidence"]
    assert run(travel, "P3", as_of=AFTER) == 0 and run(travel, "P3") == 0


def test_p3_a_registry_document_omitted_is_found_and_one_the_campaign_did_not_ask_about_is_not(travel, tmp_path):
    wang = travel.person("王五", registered_on=FILED)
    travel.document(wang, number="E10000001", at=FILED)
    travel.document(wang, kind="hkmo_private", number="C10000001", issued=date(2010, 1, 1),
                    expires=date(2017, 6, 1), at=FILED)                        # expired before 2018: not asked
    confirmed_report(travel, wang, campaign(travel), trips=(trip_line(date(2019, 1, 1), date(2019, 1, 5)),))
    assert run(travel, "P3", as_of=AFTER) == 1
    [problem] = found(travel, "P3")
    assert mask_document("E10000001") in problem["evidence"] and "未报告持有" in problem["evidence"]


def test_p3_waits_for_the_confirmation(travel, tmp_path):
    wang = travel.person("王五", registered_on=FILED)
    import_holdings(travel.db, tmp_path, holding(wang, "王五", "E20000001"), today=AFTER)
    confirmed_report(travel, wang, campaign(travel), trips=(trip_line(date(2019, 1, 1), date(2019, 1, 5)),))
    assert run(travel, "P3", as_of=date(2024, 5, 19)) == 0
    assert run(travel, "P3", as_of=AFTER) == 1


def test_p6_finds_an_exit_since_the_campaign_s_date_the_report_omits(travel, tmp_path):
    wang = travel.person("王五", registered_on=FILED)
    li = travel.person("李四", registered_on=FILED)
    import_crossings(travel, tmp_path,
                     crossing(wang, "2015-07-01"),                             # before trips_since: not asked
                     crossing(wang, "2018-02-10"),                             # reported
                     crossing(wang, "2019-07-01", number="E10000009"),         # omitted
                     crossing(wang, "2024-05-15"),                             # after the report was submitted
                     crossing(li, "2018-02-10"))
    asked = campaign(travel)
    reported = trip_line(date(2018, 2, 10), date(2018, 2, 17))
    confirmed_report(travel, wang, asked, trips=(reported,))
    confirmed_report(travel, li, asked, trips=(reported,))
    assert run(travel, "P6", as_of=AFTER) == 1
    [problem] = found(travel, "P6")
    assert problem["person_name"] == "王五" and "2019-07-01" in problem["evidence"]
    assert mask_document("E10000009") in problem["evidence"] and "E10000009" not in problem["evidence"]
    assert run(travel, "P6", as_of=AFTER) == 0


def test_a_document_declared_and_corrected_within_the_campaign_gives_a_self_corrected_p2(travel):
    wang = travel.person("王五", registered_on=FILED)
    travel.document(wang, number="E10000001", at=FILED)   # never handed in
    li = travel.person("李四", registered_on=FILED)
    travel.document(li, number="E10000002", at=FILED)
    held = campaign(travel)
    confirmed_report(travel, wang, held, documents=(passport("E10000001", self_corrected=True,
                                                             correction="已承诺交组织集中保管"),))
    confirmed_report(travel, li, held, documents=(passport("E10000002"),))
    assert run(travel, "P2", as_of=AFTER) == 2
    assert {p["person_name"]: p["self_corrected"] for p in found(travel, "P2")} == {"王五": True, "李四": False}
    assert run(travel, "P3", as_of=AFTER) == 0                     # declared: not concealed


def test_a_correction_confirmed_after_the_campaign_ended_is_not_self_corrected(travel):
    wang = travel.person("王五", registered_on=FILED)
    travel.document(wang, number="E10000001", at=FILED)
    confirmed_report(travel, wang, campaign(travel), documents=(passport("E10000001", self_corrected=True),),
                     submitted=date(2024, 6, 3), confirmed=date(2024, 6, 5))  # the campaign ended on 5/31
    assert run(travel, "P2", as_of=date(2024, 6, 6)) == 1
    assert found(travel, "P2")[0]["self_corrected"] is False
