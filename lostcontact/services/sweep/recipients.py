"""Who receives an alert (DOMAIN.md §4 "Alerts"): the recipient chain of a branch, computed from the org
tree loaded once per partition (orgs are few next to members and cases)."""
from __future__ import annotations

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from models import AlertRecipient, Org
from statemachines.lifecycle import STEP_OWNER

from ...orgtree import OrgRef, chain_from, in_subtree

LEVEL_STEPS = {"reminder": 0, "overdue": 1, "escalated": 2}


class Recipients:
    def __init__(self, session: Session, partition_path: str | None = None):
        query = select(Org.id, Org.code, Org.name, Org.level, Org.path)
        if partition_path is not None:
            root_ids = [int(part) for part in partition_path.strip("/").split("/")]
            query = query.where(or_(in_subtree(Org.path, partition_path), Org.id.in_(root_ids)))
        self.orgs = {row[0]: OrgRef(*row) for row in session.execute(query)}
        self._chains: dict[int, tuple] = {}

    def _chain(self, branch_id: int):
        if branch_id not in self._chains:
            branch = self.orgs[branch_id]
            ids = [int(part) for part in branch.path.strip("/").split("/")][:-1]
            chain = chain_from(branch, tuple(self.orgs[i] for i in reversed(ids)))
            # ids, not OrgRefs: comparing frozen dataclasses field by field dominated the table rebuild
            self._chains[branch_id] = (chain, [org.id for org in chain.recipients()])
        return self._chains[branch_id]

    def for_step(self, branch_id: int, state: str, level: str) -> int:
        """`reminder` to the org answering for the step, `overdue` to the next in the chain, `escalated`
        to the one after; where the chain ends, its last org."""
        return self.for_owner(branch_id, STEP_OWNER[state], level)

    def for_owner(self, branch_id: int, owner_kind: str, level: str) -> int:
        chain, recipients = self._chain(branch_id)
        return _pick(recipients, _owner_id(chain, owner_kind), LEVEL_STEPS[level])

    def row(self, branch_id: int) -> dict[str, int]:
        """Every (owner, level) recipient of one branch: an alert_recipients row."""
        chain, recipients = self._chain(branch_id)
        row = {"branch_id": branch_id}
        for owner in OWNERS:
            owner_id = _owner_id(chain, owner)
            for level, step in LEVEL_STEPS.items():
                row[f"{owner}_{level}"] = _pick(recipients, owner_id, step)
        return row


def _owner_id(chain, owner_kind: str) -> int | None:
    owner = {"branch": chain.branch, "committee": chain.committee, "upper": chain.upper}[owner_kind]
    return None if owner is None else owner.id


def _pick(recipients: list[int], owner_id: int | None, step: int) -> int:
    start = recipients.index(owner_id) if owner_id in recipients else 0
    return recipients[min(start + step, len(recipients) - 1)]


OWNERS = ("branch", "committee", "upper")


def tree_fingerprint(session: Session) -> str:
    """Changes whenever an org is added, removed or moved (its path), or changes level."""
    count, top, paths, levels = session.execute(
        select(func.count(), func.coalesce(func.max(Org.id), 0), func.coalesce(func.sum(func.length(Org.path)), 0),
               func.coalesce(func.sum(Org.id * func.length(Org.level) + Org.depth), 0))).one()
    return f"{count}:{top}:{paths}:{levels}"


def refresh_recipient_table(session: Session) -> int:
    """Rebuild alert_recipients from the org tree: a row for every org (cases hang on branches, but an org
    of another level holding members still gets its alerts). Returns the number of rows."""
    recipients = Recipients(session)
    branches = list(recipients.orgs)
    session.execute(delete(AlertRecipient.__table__))
    rows = [recipients.row(b) for b in branches]
    for start in range(0, len(rows), 5000):
        session.execute(insert(AlertRecipient.__table__), rows[start:start + 5000])
    return len(rows)
