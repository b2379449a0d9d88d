"""The A–X tally of an org subtree as of a date, rolled up the tree (DOMAIN.md §8).

Three queries return each case's tally key (models.tally_key) by branch — stored on the row, or read back
from the history for the day; the pure rule (statemachines.tally.case_columns) turns each distinct key
into columns once; the org tree (small) is rolled up in Python. Memory grows with the number of orgs and
the number of rows fetched at a time, never with the cases.

1. the cases untouched since the day (`last_event_on` on or before it) that no case still standing
   supersedes on it (`superseded_on`, kept by lostcontact.services.supersession): their stored key, one
   GROUP BY over ix_cases_branch_tally_key in its order — as of today that is every case;
2. the cases opened on or before the day and touched after it (ix_cases_last_event_on): their key on the
   day, from two probes of the history each (status.history_key);
3. the few cases superseded on the day by a later case voided since (status.superseded_through_void):
   taken back.
Together: each member once, in the bucket of their latest non-voided case opened on or before the day.

The three statements are built once per dialect and scope (whole tree or subtree) with the day and the
subtree as bound parameters (`_statements`): building them — the history key's CASE expressions, the
correlated probes — cost more Python than running them on a page's tally.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from operator import add

from sqlalchemy import Date, bindparam, case, func, literal, select, true
from sqlalchemy.orm import Session, aliased

from models import Case, Org
from statemachines import tally as rules

from ...orgtree import in_subtree, in_subtree_bound, subtree_bounds
from .facts import Positions, TallyInvariantBroken, facts_of_key
from .status import history_key, standing, superseded_through_void
from .tree import TallyNode, org_nodes, roll_up

__all__ = ["TallyInvariantBroken", "compute_tally", "subtree_cases"]

STREAM = 10_000  # rows fetched at a time (a server-side cursor on PostgreSQL): memory stays flat


def subtree_cases(root: Org):
    """A WHERE clause over `cases` keeping the cases of `root`'s subtree (None for a whole tree)."""
    if root.parent_id is None:
        return None
    return Case.__table__.c.branch_id.in_(select(Org.id).where(in_subtree(Org.path, root.path)))


class _Counter:
    """Signed counts per org for each distinct tally key (stored, or read back from the history): a row
    costs one list increment; the few dozen distinct keys are turned into columns once, at the end."""

    def __init__(self, org_ids: list[int]):
        self.index = {org_id: i for i, org_id in enumerate(org_ids)}
        self.size = len(org_ids)
        self.by_key: dict[int, list[int]] = {}

    def counts(self, key: int) -> list[int]:
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = [0] * self.size
        return found

    def add_rows(self, rows, sign: int = 1) -> None:
        """(branch_id, key, count) rows, streamed."""
        index, by_key = self.index, self.by_key
        for part in rows:
            for branch_id, key, count in part:
                counts = by_key.get(key) or self.counts(key)
                counts[index[branch_id]] += sign * count

    def own_columns(self) -> list[list[int]]:
        """Per column (in the order of COLUMNS), each org's own branch cases' count (in the order given)."""
        columns = [[0] * self.size for _ in rules.COLUMNS]
        positions = Positions(facts_of_key)
        for key, counts in self.by_key.items():
            for position in positions.of(key):
                columns[position] = list(map(add, columns[position], counts))
        return columns


AS_OF = bindparam("as_of", type_=Date)


@lru_cache(maxsize=8)
def _statements(dialect: str, whole_tree: bool) -> tuple:
    """The three statements (untouched, touched, taken back) of a tally on `dialect`, with the day as
    AS_OF and, for a subtree, its root's path as the parameters of in_subtree_bound."""
    where = [] if whole_tree else [Case.__table__.c.branch_id.in_(select(Org.id).where(in_subtree_bound(Org.path)))]
    return (_untouched(where, AS_OF), _touched(dialect, where, AS_OF), _taken_back(where, AS_OF))


def _parameters(root: Org, as_of: date) -> dict:
    if root.parent_id is None:
        return {"as_of": as_of}
    return {"as_of": as_of, **subtree_bounds(root.path)}


