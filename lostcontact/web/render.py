"""Pages are rendered by the project's one autoescaping Jinja2 environment (lostcontact.templating), from
templates/pages/ (one per page) and templates/web/ (the layout and partials). Every page gets the Chinese
labels of the code tables, the logged-in account, its CSRF token and the flash message."""
from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from statemachines import codes, lifecycle, member_codes
from statemachines.discipline import codes as discipline_codes
from statemachines.dispositions import DISPOSITIONS
from statemachines.tally import LABELS as TALLY_LABELS
from statemachines.travel import codes as travel_codes, custody as travel_custody, problems as travel_problems
from statemachines.travel import registration as travel_registration, self_report as travel_self_report
from statemachines.travel import trips as travel_trips

from ..queries import lights
from ..queries.alerts import LIGHT_LABELS
from ..templating import environment  # the project's one environment (templates/ folder, autoescaping)

LABELS = SimpleNamespace(
    states=lifecycle.STATES, triggers=lifecycle.TRIGGERS, channels=codes.CHANNELS, channel_tiers=codes.CHANNEL_TIERS,
    tier_labels=codes.TIER_LABELS, outcomes=codes.OUTCOMES, roles=codes.ROLES, causes=codes.CAUSES,
    standings=codes.STANDINGS, levels=codes.ORG_LEVELS, dispositions={d.id: d.label for d in DISPOSITIONS.values()},
    lights=lights.LABELS, alert_levels={"reminder": "提醒", "overdue": "超期", "escalated": "升级督办"},
    alert_lights=LIGHT_LABELS, tally=TALLY_LABELS,
    chains={"committee": "基层党委审批", "upper": "上级党委组织部门审批", "recorded": "纪检机关决定（记录）"},
    origins={"R1": "超过六个月未联系", "R4": "“口袋”党员", "manual": "手工立案"},
    options={"opinion": "意见", "cause": "失去联系情形", "disposition": "处置", "meeting": "支部党员大会",
             "at": "办理日期（补录时填写）"},
    # the member page (党员信息)
    sexes={"M": "男", "F": "女"}, occupations=codes.OCCUPATIONS, flow_directions=codes.FLOW_DIRECTIONS,
    contact_kinds=codes.CONTACT_KINDS, contact_sources={"import": "导入", "manual": "手工"},
    member_statuses={"active": "党籍正常", "suspended": "停止党籍", "ended": "已出党", "deceased": "已去世"},
    alert_rules=codes.ALERT_RULES,
    marital_statuses=member_codes.MARITAL_STATUSES, abroad_contacts=member_codes.ABROAD_CONTACTS,
    membership_handlings=member_codes.MEMBERSHIP_HANDLINGS, life_resumptions=member_codes.LIFE_RESUMPTIONS,
    # the discipline register's side of a case (docs/discipline-register.md)
    discipline_categories=discipline_codes.CATEGORIES, discipline_states=discipline_codes.STATES,
    discipline_triggers=discipline_codes.TRIGGERS, discipline_whereabouts=discipline_codes.WHEREABOUTS,
    # 证件管理 (the travel-documents pages)
    travel=SimpleNamespace(
        ranks=travel_codes.RANKS, person_types=travel_codes.PERSON_TYPES,
        political=travel_codes.POLITICAL_STATUSES, statuses=travel_codes.REGISTRATION_STATUSES,
        registration_triggers=travel_registration.TRIGGERS,
        person_actions={"add": "登记", "import": "导入", "edit": "修改", **travel_registration.TRIGGERS},
        document_kinds={k: v.label for k, v in travel_codes.DOCUMENT_KINDS.items()},
        custody_states=travel_custody.STATES,
        custody_steps={**travel_custody.TRIGGERS, **travel_custody.INTERNAL_TRIGGERS, "record": "登记"},
        custody_notes=travel_custody.NOTE_LABELS,
        trip_states=travel_trips.STATES,
        trip_steps={**travel_trips.TRIGGERS, **travel_trips.EDIT, "apply": "申请"},
        trip_fields=travel_trips.APPLICATION_FIELDS,
        deviations=travel_trips.DEVIATIONS, problem_kinds=travel_codes.PROBLEM_KINDS,
        problem_statuses=travel_codes.PROBLEM_STATUSES, problem_steps=travel_problems.TRIGGERS,
        measures=travel_codes.MEASURES, report_states=travel_self_report.STATES,
        roles={**codes.ROLES, "import": "批量导入"}, sexes={"M": "男", "F": "女"}),
)


def _page_context(request: Request) -> dict:
    from .discipline_pages import is_register_user
    from .travel_pages import is_self_report_user, is_travel_user, reads_documents

    account = getattr(request.state, "account", None)
    return {"L": LABELS, "account": account, "csrf_token": getattr(request.state, "csrf", ""),
            "path": request.url.path, "travel_user": account is not None and is_travel_user(account),
            "travel_documents": account is not None and reads_documents(account),
            "self_report_user": account is not None and is_self_report_user(account),
            "register_user": account is not None and is_register_user(account)}


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment(), context_processors=[_page_context])


def page(request: Request, name: str, context: dict | None = None, *, status_code: int = 200) -> Response:
    flash = request.app.state.cookies.take_flash(request)
    response = templates().TemplateResponse(request, name, {"flash": flash, **(context or {})},
                                            status_code=status_code)
    if flash is not None:
        response.delete_cookie("lc_flash", path="/")
    return response
