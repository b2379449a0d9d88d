"""党员信息: a member's roster data, flags, contact history, cases and open warnings; a branch officer (or an
admin) over the member records a contact here through the same service as `contact add`, and an admin or
committee reviewer moves the member to another branch through the same service as `member transfer`.

A member outside the user's subtrees is answered exactly as an unknown member id (404, same text), for a
form post too.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from statemachines.errors import BadInput, LostContactError, UsageError

from ...queries.discipline_web import register_flags
from ...queries.member_page import id_number_of_visible_member, member_view
from ...services.auth import Account
from ...services.members import add_contact
from ...services.transfers import transfer_member
from .. import forms
from ..deps import checked_form, cookies, page_user, web_config
from ..errors import classify, error_page
from ..render import page

router = APIRouter(include_in_schema=False)
MemberId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ContactsPage = Annotated[int, Query(ge=1, le=100_000)]


def member_page(request: Request, account: Account, member_id: int, *, contacts_page: int = 1,
                error: LostContactError | None = None, submitted: dict | None = None,
                form_name: str = "contact") -> Response:
    config = web_config(request)
    today = config.today()
    member = member_view(config.db, member_id, today=today, actor_login=account.login, contacts_page=contacts_page)
    status = classify(error, request.method)[1] if error else 200
    register = register_flags(config.db, actor_login=account.login, today=today, member_id=member_id)
    return page(request, "pages/member.html", {"member": member, "today": today, "error": error,
                                               "submitted": submitted or {}, "form_name": form_name,
                                               "register": register},
                status_code=status)


@router.get("/members/{member_id}")
def show(request: Request, member_id: MemberId, contacts_page: ContactsPage = 1,
         account: Account = Depends(page_user)) -> Response:
    return member_page(request, account, member_id, contacts_page=contacts_page)


def _visible_member(request: Request, config, member_id: int, account: Account) -> tuple[str | None, Response | None]:
    """The member's ID number for a form posted about them, or the GET's own 404 page: a member outside the
    user's subtrees looks like no such member."""
    try:
        return id_number_of_visible_member(config.db, member_id, actor_login=account.login), None
    except BadInput as unknown:
        return None, error_page(request, "bad_input", unknown.zh, unknown.en, 404)


@router.post("/members/{member_id}/contacts")
def record_contact(request: Request, member_id: MemberId, form: FormData = Depends(checked_form),
                   account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    id_number, not_found = _visible_member(request, config, member_id, account)
    if not_found:
        return not_found
    try:
        on, kind = forms.day(form, "on_date", "联系日期"), forms.text(form, "kind", max_length=16)
        if on is None or kind is None:
            raise UsageError("请填写联系日期并选择联系类型", "give the contact's date and kind")
        new = add_contact(config.db, id_number, on=on, kind=kind, actor_login=account.login, today=config.today())
    except LostContactError as error:
        return member_page(request, account, member_id, error=error,
                           submitted={k: v for k, v in form.items() if k != "csrf_token"})
    response = RedirectResponse(f"/members/{member_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已记录 {on} 的联系" if new else f"{on} 的这类联系此前已记录，未重复添加")
    return response


@router.post("/members/{member_id}/transfer")
def transfer(request: Request, member_id: MemberId, form: FormData = Depends(checked_form),
             account: Account = Depends(page_user)) -> Response:
    config = web_config(request)
    id_number, not_found = _visible_member(request, config, member_id, account)
    if not_found:
        return not_found
    try:
        to_branch = forms.text(form, "to_branch", max_length=40)
        if to_branch is None:
            raise UsageError("请填写转入党支部的代码", "give the code of the branch to move to")
        moved = transfer_member(config.db, id_number, to_branch=to_branch, actor_login=account.login,
                                today=config.today(), at=forms.day(form, "at", "转接日期"),
                                expected_branch=forms.text(form, "from_branch", max_length=40))
    except LostContactError as error:
        return member_page(request, account, member_id, error=error, form_name="transfer",
                           submitted={k: v for k, v in form.items() if k != "csrf_token"})
    response = RedirectResponse(f"/members/{member_id}", status_code=303)
    cookies(request).flash(response, "ok", f"已将组织关系由 {moved.from_code} 转至 {moved.to_code}（{moved.on}）")
    return response
