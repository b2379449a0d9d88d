"""How a page or a printed form names the person behind a login: their name (users.name), or the login
marked as having no name, so that nobody mistakes a login for a name; the sweep's own actions are the
system's."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import User

SYSTEM_ACTORS = {"system": "系统（自动）", "operator": "系统管理员（命令行）"}


def person_label(login: str, name: str | None) -> str:
    if name:
        return name
    return SYSTEM_ACTORS.get(login) or f"{login}（未填姓名）"


def person_labels(session: Session, logins: Iterable[str], *, on_paper: bool = False) -> dict[str, str]:
    """{login: label} for every login given (one query). `on_paper`: for a printed form, where a person
    appears by name only: an account without a name leaves the place blank, to be signed by hand."""
    wanted = set(logins)
    names = dict(session.execute(select(User.login, User.name).where(User.login.in_(wanted))).all()) if wanted else {}
    if on_paper:
        return {login: names.get(login) or SYSTEM_ACTORS.get(login, "") for login in wanted}
    return {login: person_label(login, names.get(login)) for login in wanted}
