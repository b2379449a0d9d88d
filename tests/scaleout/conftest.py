"""The one clean sweep of the scale-out world that the fault and claim tests compare their runs with."""
from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class CleanSweep:
    state: dict   # state_of_the_world after it
    counts: dict  # its report's counts


@pytest.fixture(scope="session")
def clean_sweep(pg_server) -> CleanSweep:
    """The world swept once, on PostgreSQL, with nothing going wrong: built once a session, only read."""
    from tests.workflows.helpers import state_of_the_world
    from workflows.orchestration import run_in_process

    from .world import AS_OF, PARTITIONS, fresh_database, populate

    clean = fresh_database(pg_server)
    try:
        populate(clean)
        report = run_in_process(clean, AS_OF, max_partitions=PARTITIONS)
        return CleanSweep(state_of_the_world(clean), dict(report.counts))
    finally:
        clean.dispose()
        pg_server.drop_database(clean.url)
