"""Follow-up rounds: R7 after a correction period, R8 within and after the suspension window."""
from datetime import date

import pytest

from statemachines.errors import Refused

from .conftest import LOST
from .driver import CaseDriver

LATER = date(2019, 6, 30)


def closed_case(world, disposition: str, *, reached: bool) -> CaseDriver:
    case = CaseDriver(world.db, world.add_member("黄一", last_contact=LOST), today=LATER)
    case.to_proposal(reached=reached)
    case.through_chain(disposition)
    return case


def test_r7_reopens_after_the_correction_period_for_an_assessment(world):
    case = closed_case(world, "correct_within_deadline", reached=True)
    closed_on = date.fromisoformat(case.view()["closed_on"])
    with pytest.raises(Refused, match="correction period"):
        case.fire("reopen", at=date(closed_on.year, closed_on.month + 6, closed_on.day))  # not yet *more than* 6 months
    case.fire("reopen", at=date(2016, 12, 1))
    assert (case.view()["state"], case.view()["reached"]) == ("branch_proposal", True)

    with pytest.raises(Refused, match="may only submit: normal_management, persuade_withdraw"):
        case.fire("submit", disposition="removal_requested")
    case.through_chain("persuade_withdraw")
    view = case.view()
    assert (view["state"], view["disposition"], view["reopen_kind"]) == ("closed", "persuade_withdraw", None)


def test_r8_restores_a_suspended_member_on_application_within_two_years(world):
    case = closed_case(world, "suspend_unreachable", reached=False)
    case.fire("reopen", at=date(2017, 5, 1), opinion="本人书面申请恢复党籍")
    assert (case.view()["state"], case.view()["reached"]) == ("verifying", True)
    case.fire("propose")
    with pytest.raises(Refused, match="may only submit: normal_management"):
        case.fire("submit", disposition="correct_within_deadline")
    case.through_chain("normal_management")
    assert case.view()["disposition"] == "normal_management"


def test_r8_after_two_years_leads_only_to_removal(world):
    case = closed_case(world, "suspend_unreachable", reached=False)
    case.fire("reopen", at=date(2018, 6, 1))
    assert (case.view()["state"], case.view()["reached"]) == ("branch_proposal", False)
    assert case.through_chain("removal_self_withdrawal")[-1] == "upper_approval"
    assert (case.view()["disposition"], case.view()["reached"]) == ("removal_self_withdrawal", False)


def test_withdrawing_a_reopened_round_restores_the_previous_disposition(world):
    case = closed_case(world, "suspend_unreachable", reached=False)
    before = case.view()
    case.fire("reopen", at=date(2017, 5, 1))
    case.fire("withdraw_reopen", opinion="本人撤回申请")
    after = case.view()
    assert (after["state"], after["disposition"], after["reached"], after["closed_on"]) == (
        "closed", "suspend_unreachable", False, before["closed_on"])


def test_withdraw_is_only_for_a_reopened_round(world):
    case = CaseDriver(world.db, world.add_member("黄二", last_contact=LOST), today=LATER)
    case.reach()
    with pytest.raises(Refused, match="only a reopened case"):
        case.fire("withdraw_reopen")


def test_reopen_is_only_for_r7_and_r8_dispositions(world):
    case = closed_case(world, "normal_management", reached=True)
    with pytest.raises(Refused, match="only a case closed with correct_within_deadline"):
        case.fire("reopen", at=date(2019, 1, 1))
