"""The JSON API under /api: the same service and query functions as the pages and the CLI, the same
shapes as `--format json` (INTERFACE.md), authenticated (bearer token or session + CSRF header) and
scoped to the caller's subtrees."""
from __future__ import annotations

from datetime import timedelta
from itertools import islice
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from statemachines.errors import Refused
from statemachines.guards import Meeting

from ...queries.actions import actions_for
from ...queries.attachments import list_attachments, open_attachment
from ...queries.alerts import open_alerts
from ...queries.case_lists import ListFilters, case_list
from ...queries.case_search import search_cases
from ...queries.cases import list_cases, show_case
from ...queries.member_page import member_view
from ...queries.overdue import SORTS, overdue_overview
from ...queries.tally import tally
from ...queries.worklist import work_queue
from ...services import auth, sessions
from ...services import cases as case_services
from ...services.attachments import attach
from ...services.auth import Account
from ..case_filters import list_filters
from ..deps import api_user, client_address, cookies, user_agent, web_config
from ..errors import error_json
from ..pages.attachments import download_response
from ..upload_cap import CappedUploadRoute
from .schemas import MAX_ID, Day, FireBody, LoginBody, OpenBody, SearchBody, SearchTermBody

ERRORS = {status: {"description": text} for status, text in (
    (400, "用法错误或输入有误 / usage error or bad input"), (401, "未登录 / not logged in"),
    (403, "被拒绝：权限、范围、状态或条件不符，或 CSRF 校验失败 / refused"),
    (404, "不存在 / unknown case, member, org or user"), (409, "冲突：他人已先办理 / someone acted first"),
    (422, "请求格式不符 / request does not match the schema"))}

router = APIRouter(responses=ERRORS)
CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]
OrgCode = Annotated[str | None, Query(max_length=64)]
FormId = Annotated[int | None, Form(ge=1, le=MAX_ID)]


@router.post("/session", tags=["auth"], responses={401: ERRORS[401]})
def login(request: Request, body: LoginBody) -> JSONResponse:
    """登录，取得令牌 / log in: a bearer token for `Authorization: Bearer …` (lockout after repeated failures)."""
    config = web_config(request)
    try:
        account = auth.authenticate(config.db, body.login, body.password, now=config.now())
    except Refused as refused:
        return error_json("unauthenticated", refused.zh, refused.en, 401)
    token = sessions.start(config.db, account.id, kind=sessions.API, now=config.now(),
                           lifetime=timedelta(seconds=config.session_seconds), user_agent=user_agent(request),
                           remote_addr=client_address(request))
    return JSONResponse({"token": cookies(request).api_token(token),
                         "token_type": "bearer", "expires_in": config.session_seconds, "login": account.login})


@router.delete("/session", tags=["auth"], status_code=204)
def logout(request: Request, _account: Account = Depends(api_user)) -> Response:
    """退出：结束本令牌（或本浏览器会话），此后它不再有效 / revoke this token (or this browser session)."""
    config = web_config(request)
    sessions.end_token(config.db, request.state.session_token, now=config.now())
    return Response(status_code=204)


@router.get("/me", tags=["auth"])
def me(account: Account = Depends(api_user)) -> dict:
    return {"login": account.login, "name": account.name,
            "grants": [{"role": g.role, "org": g.org_code, "org_name": g.org_name} for g in account.grants]}


@router.get("/queue", tags=["cases"])
def queue(request: Request, state: str | None = Query(None, max_length=24), branch: OrgCode = None,
          limit: int = Query(300, ge=1, le=5000), account: Account = Depends(api_user)) -> dict:
    """我的待办 / the cases waiting on me, most urgent first."""
    config = web_config(request)
    q = work_queue(config.db, actor_login=account.login, today=config.today(), state=state, branch_code=branch,
                   limit=limit)
    return {"total": q.total, "by_light": q.by_light, "cases": [row.as_json() for row in q.rows]}


@router.get("/cases", tags=["cases"])
def cases(request: Request, org: OrgCode = None, state: str | None = Query(None, max_length=24),
          overdue: bool = False, as_of: Day | None = None, limit: int = Query(1000, ge=1, le=100_000),
          account: Account = Depends(api_user)) -> list[dict]:
    """案件列表（同 `cases --format json`）/ the cases of my subtrees, as `cases --format json`."""
    config = web_config(request)
    return list(islice(list_cases(config.db, today=config.today(), actor_login=account.login, org_code=org,
                                  state=state, overdue=overdue, as_of=as_of), limit))