def _untouched(where: list, as_of) -> object:
    """1. The cases as their rows stand, untouched since the day and not superseded on it (+1)."""
    c = Case.__table__
    current = (c.c.branch_id, c.c.tally_key)
    return (select(*current, func.count()).where(c.c.last_event_on <= as_of, standing(c, as_of), *where)
            .group_by(*current).execution_options(yield_per=STREAM))  # the big one (~10 rows per branch): streamed


def _touched(dialect: str, where: list, as_of) -> object:
    """2. The cases opened on or before the day and touched after it, by their key on the day (+1). They
    are found on ix_cases_last_event_on alone, in the order of their dates; their history is probed in
    the order of their ids, so that neighbouring probes read neighbouring pages of ix_case_events_case_on
    (measured at 80k cases of 1M: twice as fast on PostgreSQL, a third faster on SQLite, than probing
    in date order). One row each, counted as it streams: grouping them in SQL would sort them again."""
    c = Case.__table__
    if dialect == "sqlite":
        # SQLite gathers an IN list into a sorted index, then reads the rows by id in that order
        ids = aliased(c, name="touched")
        touched = c.c.id.in_(select(ids.c.id).where(ids.c.last_event_on > as_of, ids.c.opened_on <= as_of))
        query = select(c.c.branch_id, history_key(c, as_of), literal(1)).where(touched, standing(c, as_of), *where)
    else:
        touched = (select(c.c.id, c.c.branch_id)
                   .where(c.c.last_event_on > as_of, c.c.opened_on <= as_of, standing(c, as_of), *where)
                   .order_by(c.c.id).cte("touched").prefix_with("MATERIALIZED"))
        query = select(touched.c.branch_id, history_key(touched, as_of), literal(1))
    return query.execution_options(yield_per=STREAM)


def _taken_back(where: list, as_of) -> object:
    """3. The cases a later case of their member, voided since, superseded on the day (−1), by their key
    on the day: the stored one of a case untouched since, the history's of one touched since."""
    c = Case.__table__
    ids = superseded_through_void(as_of).subquery("superseded")
    key = case((c.c.last_event_on > as_of, history_key(c, as_of)), else_=c.c.tally_key)
    return select(c.c.branch_id, key, literal(1)).select_from(ids.join(c, c.c.id == ids.c.id)).where(*where)


# Measured on two cores: compiling these expressions to machine code costs more than it saves on one pass,
# and parallel workers each recompute the members-with-several-cases aggregate. SET LOCAL both, in one round
# trip (set_config's third argument: for this transaction only).
_POSTGRESQL_SETTINGS = select(func.set_config("jit", "off", true()),
                              func.set_config("max_parallel_workers_per_gather", "0", true()))


def compute_tally(session: Session, root: Org, as_of: date) -> TallyNode:
    """The tally of `root`'s subtree as of `as_of`; raises TallyInvariantBroken naming the org and columns."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(_POSTGRESQL_SETTINGS)
    nodes = org_nodes(session, root, rules.COLUMNS)
    counter = _Counter(list(nodes))
    untouched, touched, taken_back = _statements(dialect, root.parent_id is None)
    parameters = _parameters(root, as_of)
    counter.add_rows(session.execute(untouched, parameters).partitions())
    counter.add_rows(session.execute(touched, parameters).partitions())
    counter.add_rows([session.execute(taken_back, parameters)], sign=-1)
    columns = counter.own_columns()
    for node, own in zip(nodes.values(), zip(*columns)):
        node.own_counts = list(own)
    tree = roll_up(nodes, root.id)
    if not rules.hold_everywhere(columns):  # else every total holds too: no need to look at each
        check_invariants(tree, as_of)
    return tree


def check_invariants(tree: TallyNode, as_of: date) -> None:
    """Raise naming every org whose totals break an invariant."""
    problems = []
    for _depth, node in tree.walk():
        for zh, en in rules.broken_invariants(node.columns):
            problems.append((f"{node.code} {node.name}：{zh}", f"org {node.code}: {en}"))
    if problems:
        raise TallyInvariantBroken(
            f"截至 {as_of} 的统计表不平衡，记录不一致，未输出统计表（{len(problems)} 处）",
            f"the tally as of {as_of} does not add up: the records are inconsistent; nothing was printed "
            f"({len(problems)} problem(s))", details=problems)
