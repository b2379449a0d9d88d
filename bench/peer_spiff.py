"""The peer's side of `python -m bench.peer`: SpiffWorkflow 3.2 running the lost-contact process
(bench/lost_contact.bpmn) one case per SQLite row, one transaction per request.

The workload is the one described with the BPMN (nine human steps per case on average):

* case i makes 1 + i % 3 search attempts, the last one sets `search_concluded`;
* the disposition cycles through persuade_withdraw, removal, restore_contact, restore_contact, so half the
  cases take both upper-level steps;
* each step adds a small payload to the task data (member and branch ids, a growing `search_attempts`
  list, opinions, a resolution number).

Persistence: the standard library's `sqlite3`, WAL, synchronous=NORMAL, table `cases(id, state_json)`,
each request its own BEGIN … COMMIT. A request is: SELECT the row, deserialize, put the data on the ready
user task, `task.run()`, `do_engine_steps()`, serialize, UPDATE, COMMIT. Two serializer variants:

* `stock`: SpiffWorkflow's own `BpmnWorkflowSerializer` with the Spiff config, which writes the whole parsed
  process spec into every row (what SpiffWorkflow's example app does);
* `shared`: the documented `configure(config)` hook with a workflow converter that writes only the spec's
  name and re-attaches the process-wide parsed spec on load (what a tuned deployment would do).

SpiffWorkflow is an optional extra (`pip install -e '.[peer]'`); `available()` says whether it is there.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

BPMN = Path(__file__).with_name("lost_contact.bpmn")
PROCESS_ID = "lost_contact_case"
DISPOSITIONS = ("persuade_withdraw", "removal", "restore_contact", "restore_contact")
VARIANTS = ("shared", "stock")


def available() -> str | None:
    """None when SpiffWorkflow can be imported, else the reason it cannot."""
    import importlib

    for module in ("SpiffWorkflow", "lxml"):
        try:
            importlib.import_module(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[peer]')"
    return None


def parse_spec():
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN))
    return parser.get_spec(PROCESS_ID), parser.get_subprocess_specs(PROCESS_ID)


def make_serializer(variant: str, spec):
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

    config = dict(SPIFF_CONFIG)
    if variant == "shared":
        class SharedSpecConverter(BpmnWorkflowConverter):
            """Writes the spec's name, not the spec; on load re-attaches the one parsed spec of the process."""

            def to_dict(self, workflow):
                dct = WorkflowConverter.to_dict(self, workflow)
                dct["spec"] = workflow.spec.name
                dct["subprocess_specs"] = {}
                dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
                dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
                return dct

            def from_dict(self, dct):
                from uuid import UUID

                dct.pop("spec")
                dct.pop("subprocess_specs", None)
                workflow = self.target_class(spec, {}, deserializing=True)
                workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
                workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
                self.set_default_attributes(workflow, dct)
                self.subprocesses_from_dict(dct["subprocesses"], workflow)
                workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
                return workflow

        config[BpmnWorkflow] = SharedSpecConverter
    elif variant != "stock":
        raise ValueError(f"unknown serializer variant {variant!r}")
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))


def step_data(index: int, spec_name: str, data: dict) -> dict:
    """The simulated human input for case `index` at its ready task `spec_name` (deterministic)."""
    if spec_name == "register_lost_contact":
        return {"member_id": 100_000 + index, "branch_id": index % 6, "search_attempts": [],
                "search_concluded": False}
    if spec_name == "log_search":
        attempts = list(data.get("search_attempts", []))
        attempts.append({"channel": ("phone", "relatives", "household_registry")[len(attempts) % 3],
                         "outcome": "no_answer"})
        return {"search_attempts": attempts, "search_concluded": len(attempts) >= 1 + index % 3}
    if spec_name == "verify":
        return {"cause": 1 + index % 6}
    if spec_name == "branch_proposal":
        return {"disposition": DISPOSITIONS[index % 4], "branch_opinion": "经多方查找无法联系"}
    if spec_name == "meeting_resolution":
        return {"resolution_no": f"R-{index:06d}", "votes_for": 15, "against": 2, "abstain": 1}
    return {f"{spec_name}_opinion": "同意"}


def human_steps(index: int) -> int:
    """How many human steps case `index` takes (register, the searches, verify … approvals)."""
    upper = 2 if DISPOSITIONS[index % 4] in ("persuade_withdraw", "removal") else 0
    return 1 + (1 + index % 3) + 1 + 1 + 1 + 1 + 1 + upper


@dataclass
class SpiffTiming:
    create_ns: int = 0
    creates: int = 0
    step_ns: int = 0
    steps: int = 0
    parts_ns: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("deserialize", "engine", "serialize", "db"), 0))

    def us_per_step(self) -> float:
        return self.step_ns / self.steps / 1000

    def us_per_create(self) -> float:
        return self.create_ns / self.creates / 1000


class SpiffPath:
    """One serializer variant on its own SQLite file: `create(i)` opens case i, `advance(i)` makes its next
    human step (False once the case has reached its end)."""

    def __init__(self, variant: str, path: Path, spec=None):
        from SpiffWorkflow.bpmn import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        self._workflow_class, self._ready = BpmnWorkflow, TaskState.READY
        self.variant = variant
        self.spec, self.subprocess_specs = spec or parse_spec()
        self.serializer = make_serializer(variant, self.spec)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS cases (id INTEGER PRIMARY KEY, state_json TEXT)")
        self.timing = SpiffTiming()
        self.done: set[int] = set()

    def create(self, index: int) -> None:
        started = time.perf_counter_ns()
        workflow = self._workflow_class(self.spec, self.subprocess_specs)
        workflow.do_engine_steps()
        state = self.serializer.serialize_json(workflow)
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO cases (id, state_json) VALUES (?, ?)", (index, state))
        self.conn.execute("COMMIT")
        self.timing.create_ns += time.perf_counter_ns() - started
        self.timing.creates += 1

    def advance(self, index: int) -> bool:
        if index in self.done:
            return False
        clock, parts = time.perf_counter_ns, self.timing.parts_ns
        t0 = clock()
        self.conn.execute("BEGIN")
        (state,) = self.conn.execute("SELECT state_json FROM cases WHERE id = ?", (index,)).fetchone()
        t1 = clock()
        workflow = self.serializer.deserialize_json(state)
        t2 = clock()
        task = workflow.get_next_task(state=self._ready, manual=True)
        task.data.update(step_data(index, task.task_spec.name, task.data))
        task.run()
        workflow.do_engine_steps()
        t3 = clock()
        state = self.serializer.serialize_json(workflow)
        t4 = clock()
        self.conn.execute("UPDATE cases SET state_json = ? WHERE id = ?", (state, index))
        self.conn.execute("COMMIT")
        t5 = clock()
        parts["db"] += (t1 - t0) + (t5 - t4)
        parts["deserialize"] += t2 - t1
        parts["engine"] += t3 - t2
        parts["serialize"] += t4 - t3
        self.timing.step_ns += t5 - t0
        self.timing.steps += 1
        if workflow.completed:
            self.done.add(index)
        return True

    def check_all_completed(self, cases: int) -> None:
        expected = sum(human_steps(i) for i in range(cases))
        if len(self.done) != cases or self.timing.steps != expected:
            raise RuntimeError(f"SpiffWorkflow ({self.variant}): {len(self.done)} of {cases} cases completed in "
                               f"{self.timing.steps} steps (expected {expected})")

    def close(self) -> None:
        self.conn.close()
