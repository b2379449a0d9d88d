"""The forms word dispositions as the A–X sheet heads its columns, and name people, never logins."""
from __future__ import annotations

from lostcontact.queries.people import person_labels
from lostcontact.reports.labels import FORM_DISPOSITIONS
from lostcontact.uow import UnitOfWork
from statemachines.dispositions import DISPOSITIONS
from statemachines.tally import LABELS


def test_every_disposition_is_named_by_the_heading_of_its_column_on_the_a_x_sheet():
    headings = {label.removesuffix("人数") for label in LABELS.values()}
    assert set(FORM_DISPOSITIONS) == set(DISPOSITIONS) and set(FORM_DISPOSITIONS.values()) <= headings
    assert FORM_DISPOSITIONS["persuade_withdraw"] == "劝退或劝而不退除名"
    assert FORM_DISPOSITIONS["annul_probationary"] == "取消预备党员资格"
    assert FORM_DISPOSITIONS["suspend_unreachable"] == "确定无法取得联系而停止党籍"


def test_on_paper_a_person_is_their_name_and_an_account_without_one_leaves_the_place_blank(db, scenario):
    with UnitOfWork(db, write=False) as uow:
        on_paper = person_labels(uow.session, ["officer2", "admin1", "system"], on_paper=True)
        on_screen = person_labels(uow.session, ["admin1"])
    assert on_paper == {"officer2": "刘红梅", "admin1": "", "system": "系统（自动）"}
    assert on_screen == {"admin1": "admin1（未填姓名）"}  # the web pages still mark a login without a name
