"""Private trips abroad (因私出国（境）, docs/travel-documents.md#private-trips): trips, trip apply|submit|consult|
approve|refuse|withdraw|depart|return|close|show."""
from __future__ import annotations

from typing import Optional

import typer

from statemachines.errors import UsageError

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

TRIP_ID_HELP = "出行申请编号（见 trips 列表）/ the trip's id (see trips)"
VERSION_HELP = "读取时的版本号（他人已办理则拒绝）/ the version read (refused if someone acted since)"
PLACES_HELP = "国家（地区），以“、”、逗号或分号分隔 / countries or regions, separated by 、, commas or semicolons"
MAX_ROW_ID = 2**31 - 1
TRIP_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("姓名"), Column("身份证号", fixed=True, drop=3),
                Column("管理单位", drop=4), Column("前往国家（地区）"), Column("拟出境", fixed=True),
                Column("拟回国（境）", fixed=True), Column("状态"), Column("状态日期", fixed=True, drop=1),
                Column("实际出境", fixed=True, drop=2), Column("实际入境", fixed=True, drop=2), Column("与批准不符", drop=5))


def _trip_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"出行申请编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a trip id is 1 to {MAX_ROW_ID}")
    return value


def _document_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"证件编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a document number is 1 to {MAX_ROW_ID}")
    return value


def _places(text: str | None) -> list[str] | None:
    from statemachines.travel.trips import parse_places
    return None if text is None else parse_places(text)


def _deviations(ids: list[str] | None) -> str:
    from statemachines.travel.trips import DEVIATIONS
    return "；".join(DEVIATIONS[d] for d in ids or ())


def _state(state: str) -> str:
    from statemachines.travel.trips import STATES
    return STATES[state]