@router.post("/cases", tags=["cases"], status_code=201)
def open_case(request: Request, body: OpenBody, account: Account = Depends(api_user)) -> dict:
    """手工立案（仅当 R1 或 R4 成立）/ open a case by hand (the ID number in the body, never in a URL)."""
    config = web_config(request)
    case_id = case_services.open_case(config.db, body.id_number.upper(), actor_login=account.login,
                                      today=config.today(), cause=body.cause, at=body.at)
    return {"id": case_id}


@router.get("/cases/{case_id}", tags=["cases"])
def case(request: Request, case_id: CaseId, account: Account = Depends(api_user)) -> dict:
    """一个案件（同 `case show --format json`）及我现在可办的操作 / one case, plus what I may do now."""
    config = web_config(request)
    return show_case(config.db, case_id, today=config.today(), actor_login=account.login, with_actions=True)


@router.get("/cases/{case_id}/actions", tags=["cases"])
def actions(request: Request, case_id: CaseId, account: Account = Depends(api_user)) -> dict:
    config = web_config(request)
    return actions_for(config.db, case_id, actor_login=account.login, today=config.today()).as_json()


@router.post("/cases/{case_id}/search-log", tags=["cases"], status_code=201)
def log_search(request: Request, body: SearchBody, case_id: CaseId, account: Account = Depends(api_user)) -> dict:
    """记录一次查找（案件须处于联系查找）/ add a search-log entry."""
    config = web_config(request)
    entry = case_services.log_search(config.db, case_id, channel=body.channel, outcome=body.outcome,
                                     actor_login=account.login, today=config.today(), at=body.at, note=body.note,
                                     witness=body.witness)
    return {"id": entry}


@router.post("/cases/{case_id}/fire", tags=["cases"])
def fire(request: Request, body: FireBody, case_id: CaseId, account: Account = Depends(api_user)) -> dict:
    """执行生命周期触发器；`expected_version` 不符时返回 409 / fire a trigger (409 when someone acted first)."""
    config = web_config(request)
    meeting = Meeting.from_mapping(body.meeting.as_mapping(), "meeting") if body.meeting else None
    result = case_services.fire(config.db, case_id, body.trigger, actor_login=account.login, today=config.today(),
                                at=body.at, disposition=body.disposition, cause=body.cause, opinion=body.opinion,
                                meeting=meeting, expected_version=body.expected_version)
    return {"case_id": result.case_id, "trigger": result.trigger, "from": result.from_state, "to": result.to_state,
            "due_on": result.due_on.isoformat() if result.due_on else None, "version": result.version}


@router.get("/members/{member_id}", tags=["members"])
def member(request: Request, member_id: Annotated[int, Path(ge=1, le=MAX_ID)],
           contacts_page: int = Query(1, ge=1, le=100_000), account: Account = Depends(api_user)) -> dict:
    """党员信息：名册、标记、联系记录（分页）、案件、未关闭预警 / one member: roster data, flags, contact
    history (paged), cases and open alerts; the ID number in full only to their branch officer or an admin."""
    config = web_config(request)
    return member_view(config.db, member_id, today=config.today(), actor_login=account.login,
                       contacts_page=contacts_page)


@router.get("/cases/{case_id}/attachments", tags=["attachments"])
def attachments(request: Request, case_id: CaseId, account: Account = Depends(api_user)) -> list[dict]:
    """佐证材料（含已被替换的）/ a case's attachments, current and superseded (as in `case show --format json`)."""
    return list_attachments(web_config(request).db, case_id, actor_login=account.login)


def upload_attachment(request: Request, case_id: CaseId, file: UploadFile = File(...),
                      note: str | None = Form(None, max_length=4000), entry: FormId = None, step: FormId = None,
                      replaces: FormId = None, at: Day | None = Form(None),
                      account: Account = Depends(api_user)) -> dict:
    """上传佐证材料（PDF/JPEG/PNG，按内容识别类型）/ attach a file to the case, a search-log entry or a step."""
    config = web_config(request)
    attachment_id = attach(config.db, case_id, file.file, file.filename or "", actor_login=account.login,
                           today=config.today(), note=note, search_entry_id=entry, step_seq=step, replaces=replaces,
                           at=at, claimed_type=file.content_type)
    return {"id": attachment_id}


