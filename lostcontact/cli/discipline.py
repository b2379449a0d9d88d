"""The discipline commission's register (docs/discipline-register.md): discipline candidates|entries|show|add|
find|return|decease|revoke, and unit contacts (person contact)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional

import typer

from statemachines.errors import UsageError

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

CATEGORY_HELP = "类别 / category: lost=失联，fled=外逃，absconded=出走"
VERSION_HELP = "读取时的版本号（他人已办理则拒绝）/ the version read (refused if someone acted since)"
MAX_ROW_ID = 2**31 - 1
CANDIDATE_COLUMNS = (Column("姓名"), Column("身份证号", fixed=True, drop=2), Column("单位"),
                     Column("最近联系", fixed=True), Column("联系对象", drop=1), Column("失联党员案件", fixed=True, drop=3))
ENTRY_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("类别"), Column("姓名"),
                 Column("身份证号", fixed=True, drop=3), Column("单位", drop=4), Column("起始日期", fixed=True),
                 Column("登记日期", fixed=True, drop=2), Column("状态"), Column("失联党员案件", fixed=True, drop=1))

RISK_COLUMNS = (Column("姓名"), Column("身份证号", fixed=True, drop=2), Column("单位", drop=1), Column("失联起始", fixed=True),
                Column("原因", least=16))


def _entry_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"登记编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"an entry number is 1 to {MAX_ROW_ID}")
    return value


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="纪检监察机关：失联、外逃、出走人员登记 / the discipline register of lost, fled and "
                        "absconded persons", no_args_is_help=True)
    app.add_typer(group, name="discipline")

    @group.command("candidates")
    @handles_errors
    def candidates_(org: Optional[str] = typer.Option(None, "--org"),
                    as_of: Optional[str] = typer.Option(None, "--as-of"),
                    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                    actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """连续3个月以上未与党组织或单位联系的人员（待再次联系）/ persons without contact for more than the months."""
        from ..queries.discipline import candidates
        check_format(fmt, TEXT_FORMATS)
        rows = candidates(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                          org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, CANDIDATE_COLUMNS, ((r["person_name"], r["person_id_number_masked"], f"{r['org_name']}（{r['org']}）",
                                       r["last_contact_on"], "党组织" if r["contact_with"] == "org" else "单位",
                                       r["case_id"] or "") for r in rows), title="失联人员（待再次联系）")

    @group.command("entries")
    @handles_errors
    def entries(org: Optional[str] = typer.Option(None, "--org"),
                category: Optional[str] = typer.Option(None, "--category", help=CATEGORY_HELP),
                state: Optional[str] = typer.Option(None, "--state", help="只列该状态 / only this state: open|found|"
                                                    "returned|deceased|revoked"),
                as_of: Optional[str] = typer.Option(None, "--as-of"),
                fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """登记的失联、外逃、出走人员 / the register's entries."""
        from statemachines.discipline.codes import CATEGORIES, STATES

        from ..queries.discipline import iter_entries
        check_format(fmt, TEXT_FORMATS)
        if category is not None and category not in CATEGORIES:
            raise UsageError(f"未知类别 {category}", f"unknown category {category}")
        if state is not None and state not in STATES:
            raise UsageError(f"未知状态 {state}", f"unknown state {state}")
        rows = iter_entries(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                            org_code=org, category=category, state=state)
        if fmt == "json":
            _emit_json_rows(rows)
            return
        emit(fmt, ENTRY_COLUMNS, ((r["id"], CATEGORIES[r["category"]], r["person_name"], r["person_id_number_masked"],
                                   f"{r['org_name']}（{r['org']}）", r["since_on"], r["opened_on"], STATES[r["state"]],
                                   r["case_id"] or "") for r in rows), title="失联、外逃、出走人员登记")

    @group.command("add")
    @handles_errors
    def add(id_number: str, category: str = typer.Option(..., "--category", help=CATEGORY_HELP),
            since: str = typer.Option(..., "--since", help="失联/外逃/出走时间 / lost, fled or left on"),
            recontact_on: str = typer.Option(..., "--recontact-on", help="再次联系的日期 / the day the re-contact failed"),
            recontact_note: str = typer.Option(..., "--recontact-note", help="经再次联系仍然无法取得联系的情况 / how the "
                                               "re-contact failed"),
            disciplined: Optional[bool] = typer.Option(None, "--disciplined/--not-disciplined",
                                                       help="是否受过党政纪处分 / whether disciplined"),
            sanction: Optional[str] = typer.Option(None, "--sanction", help="处分情况 / the sanction"),
            remarks: Optional[str] = typer.Option(None, "--remarks", help="备注 / remarks"),
            documents_held: Optional[str] = typer.Option(None, "--documents-held", help="外逃所持证照信息 / documents "
                                                         "held when fleeing"),
            whereabouts: Optional[str] = typer.Option(None, "--whereabouts", help="去向 / whereabouts: domestic=国内，"
                                                      "abroad=国（境）外"),
            place: Optional[str] = typer.Option(None, "--place", help="所在地 / place"),
            case_filed_by: Optional[str] = typer.Option(None, "--case-filed-by", help="立案单位 / the case filed by"),
            case_filed_on: Optional[str] = typer.Option(None, "--case-filed-on", help="立案时间 / the case filed on"),
            offence: Optional[str] = typer.Option(None, "--offence", help="涉嫌罪名 / suspected offence"),
            amount: Optional[str] = typer.Option(None, "--amount", help="涉案金额（万元）/ amount involved (10k yuan)"),
            region: Optional[str] = typer.Option(None, "--region", help="所属地区（出走）/ region (absconded)"),
            at: Optional[str] = typer.Option(None, "--at"),
            actor: str = typer.Option(..., "--actor")) -> None:
        """登记一名失联、外逃或出走人员（须已再次联系未果）/ enter a person once the re-contact failed."""
        from ..services.discipline.register import add_entry
        fields = dict(disciplined=disciplined, sanction=sanction, remarks=remarks, documents_held=documents_held,
                      whereabouts=whereabouts, place=place, case_filed_by=case_filed_by,
                      case_filed_on=parse_date(case_filed_on, "--case-filed-on"), suspected_offence=offence,
                      amount_wan=amount, region=region)
        result = add_entry(database(), id_number, category, since_on=parse_date(since, "--since"),
                           recontact_on=parse_date(recontact_on, "--recontact-on"), recontact_note=recontact_note,
                           actor_login=actor, today=today(), at=parse_date(at, "--at"), **fields)
        linked = f"，关联失联党员案件 {result.case_id} / linked to case {result.case_id}" if result.case_id else ""
        typer.echo(f"已登记第 {result.id} 号 / entry {result.id} made{linked}")

    def ending(name: str, trigger: str, doc: str) -> None:
        @group.command(name, help=doc)
        @handles_errors
        def run(entry_id: int = typer.Argument(..., help="登记编号 / the entry's number"),
                note: Optional[str] = typer.Option(None, "--note", help="说明（撤销须填）/ note (required to revoke)"),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at"),
                actor: str = typer.Option(..., "--actor")) -> None:
            from statemachines.discipline.codes import STATES

            from ..services.discipline.register import fire_entry
            result = fire_entry(database(), _entry_id(entry_id), trigger, actor_login=actor, today=today(),
                                at=parse_date(at, "--at"), note=note, expected_version=version)
            typer.echo(f"第 {result.id} 号：{STATES[result.state]} / {result.state}")

    ending("find", "find", "已取得联系 / reached again")
    ending("return", "return", "已归案/已回国（外逃、出走）/ back (fled or absconded)")
    ending("decease", "decease", "确认死亡 / confirmed dead")
    ending("revoke", "revoke", "撤销登记（登记有误，须说明）/ revoke a wrong entry (--note)")

    @group.command("risks")
    @handles_errors
    def risks(org: Optional[str] = typer.Option(None, "--org"),
              as_of: Optional[str] = typer.Option(None, "--as-of"),
              fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
              actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """外逃风险人员及其原因 / persons at flight risk, with their reasons."""
        from ..queries.discipline import flight_risks
        check_format(fmt, TEXT_FORMATS)
        rows = flight_risks(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                            org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, RISK_COLUMNS, ((r["person_name"], r["person_id_number_masked"], f"{r['org_name']}（{r['org']}）",
                                  min(x["since"] for x in r["reasons"]), "；".join(x["words"] for x in r["reasons"]))
                                 for r in rows), title="外逃风险")

    from ..reports.kinds import DISCIPLINE_FORMS
    kinds = "；".join(f"{k}={v.title}" for k, v in DISCIPLINE_FORMS.items())

    @group.command("form", help=f"纪检监察机关的统计表 / the register's forms: {kinds}")
    @handles_errors
    def form(kind: str = typer.Argument(..., help="表格 / form: " + "|".join(DISCIPLINE_FORMS)),
             org: Optional[str] = typer.Option(None, "--org"),
             as_of: Optional[str] = typer.Option(None, "--as-of"),
             output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                   help=".html / .xlsx / .pdf；省略则 HTML 输出到标准输出 / "
                                                        "without it, HTML on stdout"),
             actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        from ..reports.discipline_forms import render_discipline_form
        render_discipline_form(database(), kind, today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                               actor_login=actor, path=output)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)

    @group.command("show")
    @handles_errors
    def show(entry_id: int = typer.Argument(..., help="登记编号 / the entry's number"),
             as_of: Optional[str] = typer.Option(None, "--as-of"),
             fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
             actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看一项登记及其经过 / one entry and its history."""
        from ..queries.discipline import show_entry
        check_format(fmt, ("table", "json"))
        data = show_entry(database(), _entry_id(entry_id), actor_login=actor, today=today(),
                          as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
            return
        _print_entry(data)

    @group.command("unit-contact")
    @handles_errors
    def unit_contact(id_number: str, on: str = typer.Option(..., "--on", help="联系日期 / the day of the contact"),
                     note: Optional[str] = typer.Option(None, "--note", help="说明 / note"),
                     actor: str = typer.Option(..., "--actor")) -> None:
        """记录人员与所在单位的一次联系 / record a contact of a person with their unit."""
        from ..masking import mask_id
        from ..services.discipline.register import record_unit_contact
        latest = record_unit_contact(database(), id_number, on=parse_date(on, "--on"), note=note, actor_login=actor,
                                     today=today())
        typer.echo(f"已记录 / recorded: {mask_id(id_number.strip().upper())}，最近一次与单位联系 {latest}")


def _emit_json_rows(rows: Iterable[dict]) -> None:
    """emit_json's bytes for the list of `rows`, written a row at a time: an export of a province's register is
    never one list in memory. Each row is the list's item indented one level deeper (no text holds a newline:
    JSON escapes it)."""
    written = False
    for row in rows:
        item = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        typer.echo((",\n  " if written else "[\n  ") + item, nl=False)
        written = True
    typer.echo("\n]" if written else "[]")


def _print_entry(data: dict) -> None:
    from statemachines.codes import ROLES
    from statemachines.discipline.codes import CATEGORIES, STATES, TRIGGERS, WHEREABOUTS

    from .tables import console, print_table
    out = console()
    out.print(f"第 {data['id']} 号  {CATEGORIES[data['category']]}  {data['person_name']}  "
              f"{data['person_id_number_masked']}  单位 {data['org_name']}  状态 {STATES[data['state']]}  "
              f"起始 {data['since_on']}  登记 {data['opened_on']}  截至 {data['as_of']}  版本 {data['version']}")
    out.print(f"再次联系（{data['recontact_on']}）：{data['recontact_note']}")
    if data["category"] == "fled":
        out.print(f"立案 {data['case_filed_by']} {data['case_filed_on']}  涉嫌罪名 {data['suspected_offence'] or '—'}  "
                  f"涉案金额 {data['amount_wan'] or '—'} 万元  去向 {WHEREABOUTS.get(data['whereabouts'], '—')} "
                  f"{data['place'] or ''}  所持证照 {data['documents_held'] or '—'}")
    if data["flight_risk"]:
        out.print("外逃风险：" + "；".join(r["words"] for r in data["flight_risk"]))
    if data["case"]:
        from statemachines.lifecycle import STATES as CASE_STATES
        out.print(f"失联党员案件 {data['case']['id']}（{CASE_STATES[data['case']['state']]}，"
                  f"{data['case']['opened_on']} 立案）")
    print_table((Column("日期", fixed=True), Column("事项"), Column("说明", least=16), Column("办理人"),
                 Column("角色", drop=1)),
                [(h["on"], "登记" if h["trigger"] == "open" else TRIGGERS[h["trigger"]], h["note"] or "",
                  h["actor_name"] or f"{h['actor']}（未填姓名）", ROLES.get(h["role"], h["role"])) for h in data["history"]],
                title="经过", out=out)
