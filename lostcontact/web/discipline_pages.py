"""What the 纪检登记 pages share (docs/discipline-register.md, "In the browser"): who may open them (a reader of
the register: PROGRAMMES.md §8, services/discipline/access.py), who may keep it, and the register services'
refusals in the words of the form (they name the command line's options)."""
from __future__ import annotations

from starlette.exceptions import HTTPException

from statemachines.errors import LostContactError

from ..services.account import Account
from ..services.discipline.access import KEEPERS, READERS

# the command line's options the register's services name, as the web form calls them
_FIELD_WORDS = (("--recontact-note", "“再次联系情况”"), ("--case-filed-by", "“立案单位”"),
                ("--case-filed-on", "“立案时间”"), ("--whereabouts", "“去向”"), ("--note", "“说明”"),
                ("--actor", "登录用户"))


def is_register_user(account: Account) -> bool:
    return bool(account.roles & set(READERS))


def keeps_register(account: Account) -> bool:
    """Whether the user keeps the register somewhere (the service still checks the person's org)."""
    return bool(account.roles & set(KEEPERS))


def require_register_user(account: Account) -> None:
    """Anyone else gets the app's own 页面不存在: the pages are not theirs to know of."""
    if not is_register_user(account):
        raise HTTPException(404)


def in_form_words(error: LostContactError) -> LostContactError:
    """The refusal with the form's field names for the command line's options, of the same kind."""
    zh = error.zh
    for option, word in _FIELD_WORDS:
        zh = zh.replace(option, word)
    return type(error)(zh, error.en, details=error.details)
