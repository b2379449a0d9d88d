"""What the 纪检登记 pages share (docs/discipline-register.md, "In the browser"): who may open them (a reader of
the register: PROGRAMMES.md §8, services/discipline/access.py), and who may keep it."""
from __future__ import annotations

from starlette.exceptions import HTTPException

from ..services.account import Account
from ..services.discipline.access import KEEPERS, READERS

def is_register_user(account: Account) -> bool:
    return bool(account.roles & set(READERS))


def keeps_register(account: Account) -> bool:
    """Whether the user keeps the register somewhere (the service still checks the person's org)."""
    return bool(account.roles & set(KEEPERS))


def require_register_user(account: Account) -> None:
    """Anyone else gets the app's own 页面不存在: the pages are not theirs to know of."""
    if not is_register_user(account):
        raise HTTPException(404)
