"""Reading 佐证材料: a case's attachments (current and replaced), the choices of the upload form, and one file
opened for download — each after the same scope check as its case (outside = as if it did not exist)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from models import CaseEvent, SearchEntry, User
from models.db import Database
from models.evidence import Attachment
from statemachines.codes import CHANNELS
from statemachines.errors import Refused
from statemachines.case_states import STATES, TRIGGERS

from ..orgtree import branch_chain_at
from ..permissions import grant_for, load_actor
from ..policies import policy_as_of
from ..services.attachment_files import ACCEPT, KINDS
from ..services.attachments import ACTION, ATTACH_ROLES, unknown_attachment, visible_case
from ..storage import Storage, storage_for
from ..uow import UnitOfWork

def person(login: str, name: str | None) -> str:
    return name or f"{login}（未填姓名）"


def _step_label(trigger: str, to_state: str) -> str:
    return "立案" if trigger == "open" else TRIGGERS.get(trigger, STATES.get(to_state, trigger))


@lru_cache(maxsize=1)
def _attachments_of_case():
    """The statement of attachment_rows, built once (with the case as a parameter): building it, aliased
    join and all, cost more than running it."""
    newer = aliased(Attachment)  # the attachment that replaced this one, if any
    return (select(Attachment, newer.id.label("superseded_by"), User.name, SearchEntry.effective_on,
                   SearchEntry.channel, CaseEvent.trigger, CaseEvent.to_state, CaseEvent.effective_on.label("step_on"))
            .outerjoin(newer, newer.supersedes_id == Attachment.id)
            .outerjoin(User, User.login == Attachment.actor)
            .outerjoin(SearchEntry, SearchEntry.id == Attachment.search_entry_id)
            .outerjoin(CaseEvent, and_(CaseEvent.case_id == Attachment.case_id, CaseEvent.seq == Attachment.step_seq))
            .where(Attachment.case_id == bindparam("case_id")).order_by(Attachment.id))


def attachment_rows(session: Session, case_id: int) -> list[dict]:
    """Every attachment of one case, oldest first, with what it documents and whether it was replaced.
    (The caller has checked the case is in scope.) One indexed query; a case has a handful."""
    rows = session.execute(_attachments_of_case(), {"case_id": case_id}).all()
    out = []
    for a, superseded_by, actor_name, entry_on, channel, trigger, to_state, step_on in rows:
        if a.search_entry_id is not None:
            documents = f"查找记录：{entry_on.isoformat()} {CHANNELS.get(channel, channel)}"
        elif a.step_seq is not None:
            documents = f"办理环节：{step_on.isoformat()} {_step_label(trigger, to_state)}"
        else:
            documents = "案件"
        out.append({
            "id": a.id, "file_name": a.file_name, "content_type": a.content_type, "kind": KINDS[a.content_type][0],
            "size": a.size, "sha256": a.sha256, "note": a.note, "actor": a.actor,
            "actor_name": person(a.actor, actor_name), "role": a.role, "at": a.effective_on.isoformat(),
            "recorded_at": a.recorded_at.isoformat(timespec="seconds"), "search_entry_id": a.search_entry_id,
            "step_seq": a.step_seq, "documents": documents, "supersedes_id": a.supersedes_id,
            "superseded_by": superseded_by})
    return out


@dataclass(frozen=True)
class AttachmentPanel:
    """The 佐证材料 panel of the case page: the list, and the upload form's choices when the user may attach."""
    rows: list[dict]
    can_attach: bool
    max_mb: int
    accept: str
    entries: list[tuple[int, str]]     # (search entry id, label)
    steps: list[tuple[int, str]]       # (history seq, label)

    @property
    def current(self) -> list[dict]:
        return [r for r in self.rows if r["superseded_by"] is None]


def attachment_panel(db: Database, case_id: int, *, actor_login: str, today) -> AttachmentPanel:
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        case = visible_case(s, actor, case_id)
        try:
            grant_for(actor, ATTACH_ROLES, branch_chain_at(s, case.branch_path), ACTION)
            can_attach = True
        except Refused:
            can_attach = False
        entries = s.execute(select(SearchEntry.id, SearchEntry.effective_on, SearchEntry.channel, SearchEntry.outcome)
                            .where(SearchEntry.case_id == case.id).order_by(SearchEntry.effective_on, SearchEntry.id))
        steps = s.execute(select(CaseEvent.seq, CaseEvent.effective_on, CaseEvent.trigger, CaseEvent.to_state)
                          .where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))
        return AttachmentPanel(
            rows=attachment_rows(s, case.id), can_attach=can_attach,
            max_mb=policy_as_of(s, today).attachment_max_mb, accept=ACCEPT,
            entries=[(i, f"{on.isoformat()} {CHANNELS.get(ch, ch)}") for i, on, ch, _o in entries],
            steps=[(seq, f"{on.isoformat()} {_step_label(t, to)}") for seq, on, t, to in steps])


def upload_limit(db: Database, case_id: int, *, actor_login: str | None, today) -> int:
    """The largest upload the policy accepts today, once the case is known to be in the actor's scope (a
    web upload asks before reading the request body)."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        visible_case(s, load_actor(s, actor_login), case_id)
        return policy_as_of(s, today).attachment_max_bytes


def attachment_cap(db: Database, *, today) -> int:
    """The policy's cap today, for an upload not yet tied to a user or a case (the same for every case, so
    it tells nobody anything): how much of a request body the API reads at most."""
    with UnitOfWork(db, write=False) as uow:
        return policy_as_of(uow.session, today).attachment_max_bytes


def list_attachments(db: Database, case_id: int, *, actor_login: str | None) -> list[dict]:
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        case = visible_case(s, load_actor(s, actor_login), case_id)
        return attachment_rows(s, case.id)


@dataclass(frozen=True)
class Download:
    file_name: str
    content_type: str
    size: int
    sha256: str
    stream: BinaryIO

    def chunks(self, size: int = 64 * 1024):
        """The bytes in pieces, closing the stream at the end (a download is streamed, never held whole)."""
        try:
            while chunk := self.stream.read(size):
                yield chunk
        finally:
            self.stream.close()


def open_attachment(db: Database, case_id: int, attachment_id: int, *, actor_login: str | None,
                    storage: Storage | None = None) -> Download:
    """One attachment's bytes with its sniffed type (the caller closes `stream`, or reads `chunks()`). An
    attachment of another case, or any attachment of a case outside the actor's subtrees, is answered exactly
    as one that does not exist."""
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        case = visible_case(s, load_actor(s, actor_login), case_id)
        row = s.execute(select(Attachment.file_name, Attachment.content_type, Attachment.size, Attachment.sha256,
                               Attachment.storage_key)
                        .where(Attachment.id == attachment_id, Attachment.case_id == case.id)).first()
        if row is None:
            raise unknown_attachment(attachment_id)
    stream = (storage or storage_for(db)).open(row.storage_key)
    return Download(row.file_name, row.content_type, row.size, row.sha256, stream)
