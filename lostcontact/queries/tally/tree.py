"""Counts per org, rolled up the org tree. Nodes count into plain lists while the rows stream in and
become `{column: count}` dicts once rolled up: the tree is small (one node per org) but the roll-up
touches every node, so it adds lists in C rather than dicts key by key."""
from __future__ import annotations

from datetime import date
from operator import add
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Org

from ...orgtree import in_subtree_bound, subtree_bounds
from ...prepared import connection_of


class TallyNode:
    """One org: its own branch cases (`own`) and its whole subtree (`columns`), and its children."""
    __slots__ = ("org_id", "code", "name", "level", "path", "parent_id", "keys", "index", "own_counts",
                 "counts", "columns", "own", "children")

    def __init__(self, org_id: int, code: str, name: str, level: str, path: str, parent_id: int | None,
                 keys: tuple[str, ...], index: dict[str, int]):
        self.org_id, self.code, self.name, self.level, self.path, self.parent_id = (
            org_id, code, name, level, path, parent_id)
        self.keys, self.index = keys, index
        self.own_counts = [0] * len(keys)
        self.counts: list[int] = []
        self.columns: dict[str, int] = {}
        self.own: dict[str, int] = {}
        self.children: list[TallyNode] = []

    def add(self, key: str, count: int) -> None:
        self.own_counts[self.index[key]] += count

    def as_json(self, as_of: date) -> dict:
        """The `tally --format json` shape of INTERFACE.md."""
        return {"org": self.code, "as_of": as_of.isoformat(), "columns": dict(self.columns),
                "children": [child.as_json(as_of) for child in self.children]}

    def walk(self, depth: int = 0) -> Iterator[tuple[int, "TallyNode"]]:
        """This node and every descendant, parents first, with their depth below this node."""
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


# built once, the subtree as parameters (in_subtree_bound)
_SUBTREE_ORGS = (select(Org.id, Org.code, Org.name, Org.level, Org.path, Org.parent_id)
                 .where(in_subtree_bound(Org.path)).order_by(Org.code))


def org_nodes(session: Session, root: Org, keys: tuple[str, ...]) -> dict[int, TallyNode]:
    """A node per org of `root`'s subtree, each counting `keys`."""
    index = {key: i for i, key in enumerate(keys)}
    rows = connection_of(session).execute(_SUBTREE_ORGS, subtree_bounds(root.path))
    return {row[0]: TallyNode(*row, keys, index) for row in rows}


def roll_up(nodes: dict[int, TallyNode], root_id: int) -> TallyNode:
    """Link the nodes into a tree under `root_id`; each node's columns = its own + its children's."""
    for node in sorted(nodes.values(), key=lambda n: -n.path.count("/")):  # deepest first
        node.counts = list(map(add, node.counts, node.own_counts)) if node.counts else list(node.own_counts)
        parent = nodes.get(node.parent_id) if node.org_id != root_id else None
        if parent is not None:
            parent.children.append(node)
            parent.counts = list(map(add, parent.counts, node.counts)) if parent.counts else list(node.counts)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.code)
        node.columns = dict(zip(node.keys, node.counts))
        node.own = dict(zip(node.keys, node.own_counts))
    return nodes[root_id]
