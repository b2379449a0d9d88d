"""Police records, checks and problems (docs/travel-documents.md#police-records): police
import, checks run, problems, problem show|verify|handle|dismiss|record."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from statemachines.errors import UsageError
from statemachines.travel.codes import MEASURES, PROBLEM_KINDS, PROBLEM_STATUSES, RECORDED_BY_HAND

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, Column, emit

POLICE_KINDS = {"holdings": "police_holdings", "crossings": "police_crossings"}
KIND_HELP = "问题类别 / problem kind: " + "，".join(f"{k}={v}" for k, v in PROBLEM_KINDS.items())
STATUS_HELP = "问题状态 / problem status: " + "，".join(f"{k}={v}" for k, v in PROBLEM_STATUSES.items())
MEASURE_HELP = ("处理方式，可重复 / a handling measure, repeatable: "
                + "，".join(f"{k}={v}" for k, v in MEASURES.items()))
VERSION_HELP = "读取时的版本号（他人已办理则拒绝）/ the version read (refused if someone acted since)"
PROBLEM_ID_HELP = "问题编号（见 problems 列表）/ the problem's number (see problems)"
MAX_ROW_ID = 2**31 - 1

PROBLEM_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("类别", drop=2), Column("问题"), Column("姓名"),
                   Column("身份证号", fixed=True, drop=3), Column("管理单位", drop=4), Column("发现日期", fixed=True),
                   Column("状态"), Column("处理方式", drop=1), Column("问题情况", least=16))


def _problem_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"问题编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a problem number is 1 to {MAX_ROW_ID}")
    return value


def _measures(ids: list[str]) -> str:
    return "、".join(MEASURES.get(m, m) for m in ids)


def register(app: typer.Typer) -> None:
    police_app = typer.Typer(help="公安出入境管理部门记录 / the exit-entry administration's records", no_args_is_help=True)
    checks_app = typer.Typer(help="自动检查（P1、P2、M1 …）/ the automatic checks", no_args_is_help=True)
    problem_app = typer.Typer(help="问题的核查与处理 / verifying and handling one problem", no_args_is_help=True)
    app.add_typer(police_app, name="police")
    app.add_typer(checks_app, name="checks")
    app.add_typer(problem_app, name="problem")

    @police_app.command("import")
    @handles_errors
    def police_import(file: Path = typer.Argument(..., help="CSV（UTF-8/GBK）或 XLSX 文件 / a CSV or XLSX file"),
                      kind: str = typer.Option(..., "--kind", help="holdings（持证记录）| crossings（出入境记录）/ "
                                               "documents held or exits and entries"),
                      dry_run: bool = typer.Option(False, "--dry-run", help="只检查不写入 / check, write nothing"),
                      encoding: Optional[str] = typer.Option(None, "--encoding",
                                                             help="CSV 编码，默认自动识别 / CSV encoding"),
                      sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX 工作表，默认第一个 / XLSX sheet"),
                      actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """导入公安出入境管理部门的持证、出入境记录（全部成功或全不写入）/ import the administration's records (all or
        nothing)."""
        from ..importing import import_file
        from ..services.audit import Origin
        from .imports import print_summary, progress_display
        if kind not in POLICE_KINDS:
            raise UsageError("--kind 只能是 holdings（持证记录）或 crossings（出入境记录）",
                             "--kind must be holdings or crossings")
        with progress_display(file.name) as progress:
            summary = import_file(database(), POLICE_KINDS[kind], file, today=today(), dry_run=dry_run,
                                  encoding=encoding, sheet=sheet, progress=progress, actor=actor,
                                  origin=Origin.command_line())
        print_summary(summary)

    @checks_app.command("run")
    @handles_errors
    def checks_run(as_of: Optional[str] = typer.Option(None, "--as-of"),
                   kinds: Optional[list[str]] = typer.Option(None, "--kind", help="只运行该项检查，可重复（默认全部）/ "
                                                             "run only this check, repeatable (default: all)"),
                   actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """运行自动检查，发现的问题登记在册（重复运行不重复登记）/ run the checks; each new finding becomes a problem
        (running again finds nothing twice)."""
        from ..services.travel.checks import run_checks
        day = parse_date(as_of, "--as-of")
        counts = run_checks(database(), as_of=day, today=today(), actor_login=actor, kinds=tuple(kinds or ()) or None)
        for kind, count in counts.items():
            typer.echo(f"{kind} {PROBLEM_KINDS[kind]}：新发现 {count} 个 / {kind}: {count} new")

    @app.command("problems")
    @handles_errors
    def problems(kind: Optional[str] = typer.Option(None, "--kind", help=KIND_HELP),
                 status: Optional[str] = typer.Option(None, "--status", help=STATUS_HELP),
                 org: Optional[str] = typer.Option(None, "--org"),
                 as_of: Optional[str] = typer.Option(None, "--as-of"),
                 fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                 actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出问题及其核查处理状态（身份证号隐去中间位）/ list problems with their status (ID numbers masked)."""
        from ..queries.travel.problems import list_problems
        check_format(fmt, ("table", "csv", "json"))
        rows = list_problems(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                             kind=kind, status=status, org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, PROBLEM_COLUMNS, ((r["id"], r["kind"], PROBLEM_KINDS[r["kind"]], r["person_name"],
                                     r["person_id_number_masked"], r["org"], r["found_on"],
                                     PROBLEM_STATUSES[r["status"]], _measures(r["measures"]), r["evidence"])
                                    for r in rows), title="问题")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 个 / {len(rows)} problem(s)")

    @problem_app.command("show")
    @handles_errors
    def problem_show(problem_id: int = typer.Argument(..., help=PROBLEM_ID_HELP),
                     as_of: Optional[str] = typer.Option(None, "--as-of"),
                     fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
                     actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看问题及其核查处理经过 / show one problem and its history."""
        from ..queries.travel.problems import show_problem
        check_format(fmt, ("table", "json"))
        data = show_problem(database(), _problem_id(problem_id), actor_login=actor, today=today(),
                            as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
        else:
            _print_problem(data)

    def fire(trigger: str, problem_id: int, *, at: str | None, actor: str, version: int | None, **options) -> None:
        from ..services.travel.problems import fire_problem
        result = fire_problem(database(), _problem_id(problem_id), trigger, actor_login=actor, today=today(),
                              at=parse_date(at, "--at"), expected_version=version, **options)
        typer.echo(f"问题 {result.problem_id}：{PROBLEM_STATUSES[result.from_status]} → "
                   f"{PROBLEM_STATUSES[result.to_status]} / problem {result.problem_id}: {result.from_status} → "
                   f"{result.to_status}（版本 {result.version} / version {result.version}）")

    @problem_app.command("verify")
    @handles_errors
    def problem_verify(problem_id: int = typer.Argument(..., help=PROBLEM_ID_HELP),
                       self_corrected: bool = typer.Option(False, "--self-corrected",
                                                           help="本人自查时已如实报告并纠正 / declared and corrected "
                                                           "by the person in the self-report"),
                       note: Optional[str] = typer.Option(None, "--note", help="说明 / remark"),
                       version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                       at: Optional[str] = typer.Option(None, "--at"),
                       actor: str = typer.Option(..., "--actor")) -> None:
        """开始核查 / start verifying a problem."""
        fire("verify", problem_id, at=at, actor=actor, version=version, reason=note,
             self_corrected=True if self_corrected else None)

    @problem_app.command("handle")
    @handles_errors
    def problem_handle(problem_id: int = typer.Argument(..., help=PROBLEM_ID_HELP),
                       measures: Optional[list[str]] = typer.Option(None, "--measure", help=MEASURE_HELP),
                       note: Optional[str] = typer.Option(None, "--note", help="处理情况 / remark"),
                       version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                       at: Optional[str] = typer.Option(None, "--at"),
                       actor: str = typer.Option(..., "--actor")) -> None:
        """处理（至少一种处理方式）/ handle a verified problem with one or more measures."""
        fire("handle", problem_id, at=at, actor=actor, version=version, measures=tuple(measures or ()), reason=note)

    @problem_app.command("dismiss")
    @handles_errors
    def problem_dismiss(problem_id: int = typer.Argument(..., help=PROBLEM_ID_HELP),
                        reason: Optional[str] = typer.Option(None, "--reason", help="排除理由（必填）/ why (required)"),
                        version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                        at: Optional[str] = typer.Option(None, "--at"),
                        actor: str = typer.Option(..., "--actor")) -> None:
        """排除（核查后不属实）/ dismiss a verified problem, with the reason."""
        fire("dismiss", problem_id, at=at, actor=actor, version=version, reason=reason)

    @problem_app.command("record")
    @handles_errors
    def problem_record(id_number: str = typer.Argument(..., help="身份证号 / the person's ID number"),
                       kind: str = typer.Option(..., "--kind", help="公安机关核查的问题 / the police side's kind: "
                                                + "，".join(f"{k}={PROBLEM_KINDS[k]}" for k in RECORDED_BY_HAND)),
                       evidence: str = typer.Option(..., "--evidence", help="问题情况 / what was found"),
                       at: Optional[str] = typer.Option(None, "--at"),
                       actor: str = typer.Option(..., "--actor")) -> None:
        """录入公安机关核查发现的问题（Q1–Q3）/ record a problem the police side found (Q1–Q3)."""
        from ..services.travel.problems import record_problem
        problem_id = record_problem(database(), id_number, kind, evidence=evidence, actor_login=actor, today=today(),
                                    at=parse_date(at, "--at"))
        typer.echo(f"已录入问题 / problem recorded: {problem_id}")


TRIGGER_LABELS = {"find": "自动检查发现", "record": "录入", "verify": "开始核查", "handle": "处理", "dismiss": "排除"}


def _print_problem(data: dict) -> None:
    from statemachines.codes import ROLES

    from .tables import console, print_table
    out = console()
    out.print(f"问题 {data['id']}  {data['kind']} {PROBLEM_KINDS[data['kind']]}  {data['person_name']} "
              f"{data['person_id_number_masked']}  管理单位 {data['org']}  发现于 {data['found_on']}")
    corrected = "  自查纠正" if data["self_corrected"] else ""
    out.print(f"状态 {PROBLEM_STATUSES[data['status']]}  处理方式 {_measures(data['measures']) or '—'}{corrected}  "
              f"截至 {data['as_of']}  版本 {data['version']}")
    out.print(f"问题情况：{data['evidence']}")
    print_table((Column("日期", fixed=True), Column("事项"), Column("状态"), Column("处理方式"), Column("说明", least=16),
                 Column("操作人"), Column("角色", drop=1)),
                [(h["on"], TRIGGER_LABELS.get(h["trigger"], h["trigger"]), PROBLEM_STATUSES[h["to_status"]],
                  _measures(h["measures"]), h["note"] or "", h["actor"],
                  {**ROLES, "system": "自动检查"}.get(h["role"], h["role"])) for h in data["history"]],
                title="核查处理经过", out=out)
