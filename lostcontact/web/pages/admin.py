"""用户管理 (admins): search the accounts of my subtrees (paged), create one, and open one to manage it
(pages/admin_user.py). Users are named by id in URLs: a login may be a person's name. An account outside
my subtrees is answered exactly as an unknown one."""
from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import LostContactError, UsageError

from ...queries.audit import person
from ...queries.users import org_choices, search_users, user_detail
from ...services import auth, users
from ...services.auth import Account
from .. import forms
from ..deps import checked_form, cookies, origin, page_user, web_config
from ..errors import classify
from ..render import page

router = APIRouter(include_in_schema=False)
UserId = Path(ge=1, le=2**31 - 1)
BLANK = {"login": "", "name": "", "role": "", "org": ""}  # the forms' fields, as first shown


def users_page(request: Request, account: Account, *, q: str | None = None, page_no: int = 1,
               error: LostContactError | None = None, typed: dict | None = None) -> Response:
    config = web_config(request)
    found = search_users(config.db, account.login, query=q, page=page_no, now=config.now())

    def page_link(number: int) -> str:
        return "/admin/users?" + urlencode({**({"q": found.query} if found.query else {}), "page": number})
    return page(request, "pages/users.html", {
        "found": found, "error": error, "typed": {**BLANK, **(typed or {})}, "role_choices": users.ROLE_CHOICES, "page_link": page_link,
        "orgs": org_choices(config.db, account.login)},
        status_code=classify(error, request.method)[1] if error else 200)


@router.get("/admin/users")
def users_list(request: Request, q: str | None = Query(None, max_length=64), page_no: int = Query(1, alias="page",
               ge=1, le=100_000), account: Account = Depends(page_user)) -> Response:
    return users_page(request, account, q=q, page_no=page_no)


def read_new_password(form: FormData) -> str:
    password, again = form.get("password"), form.get("password_again")
    if not isinstance(password, str) or password != again:
        raise UsageError("两次输入的密码不一致", "the two passwords differ")
    return password


@router.post("/admin/users")
def create(request: Request, form: FormData = Depends(checked_form),
           account: Account = Depends(page_user)) -> Response:
    """新增用户: login, name, a first grant, and an initial password or none (the user cannot log in
    until an admin sets one)."""
    config = web_config(request)
    typed = {key: forms.text(form, key, max_length=200) or "" for key in ("login", "name", "role", "org")}
    try:
        if not typed["login"]:
            raise UsageError("请填写用户名", "the login is required")
        if not typed["role"]:
            raise UsageError("请选择角色", "the role is required")
        password = read_new_password(form) if form.get("password_mode") == "set" else None
        user_id = users.create_user(config.db, typed["login"], role=typed["role"], org=typed["org"],
                                    name=typed["name"] or None,
                                    password_hash=auth.hash_password(password) if password else None,
                                    actor_login=account.login, origin=origin(request), now=config.now())
    except LostContactError as error:
        return users_page(request, account, error=error, typed=typed)
    response = RedirectResponse(f"/admin/users/{user_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已新增用户 {person(typed['login'], typed['name'] or None)}")
    return response


def user_page(request: Request, account: Account, user_id: int, *, error: LostContactError | None = None,
              typed: dict | None = None) -> Response:
    config = web_config(request)
    detail = user_detail(config.db, account.login, user_id, now=config.now())
    return page(request, "pages/user.html", {
        "detail": detail, "u": detail.user, "error": error, "typed": {**BLANK, **(typed or {})}, "role_choices": users.ROLE_CHOICES,
        "orgs": org_choices(config.db, account.login), "tz_info": ZoneInfo(config.settings.tz)},
        status_code=classify(error, request.method)[1] if error else 200)


@router.get("/admin/users/{user_id}")
def user(request: Request, user_id: int = UserId, account: Account = Depends(page_user)) -> Response:
    return user_page(request, account, user_id)
