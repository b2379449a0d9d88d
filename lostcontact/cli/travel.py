"""The travel-documents registry (docs/travel-documents.md): persons, person add|edit|show|register|change|
unregister, registry-gaps (应备尽备); the documents and custody commands are in travel_documents.py."""
from __future__ import annotations

from typing import Optional

import typer

from statemachines.travel.codes import PERSON_TYPES, POLITICAL_STATUSES, RANKS, REGISTRATION_STATUSES

from . import travel_documents, travel_reports, travel_trips
from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

RANK_HELP = "职级 / rank: " + "，".join(f"{k}={v}" for k, v in RANKS.items())
TYPE_HELP = "登记备案人员类别 / registered-person type: " + "，".join(f"{k}={v}" for k, v in PERSON_TYPES.items())
POLITICAL_HELP = "政治面貌 / political status: " + "，".join(f"{k}={v}" for k, v in POLITICAL_STATUSES.items())
STATUS_HELP = "只列该备案状态 / only this registration status: " + "，".join(
    f"{k}={v}" for k, v in REGISTRATION_STATUSES.items())
VERSION_HELP = "读取时的版本号（他人已修改则拒绝）/ the version read (refused if someone changed it since)"
NOTE_HELP = "原因或说明 / reason or note"

PERSON_COLUMNS = (Column("姓名"), Column("身份证号", fixed=True, drop=2), Column("管理单位"), Column("职级"),
                  Column("登记备案人员类别", drop=1), Column("备案状态"), Column("最近记录", fixed=True, drop=3),
                  Column("工作单位及职务", drop=4))


def _person_cells(rows: list[dict]):
    for r in rows:
        unit = "".join(v for v in (r.get("work_unit"), r.get("post")) if v)
        yield (r["name"], r["id_number_masked"], f"{r['org_name']}（{r['org']}）", RANKS.get(r.get("rank"), ""),
               PERSON_TYPES.get(r.get("person_type"), "—" if "person_type" in r else ""),
               REGISTRATION_STATUSES[r["registration_status"]], r["last_event_on"], unit)


def _fields(**given) -> dict:
    return {k: v for k, v in given.items() if v is not None}


# `person edit --clear NAME`: the option's own name (without --) of each field that may be emptied
CLEAR_OPTIONS = {"type": "person_type", "unit": "work_unit", "post": "post", "authority": "authority",
                 "political-status": "political_status", "former-names": "former_names",
                 "household-place": "household_place"}
CLEAR_HELP = ("清空该项（可多次）：" + "|".join(CLEAR_OPTIONS) + "；姓名、职级、管理单位不能清空 / empty this field "
              "(repeatable); the name, rank and org cannot be emptied")


def _cleared(names: list[str]) -> tuple[str, ...]:
    """The service's field names of `--clear` options; a required or unknown one is named back as typed."""
    from statemachines.errors import UsageError
    out = []
    for name in names:
        name = name.strip().lstrip("-")
        if name not in CLEAR_OPTIONS:
            required = {"name": "姓名", "rank": "职级", "org": "管理单位"}
            raise UsageError(f"“{required[name]}”是必填项，不能清空" if name in required else
                             f"不能清空 {name}（可清空：{'、'.join(CLEAR_OPTIONS)}）",
                             f"{name} cannot be emptied (one of {'|'.join(CLEAR_OPTIONS)})", "--clear")
        out.append(CLEAR_OPTIONS[name])
    return tuple(out)


