"""The organisation tree: adding a node keeps its materialised path."""
from __future__ import annotations

from sqlalchemy.orm import Session

from models import Org
from statemachines.codes import ORG_LEVELS
from statemachines.errors import BadInput

from ..orgtree import org_by_code


def add_org(session: Session, *, code: str, name: str, level: str, parent_code: str | None = None,
            org_type: int | None = None) -> Org:
    """Insert one org under `parent_code` (no commit). The caller's unit of work owns the transaction."""
    if level not in ORG_LEVELS:
        raise BadInput(f"未知组织层级 {level}", f"unknown org level {level}")
    parent = org_by_code(session, parent_code) if parent_code else None
    org = Org(code=code, name=name, level=level, org_type=org_type, parent_id=parent.id if parent else None,
              path="", depth=(parent.depth + 1) if parent else 0)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    return org
