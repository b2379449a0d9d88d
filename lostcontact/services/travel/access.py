"""Who may see and do what in the travel-documents programme (PROGRAMMES.md §8), scoped to the subtrees of
grants like every action. A person outside the actor's subtrees is answered exactly as an ID number that
matches no person: typing numbers must not tell anyone who is registered, nor where."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Org, Person
from statemachines.codes import ROLES
from statemachines.errors import BadInput, Refused

from ...masking import mask_id
from ...permissions import Actor, GrantRef, load_actor, scope_filter

CUSTODIAN = ("cadre_supervisor",)  # registry, registration, custody (PROGRAMMES.md §8)
READERS = ("cadre_supervisor", "discipline_officer", "exit_entry_liaison", "admin")
# the liaison sees registration status, no other personal data
STATUS_ONLY = ("exit_entry_liaison",)

ACTION_LABELS = {"person add": "登记人员", "person edit": "修改人员信息", "person import": "导入人员",
                 "register": "备案", "change": "变更备案", "revoke": "撤销备案", "document add": "登记证件",
                 "receive": "收交保管", "check_out": "领用", "return": "交回", "release": "退还本人",
                 "report_lost": "报失", "verify_loss": "核实挂失",
                 # private trips (PROGRAMMES.md §3)
                 "trip apply": "登记因私出国（境）申请", "trip edit": "修改出行申请",
                 "trip submit": "报送出行申请", "trip consult": "征求纪检监察机关意见",
                 "trip approve": "批准出行", "trip refuse": "不予批准出行", "trip withdraw": "撤回出行申请",
                 "trip depart": "登记出境", "trip return": "登记回国（境）", "trip close": "办结出行",
                 "change report": "报送变更备案", "travel rule": "登记出国（境）管理制度",
                 "self-report open": "发起自查自报", "self-report submit": "录入自查自报"}

_persons, _orgs = Person.__table__, Org.__table__
_PERSON_BY_NUMBER = (select(_persons, _orgs.c.path.label("org_path"), _orgs.c.code.label("org_code"),
                            _orgs.c.name.label("org_name"))
                     .join(_orgs, _orgs.c.id == _persons.c.org_id)
                     .where(_persons.c.id_number == bindparam("id_number")))


def unknown_person(number: str) -> BadInput:
    """The one answer about a person the actor may not see, whatever was asked of them."""
    return BadInput(f"未知人员（身份证号 {mask_id(number)}）或不在您的管理范围内",
                    f"no person with ID number {mask_id(number)} in your subtrees")


def unknown_org(code: str) -> BadInput:
    return BadInput(f"组织代码 {code} 不存在或不在您的管理范围内", f"org code {code} is unknown or outside your subtrees")


def reader_grants(actor: Actor) -> tuple[GrantRef, ...]:
    return tuple(g for g in actor.grants if g.role in READERS)


def may_read(actor: Actor, org_path: str) -> bool:
    return actor.is_operator or any(org_path.startswith(g.org_path) for g in reader_grants(actor))


def reader_scope(actor: Actor, path_column):
    """WHERE clause: the orgs whose persons the actor may read (None: the local operator, the whole tree)."""
    return scope_filter(Actor(actor.login, reader_grants(actor)), path_column)


def status_only(actor: Actor) -> bool:
    """The actor reads registration status only (an exit-entry liaison with no other reading grant)."""
    roles = {g.role for g in reader_grants(actor)}
    return bool(roles) and roles <= set(STATUS_ONLY)


def may_see_full_numbers(actor: Actor, org_path: str) -> bool:
    """Full ID and document numbers: the custodian, the person's own cadre supervisor (PROGRAMMES.md §8)."""
    return any(g.role in CUSTODIAN and org_path.startswith(g.org_path) for g in actor.grants)


def custodian_grant(actor: Actor, org_path: str, action: str) -> GrantRef:
    """The actor's cadre-supervisor grant over `org_path`, or Refused saying why (the actor may read there)."""
    label = ACTION_LABELS.get(action, action)
    if actor.is_operator:
        raise Refused(f"{label}需要指定办理用户", f"{action} needs the user who does it", "--actor")
    for grant in actor.grants:
        if grant.role in CUSTODIAN and org_path.startswith(grant.org_path):
            return grant
    names = "、".join(ROLES[r] for r in CUSTODIAN)
    raise Refused(f"{label}须由管理该单位的{names}办理，{actor.person()}没有该授权",
                  f"{action} needs a {'/'.join(CUSTODIAN)} grant over the person's org; {actor.login} has none")


def person_in_scope(session: Session, id_number: str, actor_login: str | None):
    """The person with this typed ID number (a row with `org_path`, `org_code`, `org_name`) and the actor,
    when the actor may read that person; else `unknown_person`, the same whether or not the person exists."""
    from ..members import typed_id_number

    number = typed_id_number(id_number)
    actor = load_actor(session, actor_login)  # an unknown actor is refused as such first
    row = session.connection().execute(_PERSON_BY_NUMBER, {"id_number": number}).first()
    if row is None or not may_read(actor, row.org_path):
        raise unknown_person(number)
    return row, actor


def org_for_custodian(session: Session, code: str, actor: Actor, action: str) -> tuple[int, str, GrantRef]:
    """(id, path, grant) of the org `code`, when the actor is a cadre supervisor over it; an org outside the
    actor's subtrees is answered as an unknown one."""
    row = session.connection().execute(select(_orgs.c.id, _orgs.c.path).where(_orgs.c.code == code)).first()
    if row is None or not (actor.is_operator or may_read(actor, row.path)):
        raise unknown_org(code)
    return row.id, row.path, custodian_grant(actor, row.path, action)
