"""`lostcontact tally`: the tally an actor may see, for an org (or the actor's whole scope) and a date."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Org
from models.db import Database
from statemachines.errors import BadInput, Refused, UsageError

from ...permissions import Actor, load_actor, top_grant
from ...services.dates import check_as_of
from ...uow import UnitOfWork
from ..cases import scoped_org
from .compute import TallyNode, compute_tally


def tally_root(session: Session, actor: Actor, org_code: str | None) -> Org:
    """`--org` once the actor may see it; else the one tree (operator) or the one subtree (actor) in view."""
    if org_code is not None:
        return scoped_org(session, actor, org_code)
    if actor.is_operator:
        roots = session.scalars(select(Org).where(Org.parent_id.is_(None)).order_by(Org.code)).all()
    else:
        if not actor.grants:
            raise Refused(f"{actor.person()}没有任何授权，看不到任何组织",
                          f"{actor.login} has no grant: no organisation is in view")
        paths = sorted({g.org_path for g in actor.grants})
        tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        roots = session.scalars(select(Org).where(Org.path.in_(tops)).order_by(Org.code)).all()
    if not roots:
        raise BadInput("没有可统计的组织（请先导入组织）", "there is no organisation to tally (import the orgs first)")
    if len(roots) > 1:
        codes = "、".join(r.code for r in roots)
        raise UsageError(f"有多个组织可统计（{codes}），请用 --org 指定一个",
                         f"several organisations are in view ({', '.join(r.code for r in roots)}): pick one with --org")
    return roots[0]


def tally(db: Database, *, today: date, org_code: str | None = None, as_of: date | None = None,
          actor_login: str | None = None, home: bool = False) -> tuple[TallyNode, date]:
    """The rolled-up A–X tally and the date it is as of (`--as-of` in the future is refused). With `home`
    and no org, the org of the actor's highest grant (where the web pages open) rather than the one
    subtree in view."""
    day = check_as_of(as_of, today)
    with UnitOfWork(db, write=False) as uow:
        s = uow.session
        actor = load_actor(s, actor_login)
        if org_code is None and home:
            org_code = top_grant(actor).org_code
        return compute_tally(s, tally_root(s, actor, org_code), day), day
