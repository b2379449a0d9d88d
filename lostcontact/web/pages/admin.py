"""用户管理 (admins): the users of my subtrees, and resetting a password (which also lifts a lockout and
ends that user's sessions). Users are named by id in URLs: a login may be a person's name."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import LostContactError, UsageError

from ...services import auth
from ...services.auth import Account
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify
from ..render import page

router = APIRouter(include_in_schema=False)


def _users_page(request: Request, account: Account, *, error: LostContactError | None = None) -> Response:
    config = web_config(request)
    users = auth.users_managed_by(config.db, account.login, now=config.now())
    return page(request, "pages/users.html", {"users": users, "error": error},
                status_code=classify(error, request.method)[1] if error else 200)


@router.get("/admin/users")
def users(request: Request, account: Account = Depends(page_user)) -> Response:
    return _users_page(request, account)


@router.post("/admin/users/{user_id}/password")
def reset_password(request: Request, user_id: int = Path(ge=1, le=2**31 - 1), form: FormData = Depends(checked_form),
                   account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    password, again = form.get("password"), form.get("password_again")
    try:
        if not isinstance(password, str) or password != again:
            raise UsageError("两次输入的密码不一致", "the two passwords differ")
        login = auth.set_password_by_id(config.db, user_id, password, actor_login=account.login)
    except LostContactError as error:
        return _users_page(request, account, error=error)
    response = RedirectResponse("/admin/users", status_code=303)
    cookies(request).flash(response, "ok", f"已重置用户 {login} 的密码并解除锁定")
    return response
