"""Whatever order an org file lists a tree in, the import rebuilds it with the materialised paths and
depths services/orgs.py would give it."""
from __future__ import annotations

import csv
import uuid

from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from lostcontact.importing import import_file
from models import Org

# A tree as a list of parent indexes: node i's parent is an earlier node, or -1 for the existing C2.
trees = st.integers(1, 12).flatmap(lambda n: st.tuples(*(st.integers(-1, i - 1) for i in range(n))))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees, st.randoms(use_true_random=False))
def test_a_tree_in_any_order_gets_the_paths_of_its_parents(db, world, today, tmp_path, parents, rng):
    tag = uuid.uuid4().hex[:6]
    codes = [f"T{tag}-{i}" for i in range(len(parents))]
    has_child = {p for p in parents if p >= 0}
    rows = [(codes[i], f"组织{i}", codes[p] if p >= 0 else "C2", "committee" if i in has_child else "branch")
            for i, p in enumerate(parents)]
    rng.shuffle(rows)
    path = tmp_path / f"orgs-{tag}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([("code", "name", "parent_code", "level"), *rows])

    assert import_file(db, "orgs", path, today=today).inserted == len(parents)

    with db.engine.connect() as conn:
        orgs = {o.code: o for o in conn.execute(select(Org))}
    by_id = {o.id: o for o in orgs.values()}
    for code, name, parent_code, level in rows:
        org, parent = orgs[code], orgs[parent_code]
        assert by_id[org.parent_id].code == parent_code
        assert org.path == f"{parent.path}{org.id}/" and org.depth == parent.depth + 1
        assert org.level == level
