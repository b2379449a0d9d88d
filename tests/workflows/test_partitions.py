"""A sweep of the whole tree as one partition (whose rules drop the partition's org-id list) leaves what a
sweep of the same tree in subtree partitions leaves."""
from __future__ import annotations

from datetime import date

import pytest

from lostcontact.services.sweep.runs import load_context, start_run
from lostcontact.uow import UnitOfWork
from tests.builders import build_world

from .helpers import days, fresh_sqlite, state_of_the_world
from .test_exactly_once import populate


def test_only_a_partition_holding_every_org_sweeps_without_the_org_list(db):
    build_world(db)
    whole = start_run(db, date(2016, 1, 4), "in-process")
    split = start_run(db, date(2016, 1, 4), "in-process", max_partitions=3)
    assert len(whole.partitions) == 1 and len(split.partitions) > 1
    with UnitOfWork(db) as uow:
        assert load_context(uow.session, whole.run_id, whole.partitions[0]).whole_tree
        assert not any(load_context(uow.session, split.run_id, code).whole_tree for code in split.partitions)


SWEPT = list(days(date(2016, 1, 1), date(2016, 3, 1), 4))


@pytest.fixture(scope="module")
def swept_in_subtree_partitions(tmp_path_factory):
    """What the weeks of sweeps leave on SQLite when each runs in subtree partitions: the same for every
    engine the whole-tree run is compared on, so built once a module and only read."""
    from workflows.orchestration import run_in_process

    split = fresh_sqlite(tmp_path_factory.mktemp("split") / "split.db")
    try:
        populate(build_world(split))
        for day in SWEPT:
            assert run_in_process(split, day, max_partitions=3).partitions > 1
        return state_of_the_world(split)
    finally:
        split.dispose()


@pytest.mark.slow  # weeks of daily sweeps on two databases
def test_the_whole_tree_as_one_partition_leaves_what_subtree_partitions_leave(db, swept_in_subtree_partitions):
    from workflows.orchestration import run_in_process

    populate(build_world(db))
    for day in SWEPT:
        assert run_in_process(db, day).partitions == 1
    assert state_of_the_world(db) == swept_in_subtree_partitions
    assert state_of_the_world(db)["alerts"]  # the weeks raised something to compare
