"""One account, managed by an admin: grant and revoke roles, disable and enable, reset the password, end
its sessions. Each action is one service call (the CLI's), kept in the audit log with the client's address;
a refusal re-renders the page with the reason and what was typed."""
from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from models.db import Database
from statemachines.codes import ROLES
from statemachines.errors import LostContactError

from ...services import auth, users
from ...services.auth import Account
from .. import forms
from ..deps import checked_form, cookies, origin, page_user, web_config
from .admin import UserId, read_new_password, user_page

router = APIRouter(include_in_schema=False)
GrantId = Path(ge=1, le=2**31 - 1)


def _act(request: Request, account: Account, user_id: int, change: Callable[[], str],
         typed: dict | None = None) -> Response:
    try:
        message = change()
    except LostContactError as error:
        return user_page(request, account, user_id, error=error, typed=typed)
    response = RedirectResponse(f"/admin/users/{user_id}", status_code=303)
    cookies(request).flash(response, "ok", message)
    return response


def _common(request: Request, account: Account) -> dict:
    config = web_config(request)
    return {"actor_login": account.login, "origin": origin(request), "now": config.now()}


@router.post("/admin/users/{user_id}/grants")
def grant(request: Request, user_id: int = UserId, form: FormData = Depends(checked_form),
          account: Account = Depends(page_user)) -> Response:
    typed = {"role": forms.text(form, "role", max_length=32) or "", "org": forms.text(form, "org", max_length=200) or ""}

    def change() -> str:
        added = users.grant_role(web_config(request).db, user_id=user_id, role=typed["role"], org=typed["org"],
                                 **_common(request, account))
        label = ROLES.get(typed["role"], typed["role"])
        return f"已授予“{label}”" if added else f"该用户已有“{label}”授权，未作改动"
    return _act(request, account, user_id, change, typed)


@router.post("/admin/users/{user_id}/grants/{grant_id}/revoke")
def revoke(request: Request, user_id: int = UserId, grant_id: int = GrantId, _form: FormData = Depends(checked_form),
           account: Account = Depends(page_user)) -> Response:
    def change() -> str:
        _login, role, _org = users.revoke_grant(web_config(request).db, user_id=user_id, grant_id=grant_id,
                                                **_common(request, account))
        return f"已撤销“{ROLES.get(role, role)}”授权"
    return _act(request, account, user_id, change)


def account_action(path: str) -> Callable:
    """Make `change(db, user_id, form, common) -> message` the handler of POST /admin/users/{user_id}/<path>:
    the form's CSRF token checked, the change made as the admin (`common`), a refusal drawn on the page."""
    def register(change: Callable[[Database, int, FormData, dict], str]) -> Callable:
        @router.post(f"/admin/users/{{user_id}}/{path}", name=change.__name__)
        def handler(request: Request, user_id: int = UserId, form: FormData = Depends(checked_form),
                    account: Account = Depends(page_user)) -> Response:
            return _act(request, account, user_id,
                        lambda: change(web_config(request).db, user_id, form, _common(request, account)))
        return change
    return register


@account_action("disable")
def disable(db: Database, user_id: int, _form: FormData, common: dict) -> str:
    users.set_disabled(db, True, user_id=user_id, **common)
    return "已停用该账户，其所有登录会话均已结束"


@account_action("enable")
def enable(db: Database, user_id: int, _form: FormData, common: dict) -> str:
    users.set_disabled(db, False, user_id=user_id, **common)
    return "已重新启用该账户"


@account_action("password")
def reset_password(db: Database, user_id: int, form: FormData, common: dict) -> str:
    auth.set_password_by_id(db, user_id, read_new_password(form), **common)
    return "已重置密码并解除锁定，该用户原有的登录会话均已结束"


@account_action("sessions/end")
def end_sessions(db: Database, user_id: int, form: FormData, common: dict) -> str:
    ended = users.end_sessions(db, user_id=user_id, session_id=forms.integer(form, "session", "会话"), **common)
    return f"已结束 {ended} 个登录会话" if ended else "没有需要结束的会话"
