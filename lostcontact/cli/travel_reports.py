"""Reporting registration changes to the exit-entry administration (docs/travel-documents.md, “Reporting
changes”): registry-changes, change-reports, change-report submit|record; the orgs' rules on private travel
(travel-rule add, travel-rules) and the programme's forms (travel-form KIND)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from statemachines.errors import UsageError

from ..reports.kinds import TRAVEL_FORMS

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

MAX_ROW_ID = 2**31 - 1
CHANGE_COLUMNS = (Column("姓名"), Column("身份证号", fixed=True, drop=3), Column("管理单位", drop=4), Column("变更"),
                  Column("变更日期", fixed=True), Column("应报送日期", fixed=True), Column("报送", fixed=True),
                  Column("是否逾期", fixed=True))
REPORT_COLUMNS = (Column("报送编号", fixed=True, numeric=True), Column("报送单位"), Column("报送日期", fixed=True),
                  Column("报送人", drop=2), Column("人次", fixed=True, numeric=True), Column("应录入日期", fixed=True, drop=1),
                  Column("录入", fixed=True), Column("是否逾期", fixed=True))


def _report_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"报送编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a report number is 1 to {MAX_ROW_ID}")
    return value


def _person(login: str | None, name: str | None) -> str:
    return name or (f"{login}（未填姓名）" if login else "")


def register(app: typer.Typer) -> None:
    report_app = typer.Typer(help="证件管理：向出入境管理部门报送变更备案 / travel documents: report registration "
                             "changes to the exit-entry administration", no_args_is_help=True)
    app.add_typer(report_app, name="change-report")

    @app.command("registry-changes")
    @handles_errors
    def registry_changes(org: Optional[str] = typer.Option(None, "--org"),
                         unreported: bool = typer.Option(False, "--unreported",
                                                         help="只列截至该日尚未报送的 / only those not reported by the day"),
                         as_of: Optional[str] = typer.Option(None, "--as-of"),
                         fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                         actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """备案变更（备案、变更备案、撤销备案）及其报送情况 / registration changes and whether they were reported."""
        from statemachines.travel.change_reports import CHANGE_KINDS

        from ..queries.travel.change_reports import registration_changes
        check_format(fmt, TEXT_FORMATS)
        rows = registration_changes(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                                    org_code=org, unreported_only=unreported)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, CHANGE_COLUMNS, ((r["person_name"], r["person_id_number_masked"], f"{r['org_name']}（{r['org']}）",
                                    CHANGE_KINDS[r["change"]], r["changed_on"], r["due_on"],
                                    f"{r['reported_on']}（第 {r['report_id']} 号）" if r["report_id"] else "未报送",
                                    "逾期" if r["overdue"] else "") for r in rows), title="备案变更报送情况")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 项，未报送 {sum(1 for r in rows if not r['report_id'])} 项 / {len(rows)} "
                       f"change(s), {sum(1 for r in rows if not r['report_id'])} not reported")

    @app.command("change-reports")
    @handles_errors
    def change_reports(org: Optional[str] = typer.Option(None, "--org"),
                       as_of: Optional[str] = typer.Option(None, "--as-of"),
                       fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                       actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """变更备案报送记录及出入境管理部门录入情况 / the reports sent and whether the administration recorded them."""
        from ..queries.travel.change_reports import list_reports
        check_format(fmt, TEXT_FORMATS)
        rows = list_reports(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                            org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, REPORT_COLUMNS, ((r["id"], f"{r['org_name']}（{r['org']}）", r["reported_on"],
                                    _person(r["reported_by"], r["reported_by_name"]), r["changes"], r["record_due_on"],
                                    r["recorded_on"] or "未录入", "逾期" if r["overdue"] else "") for r in rows),
             title="变更备案报送")

    @report_app.command("submit")
    @handles_errors
    def submit(org: str = typer.Option(..., "--org", help="报送单位（其下属各单位的变更一并报送）/ the reporting org "
                                       "(its whole subtree's changes)"),
               at: Optional[str] = typer.Option(None, "--at"),
               actor: str = typer.Option(..., "--actor")) -> None:
        """报送截至该日尚未报送的全部备案变更 / send every registration change not yet reported."""
        from ..services.travel.change_reports import submit_report
        result = submit_report(database(), org, actor_login=actor, today=today(), at=parse_date(at, "--at"))
        typer.echo(f"已报送第 {result.id} 号，{result.changes} 项变更 / report {result.id} sent: "
                   f"{result.changes} change(s)")

    @report_app.command("record")
    @handles_errors
    def record(report_id: int = typer.Argument(..., help="报送编号 / the report's number"),
               version: Optional[int] = typer.Option(None, "--version", help="读取时的版本号（他人已办理则拒绝）/ the "
                                                     "version read (refused if someone acted since)"),
               at: Optional[str] = typer.Option(None, "--at"),
               actor: str = typer.Option(..., "--actor")) -> None:
        """出入境管理部门录入一份报送 / the exit-entry administration records a report."""
        from ..services.travel.change_reports import record_report
        result = record_report(database(), _report_id(report_id), actor_login=actor, today=today(),
                               at=parse_date(at, "--at"), expected_version=version)
        typer.echo(f"第 {result.id} 号报送已录入 / report {result.id} recorded")


RULE_COLUMNS = (Column("单位"), Column("制度名称", least=16), Column("出台时间", fixed=True))


def register_rules_and_forms(app: typer.Typer) -> None:
    rule_app = typer.Typer(help="证件管理：出国（境）管理制度 / travel documents: the orgs' rules on private travel",
                           no_args_is_help=True)
    app.add_typer(rule_app, name="travel-rule")

    @rule_app.command("add")
    @handles_errors
    def rule_add(org: str = typer.Option(..., "--org", help="出台制度的单位 / the org that issued it"),
                 name: str = typer.Option(..., "--name", help="制度名称 / the rule's name"),
                 issued: str = typer.Option(..., "--issued", help="出台时间 YYYY-MM-DD / issued on"),
                 actor: str = typer.Option(..., "--actor")) -> None:
        """登记单位出台的出国（境）管理制度 / record a rule an org issued on private travel."""
        from ..services.travel.rules import add_rule
        rule_id = add_rule(database(), org, name=name, issued_on=parse_date(issued, "--issued"), actor_login=actor,
                           today=today())
        typer.echo(f"已登记制度 {rule_id} / rule {rule_id} recorded")

    @app.command("travel-rules")
    @handles_errors
    def travel_rules(org: Optional[str] = typer.Option(None, "--org"),
                     as_of: Optional[str] = typer.Option(None, "--as-of"),
                     fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                     actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """各单位出国（境）管理制度（应建尽建）/ the orgs' rules on private travel."""
        from ..services.travel.rules import list_rules
        check_format(fmt, TEXT_FORMATS)
        rows = list_rules(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                          org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, RULE_COLUMNS, ((f"{r['org_name']}（{r['org']}）", r["name"], r["issued_on"]) for r in rows),
             title="出国（境）管理制度")

    kinds = "；".join(f"{k}={v.title}" for k, v in TRAVEL_FORMS.items())

    @app.command("travel-form", help=f"证件管理的表格 / the travel programme's forms: {kinds}")
    @handles_errors
    def travel_form(kind: str = typer.Argument(..., help="表格 / form: " + "|".join(TRAVEL_FORMS)),
                    org: Optional[str] = typer.Option(None, "--org"),
                    as_of: Optional[str] = typer.Option(None, "--as-of"),
                    campaign: Optional[int] = typer.Option(None, "--campaign",
                                                           help="自查自报活动编号（rectification、id-card-summary、"
                                                                "document-summary 及个人表格必填）/ the self-report "
                                                                "campaign (those forms need it)"),
                    person: Optional[str] = typer.Option(None, "--person",
                                                         help="填表人身份证号码（id-card-check、document-check、"
                                                              "person-report 必填）/ the person's ID number (those "
                                                              "forms need it)"),
                    output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                          help=".html / .xlsx / .pdf；省略则 HTML 输出到标准输出 / "
                                                               "without it, HTML on stdout"),
                    actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        from ..reports.travel_forms import render_travel_form
        render_travel_form(database(), kind, today=today(), org_code=org, as_of=parse_date(as_of, "--as-of"),
                           actor_login=actor, path=output, campaign_id=campaign, person=person)
        if output is not None:
            typer.echo(f"已写入 / written: {output}", err=True)
