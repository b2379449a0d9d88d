"""cases, case open|log|fire|show."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from statemachines.errors import BadInput, UsageError
from statemachines.guards import Meeting
from statemachines.lifecycle import STATES

from ..queries import cases as case_queries
from ..services import cases as case_services
from ..services.attachments import attach
from .common import check_format, database, emit_json, handles_errors, parse_date, today


MAX_ROW_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; the API bounds them the same (web/api/schemas.MAX_ID)


def row_id(value: int | None, zh: str, en: str) -> int | None:
    """A case, entry or step number as typed: one beyond any stored id is a usage error (exit 2), not an
    overflow inside the database driver."""
    if value is not None and not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"{zh}须为 1 到 {MAX_ROW_ID} 之间的整数：{str(value)[:30]}",
                         f"{en} must be a whole number from 1 to {MAX_ROW_ID}: {str(value)[:30]}")
    return value


def _meeting(path: str | None) -> Meeting | None:
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"无法读取会议文件 {path}：{exc.strerror}", f"cannot read meeting file {path}: {exc.strerror}")
    except UnicodeDecodeError as exc:
        raise BadInput(f"会议文件 {path} 不是 UTF-8 文本：{exc}", f"meeting file {path} is not UTF-8 text: {exc}")
    return Meeting.from_json(text, path)


@contextmanager
def _readable(path: str):
    try:
        stream = open(path, "rb")
    except OSError as exc:
        raise BadInput(f"无法读取文件 {path}：{exc.strerror}", f"cannot read file {path}: {exc.strerror}") from None
    with stream:
        yield stream


def register(app: typer.Typer) -> None:
    case_app = typer.Typer(help="单个案件 / one case", no_args_is_help=True)
    app.add_typer(case_app, name="case")

    @app.command("cases")
    @handles_errors
    def cases(org: Optional[str] = typer.Option(None, "--org"), state: Optional[str] = typer.Option(None, "--state"),
              overdue: bool = typer.Option(False, "--overdue"), as_of: Optional[str] = typer.Option(None, "--as-of"),
              fmt: str = typer.Option("table", "--format"), actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出案件 / list cases."""
        check_format(fmt, ("table", "json"))
        rows = case_queries.list_cases(database(), today=today(), actor_login=actor, org_code=org, state=state,
                                       overdue=overdue, as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(list(rows))
            return
        table = Table("编号 id", "党员 member", "身份证号 ID", "党支部 branch", "状态 state", "处置 disposition",
                      "立案 opened", "最近联系 last contact", "期限 due", "超期天数 overdue")
        count = 0
        for r in rows:
            count += 1
            table.add_row(str(r["id"]), r["member_name"], r["member_id_number_masked"], r["branch_code"],
                          STATES[r["state"]], r["disposition"] or "", r["opened_on"], r["last_contact_on"],
                          r["due_on"] or "", "" if r["overdue_days"] is None else str(r["overdue_days"]))
        Console(width=200).print(table)
        typer.echo(f"共 {count} 件 / {count} case(s)")

    @case_app.command("open")
    @handles_errors
    def case_open(id_number: str, cause: Optional[int] = typer.Option(None, "--cause"),
                  at: Optional[str] = typer.Option(None, "--at"), actor: str = typer.Option(..., "--actor")) -> None:
        """立案（仅当 R1 或 R4 成立）/ open a case by hand (only when R1 or R4 holds)."""
        case_id = case_services.open_case(database(), id_number, actor_login=actor, today=today(), cause=cause,
                                          at=parse_date(at, "--at"))
        typer.echo(f"已立案 / case opened: {case_id}")

    @case_app.command("log")
    @handles_errors
    def case_log(case_id: int, channel: str = typer.Option(..., "--channel"),
                 outcome: str = typer.Option(..., "--outcome"), at: Optional[str] = typer.Option(None, "--at"),
                 note: Optional[str] = typer.Option(None, "--note"), witness: Optional[str] = typer.Option(None, "--witness"),
                 actor: str = typer.Option(..., "--actor")) -> None:
        """记录一次查找 / add a search-log entry."""
        entry = case_services.log_search(database(), row_id(case_id, "案件编号", "the case number"), channel=channel, outcome=outcome, actor_login=actor,
                                         today=today(), at=parse_date(at, "--at"), note=note, witness=witness)
        typer.echo(f"已记录查找情况 / search entry recorded: {entry}")

    @case_app.command("fire")
    @handles_errors
    def case_fire(case_id: int, trigger: str, disposition: Optional[str] = typer.Option(None, "--disposition"),
                  cause: Optional[int] = typer.Option(None, "--cause"), opinion: Optional[str] = typer.Option(None, "--opinion"),
                  meeting: Optional[str] = typer.Option(None, "--meeting"), at: Optional[str] = typer.Option(None, "--at"),
                  actor: str = typer.Option(..., "--actor")) -> None:
        """执行生命周期触发器 / fire a lifecycle trigger."""
        from statemachines.lifecycle import check_options
        given = {n for n, v in (("disposition", disposition), ("cause", cause), ("opinion", opinion),
                                ("meeting", meeting)) if v is not None}
        check_options(trigger, given)  # usage errors before any file is read
        result = case_services.fire(database(), row_id(case_id, "案件编号", "the case number"), trigger, actor_login=actor, today=today(),
                                    at=parse_date(at, "--at"), disposition=disposition, cause=cause, opinion=opinion,
                                    meeting=_meeting(meeting))
        due = f"，期限 {result.due_on} / due {result.due_on}" if result.due_on else ""
        typer.echo(f"案件 {result.case_id}：{STATES[result.from_state]} → {STATES[result.to_state]}{due} / "
                   f"case {result.case_id}: {result.from_state} → {result.to_state}")

    @case_app.command("attach")
    @handles_errors
    def case_attach(case_id: int, file: str, note: Optional[str] = typer.Option(None, "--note"),
                    entry: Optional[int] = typer.Option(None, "--entry"), step: Optional[int] = typer.Option(None, "--step"),
                    replaces: Optional[int] = typer.Option(None, "--replaces"), at: Optional[str] = typer.Option(None, "--at"),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """附上佐证材料（PDF/JPEG/PNG）/ attach evidence to a case, a search-log entry (--entry) or a step (--step)."""
        day = parse_date(at, "--at")
        with _readable(file) as stream:
            attachment_id = attach(database(), row_id(case_id, "案件编号", "the case number"), stream, Path(file).name,
                                   actor_login=actor, today=today(), note=note,
                                   search_entry_id=row_id(entry, "--entry", "--entry"), step_seq=row_id(step, "--step", "--step"),
                                   replaces=row_id(replaces, "--replaces", "--replaces"), at=day)
        typer.echo(f"已上传佐证材料 / attachment stored: {attachment_id}")

    @case_app.command("show")
    @handles_errors
    def case_show(case_id: int, fmt: str = typer.Option("table", "--format"),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看案件 / show one case with its history and search log."""
        check_format(fmt, ("table", "json"))
        data = case_queries.show_case(database(), row_id(case_id, "案件编号", "the case number"), today=today(),
                                      actor_login=actor)
        if fmt == "json":
            emit_json(data)
            return
        _print_case(data)


def _print_case(data: dict) -> None:
    console = Console(width=200)
    console.print(f"[bold]案件 {data['id']}[/bold]  {data['member_name']} {data['member_id_number_masked']}  "
                  f"党支部 {data['branch_code']} {data['branch_name']}")
    due = f"  期限 {data['due_on']}" + ("（暂定）" if data["due_provisional"] else "") if data["due_on"] else ""
    console.print(f"状态 {data['state_label']} ({data['state']})  处置 {data['disposition'] or '—'}  "
                  f"立案 {data['opened_on']}  最近联系 {data['last_contact_on']}{due}")
    history = Table("日期 at", "操作人 actor", "角色 role", "触发 trigger", "从 from", "到 to", "意见 opinion")
    for h in data["history"]:
        history.add_row(h["at"], h["actor"], h["role"], h["trigger"], h["from"] or "", h["to"], h["opinion"] or "")
    console.print(history)
    if data["search_log"]:
        log = Table("日期 at", "渠道 channel", "结果 outcome", "过程 note", "证明人 witness", "记录人 actor")
        for e in data["search_log"]:
            log.add_row(e["at"], e["channel"], e["outcome"], e["note"] or "", e["witness"] or "", e["actor"])
        console.print(log)
    if data.get("attachments"):
        files = Table("编号 id", "文件名 file", "类型 type", "大小 size", "SHA-256", "对应 documents", "上传人 by",
                      "日期 at", "说明 note", "状态 status")
        for a in data["attachments"]:
            files.add_row(str(a["id"]), a["file_name"], a["kind"], f"{a['size']:,}", a["sha256"][:12], a["documents"],
                          a["actor_name"], a["at"], a["note"] or "",
                          f"已被替换（{a['superseded_by']}）/ replaced" if a["superseded_by"] else "")
        console.print(files)
