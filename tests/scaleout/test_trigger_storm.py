"""Eight processes fire 1,000 lifecycle triggers at random on 100 shared cases (PostgreSQL, the real
migrations with the append-only history): every successful fire appears exactly once in the history, every
other attempt was refused or lost a race with a Conflict, and every case's history is a path through the
machine from where it started to the state it is in."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
from sqlalchemy import select

from bench.lifecycle import ServicePath, build_world, chain_of
from lostcontact.uow import UnitOfWork
from models import Case, CaseEvent
from models.db import open_database
from statemachines.lifecycle import TRANSITIONS

from .world import ROOT

pytestmark = pytest.mark.slow  # eight processes firing at one database

CASES, PROCESSES, FIRES = 100, 8, 1000

# One storming process: ready, then on the starting gun FIRES // PROCESSES random fires; one JSON line each.
STORM = textwrap.dedent("""
    import json, random, sys
    from bench.lifecycle import World, chain_of
    from lostcontact.services.cases import fire
    from models.db import open_database
    from statemachines.errors import Conflict, Refused
    url, seed, count, world = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
    db, rng = open_database(url), random.Random(seed)
    case_ids = world.pop("case_ids")
    people = World(**world)
    print("ready", flush=True)
    sys.stdin.readline()
    for _ in range(count):
        index = rng.randrange(len(case_ids))
        step = rng.choice([s for s in chain_of(index) if s.kind == "fire" and s.trigger != "start_search"])
        try:
            done = fire(db, case_ids[index], step.trigger, actor_login=people.actor(index, step.role),
                        today=step.on, at=step.on, **step.options)
            out = {"outcome": "fired", "case": done.case_id, "trigger": done.trigger, "from": done.from_state,
                   "to": done.to_state, "version": done.version}
        except Conflict:
            out = {"outcome": "conflict"}
        except Refused:
            out = {"outcome": "refused"}
        except Exception as exc:  # anything else is a failure of the test
            out = {"outcome": "error", "error": repr(exc)}
        print(json.dumps(out), flush=True)
""")


def _searching_cases(db, world) -> list[int]:
    """Each case opened, searched and its search logged, as the chains of bench/lifecycle.py do."""
    path = ServicePath(db, world)
    for index in range(CASES):
        for step in chain_of(index):
            if step.kind == "fire" and step.trigger != "start_search":
                break
            path.run(index, step)
    return [path.case_ids[index] for index in range(CASES)]


def _is_transition(trigger: str, source: str, dest: str) -> bool:
    return any(t["trigger"] == trigger and t["dest"] == dest and
               source in (t["source"] if isinstance(t["source"], list) else [t["source"]]) for t in TRANSITIONS)


@pytest.mark.postgresql
def test_a_storm_of_random_fires_from_eight_processes_leaves_one_history_entry_per_success(pg_server):
    url = pg_server.create_database()
    db = open_database(url)
    try:
        world = build_world(db, CASES)
        case_ids = _searching_cases(db, world)
        with UnitOfWork(db, write=False) as uow:
            before = dict(uow.session.execute(select(CaseEvent.case_id, CaseEvent.seq)
                                              .where(CaseEvent.trigger != "open")
                                              .order_by(CaseEvent.seq)).all())  # case -> seq of start_search
        payload = json.dumps({"branch_codes": world.branch_codes, "id_numbers": world.id_numbers,
                              "case_ids": case_ids})
        storms = [subprocess.Popen([sys.executable, "-c", STORM, url, str(seed), str(FIRES // PROCESSES), payload],
                                   cwd=ROOT, env={**os.environ}, text=True, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE) for seed in range(PROCESSES)]
        for storm in storms:
            assert storm.stdout.readline().strip() == "ready", storm.stderr.read()
        for storm in storms:
            storm.stdin.write("go\n")
            storm.stdin.flush()
        results = []
        for storm in storms:
            out, err = storm.communicate(timeout=50)
            assert storm.returncode == 0, err
            results += [json.loads(line) for line in out.splitlines()]

        outcomes = Counter(r["outcome"] for r in results)
        assert len(results) == FIRES and set(outcomes) <= {"fired", "conflict", "refused"}, \
            [r for r in results if r["outcome"] == "error"][:5]
        fired = [r for r in results if r["outcome"] == "fired"]
        assert len({(r["case"], r["version"]) for r in fired}) == len(fired)  # no two successes claim one version

        with UnitOfWork(db, write=False) as uow:
            events = uow.session.execute(select(CaseEvent.case_id, CaseEvent.seq, CaseEvent.trigger,
                                                CaseEvent.from_state, CaseEvent.to_state)
                                         .order_by(CaseEvent.case_id, CaseEvent.seq)).all()
            states = dict(uow.session.execute(select(Case.id, Case.state)).all())
        later = [e for e in events if e.seq > before[e.case_id]]
        assert Counter((e.case_id, e.trigger, e.from_state, e.to_state) for e in later) == \
            Counter((r["case"], r["trigger"], r["from"], r["to"]) for r in fired)
        for case_id in case_ids:
            path = [e for e in later if e.case_id == case_id]
            state = "searching"
            for event in path:
                assert event.from_state == state and _is_transition(event.trigger, event.from_state, event.to_state)
                state = event.to_state
            assert states[case_id] == state
        assert outcomes["fired"] > CASES  # the storm moved cases along, not only refused
    finally:
        db.dispose()
        pg_server.drop_database(url)
