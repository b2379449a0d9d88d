"""The views' scope: what the reader may see, and an org's subtree. The histories as of a day are
lostcontact.services.travel.history's (the sweep reads them too)."""
from __future__ import annotations

from sqlalchemy import literal, select

from models import Org

from ...orgtree import in_subtree
from ...permissions import Actor
from ...services.travel.access import may_read, reader_scope, unknown_org

_orgs = Org.__table__


def org_filter(conn, actor: Actor, org_code: str | None, path_column, *, scope=reader_scope, readable=may_read):
    """The WHERE clauses limiting `path_column` to what the actor reads, and to `org_code`'s subtree (an org
    outside it answered as an unknown one). `scope` and `readable` say what the actor reads: the travel
    programme's readers by default; the discipline register passes its own."""
    clauses = []
    limit = scope(actor, path_column)
    if limit is not None:
        clauses.append(limit)
    if org_code is not None:
        path = conn.scalar(select(_orgs.c.path).where(_orgs.c.code == org_code))
        if path is None or not readable(actor, path):
            raise unknown_org(org_code)
        clauses.append(in_subtree(path_column, path))
    return clauses or [literal(True)]

