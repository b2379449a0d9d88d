"""The A–X tally of an org subtree as of a date, rolled up the tree (DOMAIN.md §8).

Three GROUP BYs in SQL count the members by branch and by the facts that decide their bucket; the pure
rule (statemachines.tally.case_columns) turns each distinct combination into columns once; the org tree
(small) is rolled up in Python. Memory grows with the number of orgs, never with the cases.

1. every case as its row stands now — its stored tally key, read from ix_cases_branch_tally_key alone,
   in its order (no sort): as cheap as counting states;
2. the cases touched after the day (an index range on cases.last_event_on): today's bucket taken back,
   the day's put in (none for a case opened after it);
3. the few cases a later case of their member supersedes on the day, taken back.
Together: each member once, in the bucket of their latest non-voided case opened on or before the day.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from models import Case, Org
from statemachines import tally as rules

from ...orgtree import in_subtree
from .facts import Positions, TallyInvariantBroken, facts_of_history, facts_of_key
from .status import history_columns, superseded
from .tree import TallyNode, org_nodes, roll_up

__all__ = ["TallyInvariantBroken", "compute_tally", "subtree_cases"]

STREAM = 10_000  # rows fetched at a time (a server-side cursor on PostgreSQL): memory stays flat


def subtree_cases(root: Org):
    """A WHERE clause over `cases` keeping the cases of `root`'s subtree (None for a whole tree)."""
    if root.parent_id is None:
        return None
    return Case.__table__.c.branch_id.in_(select(Org.id).where(in_subtree(Org.path, root.path)))


class _Counter:
    """Signed counts into each branch's own columns, from what the three queries return."""

    def __init__(self, nodes: dict[int, TallyNode]):
        self.nodes = nodes
        self.now, self.then = Positions(facts_of_key), Positions(facts_of_history)

    def add(self, branch_id: int, positions: tuple[int, ...], count: int) -> None:
        own = self.nodes[branch_id].own_counts
        for position in positions:
            own[position] += count


def _count_rows(session: Session, counter: _Counter, where: list) -> int:
    """1. Every case by its stored key (+1); returns how many cases there are."""
    c = Case.__table__
    current = (c.c.branch_id, c.c.tally_key)
    query = select(*current, func.count()).where(*where).group_by(*current).execution_options(yield_per=STREAM)
    cases = 0
    for rows in session.execute(query).partitions():  # the big one (~10 rows per branch): streamed, kept lean
        for branch_id, key, count in rows:
            counter.add(branch_id, counter.now.of(key), count)
            cases += count
    return cases


def _replay_touched(session: Session, counter: _Counter, where: list, as_of: date, cases: int) -> None:
    """2. The cases touched after the day: today's key back (−1), the day's facts in (+1, if opened)."""
    c = Case.__table__
    after = c.c.last_event_on > as_of
    touched_count = session.scalar(select(func.count()).select_from(c).where(after, *where))
    if not touched_count:
        return
    if session.get_bind().dialect.name == "sqlite" and touched_count * 10 > cases:
        # SQLite takes the last_event_on index however many rows match; past a tenth of the cases, reading
        # them at random costs more than one scan in order (coalesce of a NOT NULL column hides the index)
        after = func.coalesce(c.c.last_event_on, c.c.opened_on) > as_of
    existed = c.c.opened_on <= as_of
    touched = (select(c.c.branch_id, c.c.tally_key, existed.label("existed"),
                      *history_columns(c, as_of, only_if=existed))
               .where(after, *where).cte("touched").prefix_with("MATERIALIZED"))
    for branch_id, key, was_there, latest, final, count in session.execute(
            _grouped(touched).execution_options(yield_per=STREAM)):
        counter.add(branch_id, counter.now.of(key), -count)
        if was_there:
            counter.add(branch_id, counter.then.of((latest, final)), count)


def _take_back_superseded(session: Session, counter: _Counter, where: list, as_of: date) -> None:
    """3. The cases a later case of their member supersedes on the day (−1), by their facts on the day."""
    c = Case.__table__
    ids = superseded(as_of).subquery("superseded")
    was_touched = c.c.last_event_on > as_of
    earlier = (select(c.c.branch_id, was_touched.label("touched"), c.c.tally_key,
                      *history_columns(c, as_of, only_if=was_touched))
               .select_from(ids.join(c, c.c.id == ids.c.id)).where(*where).cte("earlier").prefix_with("MATERIALIZED"))
    for branch_id, replay, key, latest, final, count in session.execute(_grouped(earlier)):
        counter.add(branch_id, counter.then.of((latest, final)) if replay else counter.now.of(key), -count)


def _grouped(cte):
    """Each distinct row of a MATERIALIZED CTE with its count. The CTE evaluates its correlated history
    subqueries once per case; grouping the subquery expressions directly would evaluate them per mention."""
    return select(*cte.c, func.count()).group_by(*cte.c)


def compute_tally(session: Session, root: Org, as_of: date) -> TallyNode:
    """The tally of `root`'s subtree as of `as_of`; raises TallyInvariantBroken naming the org and columns."""
    if session.get_bind().dialect.name == "postgresql":
        # Measured on two cores: compiling these expressions to machine code costs more than it saves on
        # one pass, and parallel workers each recompute the members-with-several-cases aggregate.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    nodes = org_nodes(session, root, rules.COLUMNS)
    counter, where = _Counter(nodes), [w for w in (subtree_cases(root),) if w is not None]
    cases = _count_rows(session, counter, where)
    _replay_touched(session, counter, where, as_of, cases)
    _take_back_superseded(session, counter, where, as_of)
    tree = roll_up(nodes, root.id)
    check_invariants(tree, as_of)
    return tree


def check_invariants(tree: TallyNode, as_of: date) -> None:
    problems = []
    for _depth, node in tree.walk():
        for zh, en in rules.broken_invariants(node.columns):
            problems.append((f"{node.code} {node.name}：{zh}", f"org {node.code}: {en}"))
    if problems:
        raise TallyInvariantBroken(
            f"截至 {as_of} 的统计表不平衡，记录不一致，未输出统计表（{len(problems)} 处）",
            f"the tally as of {as_of} does not add up: the records are inconsistent; nothing was printed "
            f"({len(problems)} problem(s))", details=problems)

