"""Travel documents and custody (docs/travel-documents.md): documents, document add|show|receive|check-out|
return|release|lost|verify-loss|revoke, custody-gaps (应交尽交)."""
from __future__ import annotations

from typing import Optional

import typer

from statemachines.errors import UsageError
from statemachines.travel.codes import DOCUMENT_KINDS

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

KIND_HELP = "证件类别 / document kind: " + "，".join(f"{k}={v.label}" for k, v in DOCUMENT_KINDS.items())
VERSION_HELP = "读取时的版本号（他人已办理则拒绝）/ the version read (refused if someone acted since)"
DOCUMENT_ID_HELP = "证件编号（见 documents 列表）/ the document's number in this system (see documents)"
MAX_ROW_ID = 2**31 - 1

DOCUMENT_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("姓名"), Column("身份证号", fixed=True, drop=3),
                    Column("管理单位", drop=4), Column("证件"), Column("号码", fixed=True), Column("有效期至", fixed=True, drop=2),
                    Column("保管状态"), Column("状态日期", fixed=True, drop=1), Column("应交回", fixed=True, drop=5))
GAP_COLUMNS = (Column("编号", fixed=True, numeric=True), Column("姓名"), Column("身份证号", fixed=True, drop=3),
               Column("管理单位", drop=4), Column("证件"), Column("号码", fixed=True), Column("情况"),
               Column("应交日期", fixed=True), Column("是否超期", fixed=True))


def _document_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"证件编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a document number is 1 to {MAX_ROW_ID}")
    return value


def _trip_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"出行申请编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a trip id is 1 to {MAX_ROW_ID}")
    return value


def _state(state: str) -> str:
    from statemachines.travel.custody import STATES
    return STATES[state]


