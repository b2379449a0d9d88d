from datetime import date

from lostcontact.services.cases import fire, open_case
from lostcontact.queries.cases import show_case

from .builders import build_world


def test_a_case_can_be_opened_and_searched(db, today):
    world = build_world(db)
    idn = world.add_member("张三", last_contact=date(2015, 8, 31))
    case_id = open_case(db, idn, actor_login="officer1", today=today, at=date(2016, 3, 1))
    result = fire(db, case_id, "start_search", actor_login="officer1", today=today, at=date(2016, 3, 2))
    assert result.to_state == "searching"
    view = show_case(db, case_id, today=today)
    assert [h["trigger"] for h in view["history"]] == ["open", "start_search"]
