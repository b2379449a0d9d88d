"""Users and their scoped grants (DOMAIN.md §6.1)."""
from __future__ import annotations

from sqlalchemy import select

from models import Grant, User
from models.db import Database

from ..orgtree import org_by_code
from ..permissions import check_grantable
from ..uow import UnitOfWork


def add_user(db: Database, login: str, *, role: str, org_code: str, name: str | None = None,
             password_hash: str | None = None) -> bool:
    """Create the user (or find it) and grant `role` over `org_code`'s subtree. Returns whether a grant was added."""
    with UnitOfWork(db) as uow:
        s = uow.session
        org = org_by_code(s, org_code)
        check_grantable(role, org.level, org.code)
        user = s.scalar(select(User).where(User.login == login))
        if user is None:
            user = User(login=login, name=name, password_hash=password_hash)
            s.add(user)
            s.flush()
        elif name:
            user.name = name
        if password_hash:
            user.password_hash = password_hash
        exists = s.scalar(select(Grant.id).where(Grant.user_id == user.id, Grant.role == role, Grant.org_id == org.id))
        if exists is None:
            s.add(Grant(user_id=user.id, role=role, org_id=org.id))
        uow.commit()
        return exists is None