def register(app: typer.Typer) -> None:
    trip_app = typer.Typer(help="因私出国（境）：申请、审批、领用证件、出行与回国（境）/ private trips abroad: application, "
                                "approval, the document, the trip and the return", no_args_is_help=True)
    app.add_typer(trip_app, name="trip")

    @app.command("trips")
    @handles_errors
    def trips_list(org: Optional[str] = typer.Option(None, "--org", help="只列该组织及其下级 / only this org's subtree"),
                   state: Optional[str] = typer.Option(None, "--state", help="只列该状态（英文代码，如 approved）/ only "
                                                       "this state (its id, e.g. approved)"),
                   deviations: bool = typer.Option(False, "--deviations", help="只列实际出行与批准不符的 / only trips "
                                                   "whose actual trip differed from the approval"),
                   as_of: Optional[str] = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD / as of this day"),
                   fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                   actor: Optional[str] = typer.Option(None, "--actor", help="以该用户身份查看 / read as this user")
                   ) -> None:
        """列出因私出国（境）申请及其状态（号码均隐去中间位）/ list private trips with their state (numbers masked)."""
        from ..queries.travel import trips
        check_format(fmt, TEXT_FORMATS)
        rows = trips.list_trips(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                                org_code=org, state=state, deviations_only=deviations)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, TRIP_COLUMNS, ((r["id"], r["person_name"], r["person_id_number_masked"], r["org"],
                                  "、".join(r["destinations"]), r["planned_departure"], r["planned_return"],
                                  _state(r["state"]), r["state_since"], r["actual_exit_on"] or "",
                                  r["actual_entry_on"] or "", _deviations(r["deviations"])) for r in rows),
             title="因私出国（境）")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 件 / {len(rows)} trip(s)")

    @trip_app.command("apply")
    @handles_errors
    def apply(id_number: str = typer.Argument(..., help="申请人身份证号 / the applicant's ID number"),
              document: int = typer.Option(..., "--document", help="使用的因私证件编号（见 documents）/ the private "
                                           "document to use (its id, see documents)"),
              destinations: str = typer.Option(..., "--destinations", help="前往国家（地区）/ destinations: " + PLACES_HELP),
              reason: str = typer.Option(..., "--reason", help="事由 / the reason"),
              departure: str = typer.Option(..., "--departure", help="拟出境日期 YYYY-MM-DD / planned departure"),
              ret: str = typer.Option(..., "--return", help="拟回国（境）日期 YYYY-MM-DD / planned return"),
              at: Optional[str] = typer.Option(None, "--at", help="补录：申请日期 YYYY-MM-DD / paper record: the day"),
              actor: str = typer.Option(..., "--actor", help="办理用户（干部监督）/ acting user (cadre supervisor)")
              ) -> None:
        """登记因私出国（境）申请（草稿）/ record a private trip application (a draft)."""
        from ..services.travel import trips
        result = trips.apply_trip(database(), id_number, document_id=_document_id(document),
                                  destinations=_places(destinations), reason=reason,
                                  planned_departure=parse_date(departure, "--departure"),
                                  planned_return=parse_date(ret, "--return"), actor_login=actor, today=today(),
                                  at=parse_date(at, "--at"))
        typer.echo(f"已登记出行申请 / trip recorded: {result.trip_id}")

    @trip_app.command("edit")
    @handles_errors
    def edit(trip_id: int = typer.Argument(..., help=TRIP_ID_HELP),
             document: Optional[int] = typer.Option(None, "--document", help="改用的因私证件编号 / another private "
                                                    "document to use"),
             destinations: Optional[str] = typer.Option(None, "--destinations", help="前往国家（地区）/ destinations: "
                                                        + PLACES_HELP),
             reason: Optional[str] = typer.Option(None, "--reason", help="事由 / the reason"),
             departure: Optional[str] = typer.Option(None, "--departure", help="拟出境日期 / planned departure"),
             ret: Optional[str] = typer.Option(None, "--return", help="拟回国（境）日期 / planned return"),
             version: Optional[int] = typer.Option(None, "--version", help="读取时的版本号，他人已办理则拒绝 / the "
                                                   "version read: refused when someone acted since"),
             at: Optional[str] = typer.Option(None, "--at", help="补录：修改日期 YYYY-MM-DD / paper record: the day"),
             actor: str = typer.Option(..., "--actor", help="办理用户（干部监督）/ acting user (cadre supervisor)")
             ) -> None:
        """修改待审批的出行申请（草稿、已报送、已征求纪检意见；后者须重新征求意见）/ edit an application awaiting
        approval (a consulted one goes back to be consulted again)."""
        from ..services.travel import trips
        result = trips.edit_trip(database(), _trip_id(trip_id), actor_login=actor, today=today(),
                                 at=parse_date(at, "--at"), expected_version=version,
                                 document_id=_document_id(document) if document is not None else None,
                                 destinations=_places(destinations) if destinations is not None else None,
                                 reason=reason, planned_departure=parse_date(departure, "--departure"),
                                 planned_return=parse_date(ret, "--return"))
        typer.echo(f"出行申请 {result.trip_id}：{_state(result.to_state)}（版本 {result.version}）/ "
                   f"trip {result.trip_id} edited: {result.to_state} (version {result.version})")

    def fire(trigger: str, trip_id: int, *, at: str | None, actor: str, version: int | None, **options) -> None:
        from ..services.travel import trips
        result = trips.fire_trip(database(), _trip_id(trip_id), trigger, actor_login=actor, today=today(),
                                 at=parse_date(at, "--at"), expected_version=version, **options)
        typer.echo(f"出行申请 {result.trip_id}：{_state(result.from_state)} → {_state(result.to_state)} / "
                   f"trip {result.trip_id}: {result.from_state} → {result.to_state}"
                   f"（版本 {result.version} / version {result.version}）")
        if result.deviations:
            typer.echo(f"与批准不符 / differs from the approval: {_deviations(list(result.deviations))} "
                       f"({', '.join(result.deviations)})")

    def step_command(name: str, doc: str, note_help: str, actor_help: str) -> None:
        @trip_app.command(name, help=doc)
        @handles_errors
        def run(trip_id: int = typer.Argument(..., help=TRIP_ID_HELP),
                note: Optional[str] = typer.Option(None, "--note", help=note_help),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at", help="补录：办理日期 YYYY-MM-DD / paper record: the day"),
                actor: str = typer.Option(..., "--actor", help=actor_help)) -> None:
            fire(name, trip_id, at=at, actor=actor, version=version, note=note)

    unit = "办理用户（本单位干部监督）/ acting user (the unit's cadre supervisor)"
    step_command("submit", "报送审批（本单位）/ submit for approval (the unit)", "单位意见 / the unit's opinion", unit)
    step_command("consult", "记录纪检监察机关意见（登记备案人员须事先征求）/ record the discipline organ's opinion "
                 "(required first for registered persons)", "纪检监察机关意见（必填）/ the opinion (required)",
                 "办理用户（纪检监察）/ acting user (discipline officer)")
    authority = "办理用户（该职级的干部管理部门）/ acting user (the cadre authority of the rank)"
    step_command("approve", "批准（按职级的干部管理权限）/ approve (the cadre authority of the person's rank)",
                 "审批意见（从严审查的必填）/ the review opinion (required for a strict review)", authority)
    step_command("refuse", "不予批准 / refuse", "理由（必填）/ the reason (required)", authority)
    step_command("withdraw", "撤回申请（证件已领用的，须先交回）/ withdraw (a checked-out document comes back first)",
                 "撤回原因 / why", unit)
    step_command("close", "办结（领用的证件已交回）/ close (the document is back in custody)", "说明 / note", unit)

    @trip_app.command("depart")
    @handles_errors
    def depart(trip_id: int = typer.Argument(..., help=TRIP_ID_HELP),
               exit_on: Optional[str] = typer.Option(None, "--exit", help="实际出境日期（默认办理当日）/ the actual "
                                                     "exit day (default: the day recorded)"),
               note: Optional[str] = typer.Option(None, "--note", help="说明 / note"),
               version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
               at: Optional[str] = typer.Option(None, "--at", help="补录：办理日期 YYYY-MM-DD / paper record: the day"),
               actor: str = typer.Option(..., "--actor", help=unit)) -> None:
        """登记出境 / record the departure."""
        fire("depart", trip_id, at=at, actor=actor, version=version, note=note,
             exit_on=parse_date(exit_on, "--exit"))

    @trip_app.command("return")
    @handles_errors
    def come_back(trip_id: int = typer.Argument(..., help=TRIP_ID_HELP),
                  entry_on: Optional[str] = typer.Option(None, "--entry", help="实际入境日期（默认办理当日）/ the "
                                                         "actual entry day (default: the day recorded)"),
                  places: str = typer.Option(..., "--places", help="实际前往国家（地区）/ the places visited: " + PLACES_HELP),
                  note: Optional[str] = typer.Option(None, "--note", help="说明 / note"),
                  version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                  at: Optional[str] = typer.Option(None, "--at", help="补录：办理日期 YYYY-MM-DD / paper record: the day"),
                  actor: str = typer.Option(..., "--actor", help=unit)) -> None:
        """登记回国（境）及实际行程，与批准比对 / record the return and the actual trip, compared with the approval."""
        fire("return", trip_id, at=at, actor=actor, version=version, note=note,
             entry_on=parse_date(entry_on, "--entry"), places=_places(places))

    @trip_app.command("show")
    @handles_errors
    def show(trip_id: int = typer.Argument(..., help=TRIP_ID_HELP),
             as_of: Optional[str] = typer.Option(None, "--as-of", help="截至日期 YYYY-MM-DD / as of this day"),
             fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
             actor: Optional[str] = typer.Option(None, "--actor", help="以该用户身份查看 / read as this user")) -> None:
        """查看出行申请及其办理经过 / show one trip and its history."""
        from ..queries.travel import trips
        check_format(fmt, ("table", "json"))
        data = trips.show_trip(database(), _trip_id(trip_id), actor_login=actor, today=today(),
                               as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
        else:
            _print_trip(data)


def _print_trip(data: dict) -> None:
    from statemachines.codes import ROLES
    from statemachines.travel.codes import DOCUMENT_KINDS
    from statemachines.travel.trips import EDIT, TRIGGERS

    from .tables import console, print_table
    out = console()
    steps = {**TRIGGERS, **EDIT, "apply": "申请"}
    number = data.get("person_id_number", data["person_id_number_masked"])
    out.print(f"出行申请 {data['id']}  {data['person_name']} {number}  管理单位 {data['org']}  "
              f"{'从严审查' if data['strict_review'] else ''}")
    out.print(f"前往 {'、'.join(data['destinations'])}  事由 {data['reason']}  拟 {data['planned_departure']} 出境，"
              f"{data['planned_return']} 回国（境）  证件 {data['document_id']} "
              f"{DOCUMENT_KINDS[data['document_kind']].label} "
              f"{data.get('document_number', data['document_number_masked'])}")
    out.print(f"状态 {_state(data['state'])}（{data['state_since']} 起）  截至 {data['as_of']}  版本 {data['version']}")
    if data["consulted_on"]:
        out.print(f"纪检监察机关意见（{data['consulted_on']}）：{data['consultation_opinion']}")
    if data["approved_on"]:
        out.print(f"批准 {data['approved_on']}（{data['approved_by']}）{data['decision_note'] or ''}")
    if data["actual_entry_on"]:
        differs = _deviations(data["deviations"]) or "与批准一致"
        out.print(f"实际 {data['actual_exit_on']} 出境，{data['actual_entry_on']} 入境，"
                  f"前往 {'、'.join(data['actual_places'])}：{differs}")
    print_table((Column("日期", fixed=True), Column("事项"), Column("状态"), Column("说明", least=16), Column("操作人"),
                 Column("角色", drop=1)),
                [(h["on"], steps.get(h["trigger"], h["trigger"]), _state(h["to_state"]),
                  h["note"] or _changes(h["changes"]), h["actor"],
                  ROLES.get(h["role"], h["role"])) for h in data["history"]], title="办理经过", out=out)


def _changes(changes: dict | None) -> str:
    """An edit's fields, old → new, in words (places joined by 、)."""
    from statemachines.travel.trips import APPLICATION_FIELDS as labels
    plain = lambda v: "、".join(v) if isinstance(v, list) else str(v)  # noqa: E731
    return "；".join(f"{labels.get(k, k)}：{plain(old)} → {plain(new)}" for k, (old, new) in (changes or {}).items())
