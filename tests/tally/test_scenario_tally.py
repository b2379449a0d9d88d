"""The tally of the fixed scenario, read as the supervisor would read the sheet."""
from __future__ import annotations

from datetime import date

from lostcontact.queries.tally import tally

from .scenario import PAST, TODAY, build_scenario


def nonzero(node) -> dict[str, int]:
    return {k: v for k, v in node.columns.items() if v}


def child(node, code):
    return next(c for c in node.walk() if c[1].code == code)[1]


def test_each_member_counts_once_in_the_bucket_of_their_latest_case(db):
    build_scenario(db)
    tree, as_of = tally(db, today=TODAY)
    assert as_of == TODAY
    assert tree.code == "410000"
    assert nonzero(tree) == {"A": 9, "B": 3, "C": 1, "G": 1, "H": 1, "N": 1, "O": 5, "P": 1, "R": 1, "S": 1,
                             "T": 1, "V": 1, "W": 2, "X": 1}
    assert nonzero(child(tree, "B1")) == {"A": 3, "B": 1, "C": 1, "O": 2, "S": 1, "T": 1, "V": 1}
    assert nonzero(child(tree, "B3")) == {"A": 3, "B": 1, "N": 1, "O": 1, "W": 1, "X": 1}


def test_a_past_date_counts_only_what_was_in_force_by_then(db):
    build_scenario(db)
    tree, _ = tally(db, today=TODAY, as_of=PAST)
    assert nonzero(tree) == {"A": 9, "B": 3, "C": 1, "N": 2, "O": 5, "W": 5, "X": 1}


def test_a_case_voided_after_the_date_still_counts_on_that_date(db):
    build_scenario(db)
    before_void, _ = tally(db, today=TODAY, as_of=date(2016, 3, 4))
    after_void, _ = tally(db, today=TODAY, as_of=date(2016, 3, 5))
    assert before_void.columns["A"] - after_void.columns["A"] == 1
    assert child(before_void, "B1").columns["W"] == child(after_void, "B1").columns["W"] + 1


def test_nothing_is_counted_before_the_first_case_opened(db):
    build_scenario(db)
    tree, _ = tally(db, today=TODAY, as_of=date(2016, 2, 29))
    assert nonzero(tree) == {}


def test_every_org_row_is_its_own_cases_plus_its_children(db):
    build_scenario(db)
    tree, _ = tally(db, today=TODAY)
    for _depth, node in tree.walk():
        for column in node.columns:
            assert node.columns[column] == node.own[column] + sum(c.columns[column] for c in node.children)
    assert [c.code for c in child(tree, "C1").children] == ["B1", "GB1"]


def test_an_org_tally_equals_its_row_in_the_whole_tree(db):
    build_scenario(db)
    whole, _ = tally(db, today=TODAY)
    part, _ = tally(db, today=TODAY, org_code="C1")
    assert part.code == "C1"
    assert part.columns == child(whole, "C1").columns
    assert [c.code for c in part.children] == ["B1", "GB1"]
