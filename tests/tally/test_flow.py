"""The `disposition_tally` Prefect flow stores the tally and publishes a counts-only table artifact."""
from __future__ import annotations

import json

from sqlalchemy import select

from lostcontact.queries.tally import tally
from lostcontact.uow import UnitOfWork
from models import TallySnapshot

from .scenario import PAST, TODAY, build_scenario


def test_the_flow_freezes_the_tally_and_publishes_counts_only(sqlite_db, prefect_server, monkeypatch):
    from prefect.artifacts import Artifact

    from workflows.tally import artifact_key, disposition_tally

    monkeypatch.setenv("LOSTCONTACT_DB", sqlite_db.url)
    sc = build_scenario(sqlite_db)
    result = disposition_tally(org="410402", as_of=PAST)
    expected = tally(sqlite_db, today=TODAY, org_code="410402", as_of=PAST)[0]
    assert result["columns"] == expected.columns and result["org"] == "410402"
    with UnitOfWork(sqlite_db, write=False) as uow:
        stored = uow.session.execute(select(TallySnapshot.id, TallySnapshot.as_of)).all()
    assert [tuple(s) for s in stored] == [(result["snapshot_id"], PAST)]

    artifact = Artifact.get(artifact_key("410402", PAST))
    rows = json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    assert [r["org"] for r in rows] == [node.code for _d, node in expected.walk()]
    assert rows[0]["A"] == expected.columns["A"]
    published = json.dumps(rows, ensure_ascii=False) + json.dumps(result, ensure_ascii=False)
    for name, id_number in sc.world.members.items():  # no personal data leaves the database
        assert name not in published and id_number not in published
