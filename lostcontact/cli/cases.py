"""cases, case open|log|fire|show."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from statemachines.codes import CAUSES, CHANNELS, OUTCOMES
from statemachines.errors import BadInput, UsageError

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

if TYPE_CHECKING:
    from statemachines.guards import Meeting

CAUSE_HELP = "失联原因 / cause: " + "，".join(f"{code}={label}" for code, label in CAUSES.items())
CHANNEL_HELP = "查找渠道 / channel: " + "|".join(CHANNELS)
OUTCOME_HELP = "结果 / outcome: " + "，".join(f"{code}={label}" for code, label in OUTCOMES.items())


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
    from statemachines.guards import Meeting
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


CASE_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("党员"), Column("身份证号", fixed=True, drop=1),
                Column("党支部"), Column("状态"), Column("处置"),
                Column("立案日期", fixed=True, drop=3), Column("最近联系", fixed=True, drop=2),
                Column("期限", fixed=True), Column("超期天数", fixed=True, numeric=True))


def _case_cells(rows: list[dict], branch_names: dict[str, str]):
    """Each case as a person reads it: the state and disposition in words, the branch by name (code)."""
    from statemachines.dispositions import DISPOSITIONS
    from statemachines.case_states import STATES
    for r in rows:
        branch = r["branch_code"]
        yield (r["id"], r["member_name"], r["member_id_number_masked"],
               f"{branch_names[branch]}（{branch}）" if branch in branch_names else branch, STATES[r["state"]],
               DISPOSITIONS[r["disposition"]].label if r["disposition"] else "", r["opened_on"],
               r["last_contact_on"], r["due_on"], r["overdue_days"])


def register(app: typer.Typer) -> None:
    case_app = typer.Typer(help="单个案件 / one case", no_args_is_help=True)
    app.add_typer(case_app, name="case")

    @app.command("cases")
    @handles_errors
    def cases(org: Optional[str] = typer.Option(None, "--org"),
              state: Optional[str] = typer.Option(None, "--state", help="只列该状态的案件（英文代码，如 searching）/ "
                                                  "only cases in this state (its id, e.g. searching)"),
              overdue: bool = typer.Option(False, "--overdue", help="只列超期案件 / overdue cases only"),
              as_of: Optional[str] = typer.Option(None, "--as-of"),
              fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
              actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出案件 / list cases."""
        from ..queries import cases as case_queries
        check_format(fmt, TEXT_FORMATS)
        rows = case_queries.list_cases(database(), today=today(), actor_login=actor, org_code=org, state=state,
                                       overdue=overdue, as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(list(rows))
            return
        rows = list(rows)
        emit(fmt, CASE_COLUMNS, _case_cells(rows, case_queries.org_names(database(), {r["branch_code"] for r in rows})))
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 件 / {len(rows)} case(s)")

    @case_app.command("open")
    @handles_errors
    def case_open(id_number: str, cause: Optional[int] = typer.Option(None, "--cause", help=CAUSE_HELP),
                  at: Optional[str] = typer.Option(None, "--at"), actor: str = typer.Option(..., "--actor")) -> None:
        """立案（仅当 R1 或 R4 成立）/ open a case by hand (only when R1 or R4 holds)."""
        from ..services import cases as case_services
        case_id = case_services.open_case(database(), id_number, actor_login=actor, today=today(), cause=cause,
                                          at=parse_date(at, "--at"))
        typer.echo(f"已立案 / case opened: {case_id}")

    @case_app.command("log")
    @handles_errors
    def case_log(case_id: int, channel: str = typer.Option(..., "--channel", help=CHANNEL_HELP),
                 outcome: str = typer.Option(..., "--outcome", help=OUTCOME_HELP),
                 at: Optional[str] = typer.Option(None, "--at"),
                 note: Optional[str] = typer.Option(None, "--note", help="查找过程 / what was done"),
                 witness: Optional[str] = typer.Option(None, "--witness", help="证明人 / witness"),
                 actor: str = typer.Option(..., "--actor")) -> None:
        """记录一次查找 / add a search-log entry."""
        from ..services import cases as case_services
        entry = case_services.log_search(database(), row_id(case_id, "案件编号", "the case number"), channel=channel, outcome=outcome, actor_login=actor,
                                         today=today(), at=parse_date(at, "--at"), note=note, witness=witness)
        typer.echo(f"已记录查找情况 / search entry recorded: {entry}")

    @case_app.command("fire")
    @handles_errors
    def case_fire(case_id: int,
                  trigger: str = typer.Argument(..., help="触发器（英文代码，如 start_search、reach、submit、approve）/ "
                                                          "the trigger's id (e.g. start_search, reach, submit, approve)"),
                  disposition: Optional[str] = typer.Option(None, "--disposition", help="处置方式（英文代码，submit 必填）/ "
                                                            "the disposition's id (submit needs one)"),
                  cause: Optional[int] = typer.Option(None, "--cause", help=CAUSE_HELP),
                  opinion: Optional[str] = typer.Option(None, "--opinion", help="意见 / opinion"),
                  meeting: Optional[str] = typer.Option(None, "--meeting", help="会议记录 JSON 文件（resolve、reject 必填）/ "
                                                        "the meeting's JSON file (resolve and reject need one)"),
                  at: Optional[str] = typer.Option(None, "--at"),
                  actor: str = typer.Option(..., "--actor")) -> None:
        """执行生命周期触发器 / fire a lifecycle trigger."""
        from statemachines.lifecycle import STATES, check_options

        from ..services import cases as case_services
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
    def case_attach(case_id: int, file: str = typer.Argument(..., help="PDF、JPEG 或 PNG 文件 / a PDF, JPEG or PNG file"),
                    note: Optional[str] = typer.Option(None, "--note", help="说明 / note"),
                    entry: Optional[int] = typer.Option(None, "--entry", help="对应的查找记录编号 / the search-log entry it documents"),
                    step: Optional[int] = typer.Option(None, "--step", help="对应的环节序号 / the step it documents"),
                    replaces: Optional[int] = typer.Option(None, "--replaces", help="被替换的材料编号 / the attachment it replaces"),
                    at: Optional[str] = typer.Option(None, "--at"),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """附上佐证材料（PDF/JPEG/PNG）/ attach evidence to a case, a search-log entry (--entry) or a step (--step)."""
        from ..services.attachments import attach
        day = parse_date(at, "--at")
        with _readable(file) as stream:
            attachment_id = attach(database(), row_id(case_id, "案件编号", "the case number"), stream, Path(file).name,
                                   actor_login=actor, today=today(), note=note,
                                   search_entry_id=row_id(entry, "--entry", "--entry"), step_seq=row_id(step, "--step", "--step"),
                                   replaces=row_id(replaces, "--replaces", "--replaces"), at=day)
        typer.echo(f"已上传佐证材料 / attachment stored: {attachment_id}")

    @case_app.command("show")
    @handles_errors
    def case_show(case_id: int, fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看案件 / show one case with its history and search log."""
        from ..queries import cases as case_queries
        check_format(fmt, TEXT_FORMATS)
        data = case_queries.show_case(database(), row_id(case_id, "案件编号", "the case number"), today=today(),
                                      actor_login=actor)
        if fmt == "json":
            emit_json(data)
        elif fmt == "csv":
            emit(fmt, RECORD_COLUMNS, _case_record(data))
        else:
            _print_case(data)


RECORD_COLUMNS = (Column("记录"), Column("日期"), Column("人员"), Column("事项"), Column("结果"), Column("说明"),
                  Column("证明人"))


def _case_record(data: dict):
    """The case's steps, search log and attachments as one list for a spreadsheet (`case show --format csv`)."""
    from statemachines.codes import CHANNELS, EVENT_LABELS, OUTCOMES
    from statemachines.case_states import STATES, TRIGGERS
    steps = {**TRIGGERS, **EVENT_LABELS}
    for h in data["history"]:
        yield ("办理经过", h["at"], h["actor"], steps.get(h["trigger"], h["trigger"]), STATES[h["to"]], h["opinion"], None)
    for e in data["search_log"]:
        yield ("查找记录", e["at"], e["actor"], CHANNELS.get(e["channel"], e["channel"]),
               OUTCOMES.get(e["outcome"], e["outcome"]), e["note"], e["witness"])
    for a in data.get("attachments") or ():
        yield ("佐证材料", a["at"], a["actor_name"], a["file_name"], a["documents"], a["note"], None)


def _print_case(data: dict) -> None:
    """One case as a person reads it: states, triggers, roles, channels and outcomes in words."""
    from statemachines.codes import CHANNELS, EVENT_LABELS, OUTCOMES, ROLES
    from statemachines.dispositions import DISPOSITIONS
    from statemachines.case_states import STATES, TRIGGERS

    from .tables import console, print_table
    out = console()
    disposition = DISPOSITIONS[data["disposition"]].label if data["disposition"] else "—"
    out.print(f"案件 {data['id']}  {data['member_name']} {data['member_id_number_masked']}  "
              f"党支部 {data['branch_name']}（{data['branch_code']}）")
    due = f"  期限 {data['due_on']}" + ("（暂定）" if data["due_provisional"] else "") if data["due_on"] else ""
    out.print(f"状态 {data['state_label']}  处置 {disposition}  立案 {data['opened_on']}  "
              f"最近联系 {data['last_contact_on']}{due}")
    steps = {**TRIGGERS, **EVENT_LABELS}
    print_table((Column("日期", fixed=True), Column("操作人"), Column("角色"), Column("操作"), Column("从"),
                 Column("到"), Column("意见", least=16)),
                [(h["at"], h["actor"], ROLES.get(h["role"], h["role"]), steps.get(h["trigger"], h["trigger"]),
                  STATES.get(h["from"], h["from"] or ""), STATES[h["to"]], h["opinion"]) for h in data["history"]],
                title="办理经过", out=out)
    if data["search_log"]:
        print_table((Column("日期", fixed=True), Column("渠道"), Column("结果"), Column("查找过程", least=16),
                     Column("证明人"), Column("记录人")),
                    [(e["at"], CHANNELS.get(e["channel"], e["channel"]), OUTCOMES.get(e["outcome"], e["outcome"]),
                      e["note"], e["witness"], e["actor"]) for e in data["search_log"]], title="查找记录", out=out)
    if data.get("flight_risk"):
        out.print("外逃风险：" + "；".join(data["flight_risk"]))
    if data.get("discipline_entries"):
        from statemachines.discipline.codes import CATEGORIES, STATES as ENTRY_STATES
        out.print("纪检监察机关登记：" + "；".join(f"{CATEGORIES[e['category']]}（第 {e['id']} 号，{e['opened_on']}，"
                                           f"{ENTRY_STATES[e['state']]}）" for e in data["discipline_entries"]))
    if data.get("attachments"):
        print_table((Column("编号", fixed=True, numeric=True), Column("文件名"), Column("类型", fixed=True),
                     Column("大小", fixed=True, numeric=True), Column("SHA-256", fixed=True, drop=1),
                     Column("对应"), Column("上传人"), Column("日期", fixed=True), Column("说明"), Column("状态")),
                    [(a["id"], a["file_name"], a["kind"], f"{a['size']:,}", a["sha256"][:12], a["documents"],
                      a["actor_name"], a["at"], a["note"],
                      f"已被替换（{a['superseded_by']}）" if a["superseded_by"] else "") for a in data["attachments"]],
                    title="佐证材料", out=out)
