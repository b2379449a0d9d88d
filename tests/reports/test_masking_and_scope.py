"""ID numbers are masked on every form unless the actor's role allows them; forms show only the actor's subtree."""
from __future__ import annotations

import io

import pytest

from lostcontact.masking import mask_id
from lostcontact.reports.render import render_record, render_register
from statemachines.errors import Refused

from ..tally.scenario import TODAY
from .conftest import read_only_scenario

shared_world, scenario, db = read_only_scenario()


def html(render, *args, **kw) -> str:
    out = io.StringIO()
    render(*args, today=TODAY, stdout=out, **kw)
    return out.getvalue()


def test_without_an_actor_every_id_number_is_masked(db, scenario):
    page = html(render_register, db, "roster")
    for id_number in scenario.world.members.values():
        assert id_number not in page
    assert mask_id(scenario.world.members["张三"]) in page


def test_an_admin_sees_full_id_numbers(db, scenario):
    page = html(render_register, db, "roster", actor_login="admin1")
    assert scenario.world.members["张三"] in page and scenario.world.members["孙八"] in page


def test_a_branch_officer_sees_only_their_branch_with_its_full_id_numbers(db, scenario):
    page = html(render_register, db, "roster", actor_login="officer1")
    assert scenario.world.members["张三"] in page
    assert "孙八" not in page and "第二党支部" not in page


def test_a_supervisor_sees_the_subtree_but_masked_numbers(db, scenario):
    page = html(render_register, db, "roster", actor_login="supervisor1")
    assert "孙八" in page and scenario.world.members["孙八"] not in page


def test_the_record_masks_the_id_number_for_a_reviewer(db, scenario):
    case = scenario.cases["张三"]
    assert scenario.world.members["张三"] not in html(render_record, db, case, actor_login="reviewer1")
    assert scenario.world.members["张三"] in html(render_record, db, case, actor_login="officer1")


def test_a_record_or_register_outside_the_actors_subtree_is_refused(db, scenario):
    with pytest.raises(Refused):
        html(render_record, db, scenario.cases["孙八"], actor_login="officer1")
    with pytest.raises(Refused):
        html(render_register, db, "found", org_code="B3", actor_login="officer1")