def register(app: typer.Typer) -> None:
    document_app = typer.Typer(help="证件管理：证件与集中保管 / travel documents and their custody", no_args_is_help=True)
    app.add_typer(document_app, name="document")

    @app.command("documents")
    @handles_errors
    def documents(org: Optional[str] = typer.Option(None, "--org"),
                  state: Optional[str] = typer.Option(None, "--state", help="只列该保管状态（英文代码，如 in_custody）/ "
                                                      "only this custody state (its id, e.g. in_custody)"),
                  as_of: Optional[str] = typer.Option(None, "--as-of"),
                  fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                  actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出证件及其保管状态（号码均隐去中间位）/ list documents with their custody state (numbers masked)."""
        from ..queries.travel import custody
        check_format(fmt, TEXT_FORMATS)
        rows = custody.list_documents(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                                      org_code=org, state=state)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, DOCUMENT_COLUMNS, ((r["id"], r["person_name"], r["person_id_number_masked"], r["org"],
                                      DOCUMENT_KINDS[r["kind"]].label, r["number_masked"], r["expires_on"],
                                      _state(r["state"]), r["state_since"], r["return_due_on"] or "") for r in rows),
             title="证件")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 件 / {len(rows)} document(s)")

    @app.command("custody-gaps")
    @handles_errors
    def custody_gaps(org: Optional[str] = typer.Option(None, "--org"),
                     overdue: bool = typer.Option(False, "--overdue", help="只列已超期的 / overdue ones only"),
                     as_of: Optional[str] = typer.Option(None, "--as-of"),
                     fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                     actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """应交尽交：登记备案人员未交保管的有效因私证件 / registered persons' valid private documents outside custody."""
        from ..queries.travel import custody
        check_format(fmt, TEXT_FORMATS)
        rows = custody.custody_gaps(database(), actor_login=actor, today=today(), as_of=parse_date(as_of, "--as-of"),
                                    org_code=org, overdue_only=overdue)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, GAP_COLUMNS, ((r["id"], r["person_name"], r["person_id_number_masked"], r["org"],
                                 DOCUMENT_KINDS[r["kind"]].label, r["number_masked"],
                                 "未交" if r["state"] == "held" else f"已领用（{r['trip_ref']}）", r["due_on"],
                                 "超期" if r["overdue"] else "未超期") for r in rows),
             title="未交保管的因私证件（应交尽交）")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 件 / {len(rows)} document(s)")

    @document_app.command("add")
    @handles_errors
    def document_add(id_number: str, kind: str = typer.Option(..., "--kind", help=KIND_HELP),
                     number: str = typer.Option(..., "--number", help="证件号码 / the document's number"),
                     issued: str = typer.Option(..., "--issued", help="签发日期 YYYY-MM-DD / issue date"),
                     expires: str = typer.Option(..., "--expires", help="有效期至 YYYY-MM-DD / expiry date"),
                     name_on: Optional[str] = typer.Option(None, "--name-on", help="证件上的姓名（默认本人姓名）/ "
                                                           "the name on it (default: the person's)"),
                     authority: Optional[str] = typer.Option(None, "--authority", help="签发机关 / issuing authority"),
                     at: Optional[str] = typer.Option(None, "--at"),
                     actor: str = typer.Option(..., "--actor")) -> None:
        """登记一本证件（本人持有，未交保管）/ record a document the person holds (not yet in custody)."""
        from ..services.travel import documents as document_services
        document_id = document_services.add_document(
            database(), id_number, kind=kind, number=number, issued_on=parse_date(issued, "--issued"),
            expires_on=parse_date(expires, "--expires"), actor_login=actor, today=today(), at=parse_date(at, "--at"),
            name_on_document=name_on, issuing_authority=authority)
        typer.echo(f"已登记证件 / document recorded: {document_id}")

    @document_app.command("show")
    @handles_errors
    def document_show(document_id: int = typer.Argument(..., help=DOCUMENT_ID_HELP),
                      as_of: Optional[str] = typer.Option(None, "--as-of"),
                      fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
                      actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看证件及其保管经过 / show one document and its custody history."""
        from ..queries.travel import custody
        check_format(fmt, ("table", "json"))
        data = custody.show_document(database(), _document_id(document_id), actor_login=actor, today=today(),
                                     as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
        else:
            _print_document(data)

    def fire(name: str, trigger: str, document_id: int, *, at: str | None, actor: str, version: int | None,
             **options) -> None:
        from ..services.travel import documents as document_services
        result = document_services.fire_custody(database(), _document_id(document_id), trigger, actor_login=actor,
                                                today=today(), at=parse_date(at, "--at"), expected_version=version,
                                                **options)
        late = "（逾期 / late）" if result.late else ""
        typer.echo(f"证件 {result.document_id}：{_state(result.from_state)} → {_state(result.to_state)}{late} / "
                   f"document {result.document_id}: {result.from_state} → {result.to_state}"
                   f"（版本 {result.version} / version {result.version}）")

    def kept_command(name: str, trigger: str, doc: str) -> None:
        @document_app.command(name, help=doc)
        @handles_errors
        def run(document_id: int = typer.Argument(..., help=DOCUMENT_ID_HELP),
                kept: Optional[str] = typer.Option(None, "--kept-at", help="保管地点 / where it is kept"),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at"),
                actor: str = typer.Option(..., "--actor")) -> None:
            fire(name, trigger, document_id, at=at, actor=actor, version=version, kept_at=kept)

    def note_command(name: str, trigger: str, doc: str, note_help: str) -> None:
        @document_app.command(name, help=doc)
        @handles_errors
        def run(document_id: int = typer.Argument(..., help=DOCUMENT_ID_HELP),
                note: Optional[str] = typer.Option(None, "--note", help=note_help),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at"),
                actor: str = typer.Option(..., "--actor")) -> None:
            fire(name, trigger, document_id, at=at, actor=actor, version=version, note=note)

    @document_app.command("check-out")
    @handles_errors
    def check_out(document_id: int = typer.Argument(..., help=DOCUMENT_ID_HELP),
                  trip: int = typer.Option(..., "--trip", help="已批准的因私出国（境）申请编号（见 trips）/ the id of "
                                           "the approved private trip it is for (see trips)"),
                  version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                  at: Optional[str] = typer.Option(None, "--at"),
                  actor: str = typer.Option(..., "--actor")) -> None:
        """领用（针对已批准的出行，出发前规定天数内）/ check out for an approved trip (at most the policy's days
        before departure)."""
        fire("check-out", "check_out", document_id, at=at, actor=actor, version=version, trip_id=_trip_id(trip))

    kept_command("receive", "receive", "收交保管（登记备案或签发后规定期限内）/ receive into custody")
    kept_command("return", "return", "交回保管（行程结束后规定期限内）/ take back after the trip")
    note_command("release", "release", "退还本人（已不是登记备案人员）/ hand back: the person is no longer on file",
                 "退还原因（必填）/ why (required)")
    note_command("lost", "report_lost", "报失（须有本人书面说明并加盖单位公章）/ report lost, with the person's sealed "
                 "statement", "本人书面说明（必填）/ the person's statement (required)")
    note_command("verify-loss", "verify_loss", "核实挂失（公安机关核实）/ record the police's verification of the loss",
                 "核实情况（必填）/ the verification (required)")
    note_command("revoke", "revoke", "注销（挂失核实后）/ record the revocation after a verified loss",
                 "注销情况 / the revocation")


def _print_document(data: dict) -> None:
    from statemachines.codes import ROLES
    from statemachines.travel.custody import INTERNAL_TRIGGERS, TRIGGERS

    from .tables import console, print_table
    out = console()
    steps = {**TRIGGERS, **INTERNAL_TRIGGERS, "record": "登记"}
    out.print(f"证件 {data['id']}  {DOCUMENT_KINDS[data['kind']].label}  {data.get('number', data['number_masked'])}  "
              f"{data['person_name']} {data['person_id_number_masked']}  管理单位 {data['org']}")
    out.print(f"签发 {data['issued_on']}  有效期至 {data['expires_on']}  {'有效' if data['valid'] else '无效'}  "
              f"保管状态 {_state(data['state'])}（{data['state_since']} 起）  截至 {data['as_of']}  版本 {data['version']}")
    print_table((Column("日期", fixed=True), Column("事项"), Column("状态"), Column("出行"), Column("应交回", fixed=True),
                 Column("逾期", fixed=True), Column("说明", least=16), Column("操作人"), Column("角色", drop=1)),
                [(h["on"], steps.get(h["trigger"], h["trigger"]), _state(h["to_state"]), h["trip_ref"] or "",
                  h["return_due_on"] or "", "是" if h["late"] else "", h["note"] or "", h["actor"],
                  ROLES.get(h["role"], h["role"])) for h in data["history"]], title="保管经过", out=out)