# the body is held to the policy's cap while it streams in (upload_cap.py), so this route is added by hand
router.add_api_route("/cases/{case_id}/attachments", upload_attachment, methods=["POST"], tags=["attachments"],
                     status_code=201, route_class_override=CappedUploadRoute,
                     responses={413: {"description": "文件超过政策规定的上限 / the file is over the policy's cap"}})


@router.get("/cases/{case_id}/attachments/{attachment_id}", tags=["attachments"],
            responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}},
                             "description": "文件本身 / the file, as a download"}})
def download_attachment(request: Request, case_id: CaseId, attachment_id: Annotated[int, Path(ge=1, le=MAX_ID)],
                        account: Account = Depends(api_user)):
    """下载佐证材料 / download one attachment (its sniffed type, never shown inline)."""
    config = web_config(request)
    return download_response(open_attachment(config.db, case_id, attachment_id, actor_login=account.login),
                             attachment_id)


@router.get("/alerts", tags=["supervision"])
def alerts(request: Request, org: OrgCode = None, as_of: Day | None = None,
           account: Account = Depends(api_user)) -> list[dict]:
    """预警（同 `alerts --format json`）/ the open alerts of my subtrees."""
    config = web_config(request)
    return open_alerts(config.db, today=config.today(), actor_login=account.login, org_code=org, as_of=as_of)


@router.get("/overdue", tags=["supervision"])
def overdue(request: Request, org: OrgCode = None, sort: str = Query("due", max_length=16),
            descending: bool = False, account: Account = Depends(api_user)) -> dict:
    """超期预警：按下级组织计数及超期案件 / open cases by traffic light per child org, and the overdue cases."""
    config = web_config(request)
    view = overdue_overview(config.db, actor_login=account.login, today=config.today(), org_code=org,
                            sort=sort if sort in SORTS else "due", descending=descending)

    def counts(c) -> dict:
        return {"org": c.code, "name": c.name, "open": c.open, "lights": c.lights}

    return {"org": counts(view.org), "children": [counts(c) for c in view.children],
            "cases": [{"id": r.id, "member_name": r.member_name, "member_id_number_masked": r.member_id_number_masked,
                       "branch_code": r.branch_code, "state": r.state, "opened_on": r.opened_on.isoformat(),
                       "due_on": r.due_on.isoformat(), "overdue_days": r.overdue_days, "light": r.light}
                      for r in view.cases]}


@router.get("/tally", tags=["supervision"])
def tally_json(request: Request, org: OrgCode = None, as_of: Day | None = None,
               account: Account = Depends(api_user)) -> dict:
    """A–X 统计表（同 `tally --format json`）/ the disposition tally, rolled up."""
    config = web_config(request)
    node, day = tally(config.db, today=config.today(), org_code=org, as_of=as_of, actor_login=account.login,
                      home=True)
    return node.as_json(day)


@router.get("/case-lists", tags=["cases"])
def case_lists(request: Request, account: Account = Depends(api_user),
               filters: ListFilters = Depends(list_filters)) -> dict:
    """全部案件 / 已办 / 已办结（同 /cases 页面的筛选、排序与分页）/ a page of a case list, as the /cases page.

    `view`: all | mine (cases I acted on) | done (closed, deceased, voided); `total` is exact up to 1000
    (`total_capped` past it)."""
    config = web_config(request)
    return case_list(config.db, actor_login=account.login, today=config.today(), filters=filters).as_json()


@router.post("/cases/search", tags=["cases"])
def search(request: Request, body: SearchTermBody, account: Account = Depends(api_user)) -> dict:
    """按姓名、案件编号、身份证号（全部或后 4–6 位）查找，限于我的管辖范围（查找内容在请求体中，不在网址中）/
    find cases by name, case number or ID number (whole or last 4–6), in my subtrees; the term goes in the body."""
    config = web_config(request)
    return search_cases(config.db, actor_login=account.login, today=config.today(), term=body.q).as_json()