def register(app: typer.Typer) -> None:
    person_app = typer.Typer(help="证件管理：人员登记与备案 / travel documents: one person, their registration",
                             no_args_is_help=True)
    app.add_typer(person_app, name="person")
    travel_documents.register(app)
    travel_reports.register(app)
    travel_reports.register_rules_and_forms(app)
    travel_trips.register(app)

    def listing(rows: list[dict], fmt: str, title: str) -> None:
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, PERSON_COLUMNS, _person_cells(rows), title=title)
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 人 / {len(rows)} person(s)")

    @app.command("persons")
    @handles_errors
    def persons(org: Optional[str] = typer.Option(None, "--org"),
                status: Optional[str] = typer.Option(None, "--status", help=STATUS_HELP),
                as_of: Optional[str] = typer.Option(None, "--as-of"),
                fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出证件管理人员及其备案状态 / list the registry's persons with their registration status."""
        from statemachines.errors import UsageError

        from ..queries.travel import registry
        check_format(fmt, TEXT_FORMATS)
        if status is not None and status not in REGISTRATION_STATUSES:
            raise UsageError(f"未知备案状态 {status}", f"unknown registration status {status}")
        rows = registry.list_persons(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                                     org_code=org, status=status)
        listing(rows, fmt, "人员")

    @app.command("registry-gaps")
    @handles_errors
    def registry_gaps(org: Optional[str] = typer.Option(None, "--org"),
                      as_of: Optional[str] = typer.Option(None, "--as-of"),
                      fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                      actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """应备尽备：应备案而未备案（或变更待备案）的人员 / who should be registered and is not (or awaits re-filing)."""
        from ..queries.travel import registry
        check_format(fmt, TEXT_FORMATS)
        rows = registry.registration_gaps(database(), actor_login=actor, today=today(),
                                          as_of=parse_date(as_of, "--as-of"), org_code=org)
        listing(rows, fmt, "应备未备人员（应备尽备）")

    @person_app.command("add")
    @handles_errors
    def person_add(id_number: str, name: str = typer.Option(..., "--name", help="姓名 / name"),
                   org: str = typer.Option(..., "--org", help="管理该人员的组织代码 / the org that manages the person"),
                   rank: str = typer.Option(..., "--rank", help=RANK_HELP),
                   person_type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
                   unit: Optional[str] = typer.Option(None, "--unit", help="工作单位 / work unit"),
                   post: Optional[str] = typer.Option(None, "--post", help="职务 / post"),
                   authority: Optional[str] = typer.Option(None, "--authority", help="人事主管部门 / personnel authority"),
                   political: Optional[str] = typer.Option(None, "--political-status", help=POLITICAL_HELP),
                   former: Optional[str] = typer.Option(None, "--former-names", help="曾用名 / former names"),
                   household: Optional[str] = typer.Option(None, "--household-place",
                                                           help="户口所在地 / household registration place"),
                   at: Optional[str] = typer.Option(None, "--at"),
                   actor: str = typer.Option(..., "--actor")) -> None:
        """登记一名人员（未备案）/ record a person (unregistered)."""
        from ..services.travel import persons as person_services
        result = person_services.add_person(
            database(), id_number, name=name, org_code=org, rank=rank, actor_login=actor, today=today(),
            at=parse_date(at, "--at"), **_fields(person_type=person_type, work_unit=unit, post=post,
                                                 authority=authority, political_status=political,
                                                 former_names=former, household_place=household))
        typer.echo(f"已登记人员 / person recorded: {_masked(result.id_number)}")

    @person_app.command("edit")
    @handles_errors
    def person_edit(id_number: str, name: Optional[str] = typer.Option(None, "--name", help="姓名 / name"),
                    org: Optional[str] = typer.Option(None, "--org", help="改由该组织管理 / move to this org"),
                    rank: Optional[str] = typer.Option(None, "--rank", help=RANK_HELP),
                    person_type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
                    unit: Optional[str] = typer.Option(None, "--unit", help="工作单位 / work unit"),
                    post: Optional[str] = typer.Option(None, "--post", help="职务 / post"),
                    authority: Optional[str] = typer.Option(None, "--authority",
                                                            help="人事主管部门 / personnel authority"),
                    political: Optional[str] = typer.Option(None, "--political-status", help=POLITICAL_HELP),
                    former: Optional[str] = typer.Option(None, "--former-names", help="曾用名 / former names"),
                    household: Optional[str] = typer.Option(None, "--household-place",
                                                            help="户口所在地 / household registration place"),
                    clear: Optional[list[str]] = typer.Option(None, "--clear", help=CLEAR_HELP),
                    version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                    at: Optional[str] = typer.Option(None, "--at"),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """修改人员信息（已备案者单位、职务、主管部门变化即转为变更备案；--clear 清空误填的选填项）/ edit a person (a
        registered person whose unit, post or authority changes becomes `changed`; --clear empties an optional
        field)."""
        from ..services.travel import persons as person_services
        result = person_services.edit_person(
            database(), id_number, actor_login=actor, today=today(), at=parse_date(at, "--at"),
            expected_version=version, org_code=org, clear=_cleared(clear or []),
            **_fields(name=name, rank=rank, person_type=person_type, work_unit=unit, post=post, authority=authority,
                      political_status=political, former_names=former, household_place=household))
        typer.echo(f"已修改 / edited: {_masked(result.id_number)}  {REGISTRATION_STATUSES[result.registration_status]}"
                   f"（版本 {result.version} / version {result.version}）")

    def registration_command(name: str, trigger: str, doc: str, note_required: bool) -> None:
        @person_app.command(name, help=doc)
        @handles_errors
        def run(id_number: str,
                note: Optional[str] = typer.Option(None, "--note", help=NOTE_HELP + ("（必填 / required）"
                                                                                     if note_required else "")),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at"),
                actor: str = typer.Option(..., "--actor")) -> None:
            from ..services.travel import persons as person_services
            result = person_services.fire_registration(database(), id_number, trigger, actor_login=actor,
                                                       today=today(), at=parse_date(at, "--at"), note=note,
                                                       expected_version=version)
            typer.echo(f"{_masked(result.id_number)}：{REGISTRATION_STATUSES[result.registration_status]} / "
                       f"{result.registration_status}")

    registration_command("register", "register", "备案（首次备案或变更后重新备案）/ file the person with the exit-entry "
                         "administration (first time, or re-filed after a change)", False)
    registration_command("change", "change", "标记为变更备案（须注明变更内容）/ mark the registration changed, to be "
                         "re-filed (--note: what changed)", True)
    registration_command("unregister", "revoke", "撤销备案（须注明原因：调离、退休、死亡等）/ revoke the registration "
                         "(--note: left, retired, died …)", True)

    @person_app.command("show")
    @handles_errors
    def person_show(id_number: str, as_of: Optional[str] = typer.Option(None, "--as-of"),
                    fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
                    actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看人员：信息、备案经过、证件 / show one person: record, registration history, documents."""
        from ..queries.travel import registry
        check_format(fmt, ("table", "json"))
        data = registry.show_person(database(), id_number, actor_login=actor, today=today(),
                                    as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
        else:
            _print_person(data)


def _masked(number: str) -> str:
    from ..masking import mask_id
    return mask_id(number)


IMPORT_ROLE = {"import": "批量导入"}
ACTIONS = {"add": "登记", "import": "导入", "edit": "修改", "register": "备案", "change": "变更备案",
           "revoke": "撤销备案"}


def _print_person(data: dict) -> None:
    from statemachines.codes import ROLES
    from statemachines.travel.codes import DOCUMENT_KINDS
    from statemachines.travel.custody import STATES

    from .tables import console, print_table
    out = console()
    out.print(f"{data['name']}  {data.get('id_number', data['id_number_masked'])}  管理单位 {data['org']}  "
              f"备案状态 {REGISTRATION_STATUSES[data['registration_status']]}  最近记录 {data['last_event_on']}"
              f"  截至 {data['as_of']}  版本 {data['version']}")
    if "history" not in data:
        return
    unit = "".join(v for v in (data["work_unit"], data["post"]) if v) or "—"
    out.print(f"职级 {RANKS[data['rank']]}  类别 {PERSON_TYPES.get(data['person_type'], '—')}  工作单位及职务 {unit}  "
              f"人事主管部门 {data['authority'] or '—'}  {'已关联党员名册' if data['member_linked'] else ''}")
    print_table((Column("日期", fixed=True), Column("事项"), Column("备案状态"), Column("说明", least=16),
                 Column("操作人"), Column("角色", drop=1)),
                [(h["on"], ACTIONS.get(h["action"], h["action"]), REGISTRATION_STATUSES[h["to_status"]],
                  h["note"] or _changes(h["changes"]), h["actor"], {**ROLES, **IMPORT_ROLE}.get(h["role"], h["role"]))
                 for h in data["history"]], title="登记备案经过", out=out)
    if data["documents"]:
        print_table((Column("编号", fixed=True, numeric=True), Column("证件"), Column("号码", fixed=True),
                     Column("有效期至", fixed=True), Column("保管状态"), Column("应交回", fixed=True, drop=1)),
                    [(d["id"], DOCUMENT_KINDS[d["kind"]].label, d.get("number", d["number_masked"]), d["expires_on"],
                      STATES[d["state"]], d["return_due_on"] or "") for d in data["documents"]],
                    title="证件", out=out)


def _changes(changes: dict | None) -> str:
    if not changes:
        return ""
    return "；".join(f"{k}：{old or '—'} → {new or '—'}" for k, (old, new) in changes.items())
