"""Self-report campaigns (自查自报, docs/travel-documents.md "Self-report campaigns"): self-report-campaign
open|show, self-report form|submit|confirm|return|show, self-reports (the persons and their reports' states as of a
day), self-report-status (counts by unit)."""
from __future__ import annotations

from typing import Optional

import typer

from statemachines.errors import UsageError
from statemachines.travel.codes import DOCUMENT_KINDS, RANKS

from .common import check_format, database, emit_json, handles_errors, parse_date, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit

CAMPAIGN_HELP = "自查自报活动编号（见 self-report-campaign open 的输出）/ the self-report campaign's number"
PERSON_HELP = "身份证号 / the person's ID number"
VERSION_HELP = "读取时的版本号（他人已办理则拒绝；尚未报送为 0）/ the version read (refused if someone acted since; 0 "\
               "before the first submission)"
STATE_LABELS = {"owed": "待报", "submitted": "已报送（待审核）", "confirmed": "已审核确认", "returned": "退回修改"}
STATUS_HELP = "只列该状态 / only this state: " + "，".join(f"{k}={v}" for k, v in STATE_LABELS.items())
MAX_ROW_ID = 2**31 - 1

REPORT_COLUMNS = (Column("姓名"), Column("身份证号", fixed=True, drop=3), Column("单位"), Column("职级", drop=4),
                  Column("状态"), Column("报送日期", fixed=True, drop=2), Column("零报告", fixed=True),
                  Column("证件", numeric=True), Column("出国（境）", numeric=True), Column("审核人", drop=5),
                  Column("确认日期", fixed=True, drop=1), Column("逾期", fixed=True))
UNIT_COLUMNS = (Column("单位代码", fixed=True), Column("单位"), Column("应报人数", numeric=True),
                Column("待报", numeric=True), Column("已报送待审核", numeric=True), Column("退回修改", numeric=True),
                Column("已审核确认", numeric=True), Column("逾期未确认", numeric=True))


def _campaign_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        raise UsageError(f"活动编号须为 1 到 {MAX_ROW_ID} 之间的整数", f"a campaign number is 1 to {MAX_ROW_ID}")
    return value


def _date(value: str, option: str):
    return parse_date(value, option)


def register(app: typer.Typer) -> None:
    campaign_app = typer.Typer(help="自查自报活动：发起与查看 / self-report campaigns: open one, show one",
                               no_args_is_help=True)
    report_app = typer.Typer(help="自查自报：个人报告的报送、审核确认与退回 / one person's self-report: submit, "
                             "confirm, return, show", no_args_is_help=True)
    app.add_typer(campaign_app, name="self-report-campaign")
    app.add_typer(report_app, name="self-report")

    @campaign_app.command("open")
    @handles_errors
    def campaign_open(name: str = typer.Argument(..., help="活动名称（唯一）/ the campaign's name (unique)"),
                      org: str = typer.Option(..., "--org", help="范围：该组织及其下级的全部人员 / scope: every person "
                                              "of this org and those below it"),
                      trips_since: str = typer.Option(..., "--trips-since", help="填报该日以来的因私出国（境）情况 "
                                                      "YYYY-MM-DD / private trips since this day are reported"),
                      expired_since: str = typer.Option(..., "--documents-expired-since", help="现有效及该日以后失效的"
                                                        "证件 YYYY-MM-DD / documents valid now or expired since"),
                      due: str = typer.Option(..., "--due", help="本人报告经审核确认的截止日期 YYYY-MM-DD / the day "
                                              "by which each report is confirmed"),
                      end: Optional[str] = typer.Option(None, "--end", help="活动结束日期（默认同截止日期）/ the "
                                                        "campaign's end (default: the due day)"),
                      at: Optional[str] = typer.Option(None, "--at"),
                      actor: str = typer.Option(..., "--actor")) -> None:
        """发起自查自报活动（干部监督）/ open a self-report campaign over an org subtree (cadre supervisor)."""
        from ..services.travel import self_reports
        campaign_id = self_reports.open_campaign(
            database(), name, org_code=org, trips_since=_date(trips_since, "--trips-since"),
            documents_expired_since=_date(expired_since, "--documents-expired-since"), due_on=_date(due, "--due"),
            end_on=parse_date(end, "--end"), actor_login=actor, today=today(), at=parse_date(at, "--at"))
        typer.echo(f"已发起自查自报活动 / self-report campaign opened: {campaign_id}")

    @campaign_app.command("show")
    @handles_errors
    def campaign_show(campaign_id: int = typer.Argument(..., help=CAMPAIGN_HELP),
                      as_of: Optional[str] = typer.Option(None, "--as-of"),
                      fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
                      actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看自查自报活动及其进度 / show a self-report campaign and its progress."""
        from ..queries.travel import self_reports
        check_format(fmt, ("table", "json"))
        data = self_reports.show_campaign(database(), _campaign_id(campaign_id), actor_login=actor, today=today(),
                                          as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(data)
            return
        t = data["totals"]
        typer.echo(f"自查自报活动 {data['id']}：{data['name']}  范围 {data['scope_org']}  {data['opened_on']} 起  "
                   f"截止 {data['due_on']}")
        typer.echo(f"报告范围：{data['trips_since']} 以来的因私出国（境）情况；现有效及 {data['documents_expired_since']} "
                   f"以后失效的证件")
        typer.echo(f"承诺：{data['pledge']}")
        typer.echo(f"截至 {data['as_of']}：应报 {t['total']} 人，待报 {t['owed']}，已报送待审核 {t['submitted']}，"
                   f"退回修改 {t['returned']}，已审核确认 {t['confirmed']}，逾期未确认 {t['overdue']}")

    @report_app.command("submit")
    @handles_errors
    def submit(id_number: str = typer.Argument(..., help=PERSON_HELP),
               campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
               from_file: Optional[str] = typer.Option(None, "--from-file", help="报告内容 JSON 文件（格式见 docs/"
                                                       "travel-documents.md）/ the report as a JSON file"),
               zero: bool = typer.Option(False, "--zero", help="零报告：无证件、无出国（境）情况 / a zero report: no "
                                         "document, no trip"),
               signed: bool = typer.Option(False, "--signed", help="本人已在承诺栏签名 / the person signed the pledge"),
               notes: Optional[str] = typer.Option(None, "--notes", help="其他需要说明情况 / anything else to state"),
               version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
               at: Optional[str] = typer.Option(None, "--at"),
               actor: str = typer.Option(..., "--actor")) -> None:
        """录入本人自查自报（首次或退回后重报）/ record a person's self-report (first, or again after a return)."""
        from ..services.travel import self_reports
        if (from_file is None) == (not zero):
            raise UsageError("须给出 --from-file 或 --zero 之一", "give exactly one of --from-file and --zero")
        documents, trips, pledge = (), (), signed
        if from_file is not None:
            from ..services.travel.self_report_file import read_report_file
            report = read_report_file(from_file)
            documents, trips, pledge = report.documents, report.trips, signed or report.pledge_signed
            notes = notes if notes is not None else report.notes
        result = self_reports.submit_report(
            database(), id_number, _campaign_id(campaign), documents=documents, trips=trips, zero_report=zero,
            pledge_signed=pledge, notes=notes, actor_login=actor, today=today(), at=parse_date(at, "--at"),
            expected_version=version)
        _said(result)

    def review(trigger: str, id_number: str, campaign: int, note: str | None, version: int | None, at: str | None,
               actor: str) -> None:
        from ..services.travel import self_reports
        result = self_reports.review_report(database(), id_number, _campaign_id(campaign), trigger, note=note,
                                            actor_login=actor, today=today(), at=parse_date(at, "--at"),
                                            expected_version=version)
        _said(result)

    @report_app.command("confirm")
    @handles_errors
    def confirm(id_number: str = typer.Argument(..., help=PERSON_HELP),
                campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
                version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                at: Optional[str] = typer.Option(None, "--at"),
                actor: str = typer.Option(..., "--actor")) -> None:
        """审核确认（审核人：干部监督；非公职党员由所在党组织负责人）/ confirm as the person's reviewer."""
        review("confirm", id_number, campaign, None, version, at, actor)

    @report_app.command("return")
    @handles_errors
    def send_back(id_number: str = typer.Argument(..., help=PERSON_HELP),
                  campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
                  note: Optional[str] = typer.Option(None, "--note", help="需要修改的内容（必填）/ what to correct "
                                                     "(required)"),
                  version: Optional[int] = typer.Option(None, "--version", help=VERSION_HELP),
                  at: Optional[str] = typer.Option(None, "--at"),
                  actor: str = typer.Option(..., "--actor")) -> None:
        """退回修改（审核确认前）/ return the report for correction (before it is confirmed)."""
        review("return", id_number, campaign, note, version, at, actor)

    @report_app.command("form")
    @handles_errors
    def form(id_number: str = typer.Argument(..., help=PERSON_HELP),
             campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
             actor: str = typer.Option(..., "--actor")) -> None:
        """输出预填登记证件的报告文件（JSON，供本人核对补充后签名报送）/ print a report file prefilled with the
        registry's documents, for the person to check, complete and sign."""
        from ..queries.travel import self_reports
        emit_json(self_reports.prefilled_report(database(), id_number, _campaign_id(campaign), actor_login=actor,
                                                today=today()))

    @report_app.command("show")
    @handles_errors
    def show(id_number: str = typer.Argument(..., help=PERSON_HELP),
             campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
             fmt: str = typer.Option("table", "--format", help="table（表格）| json"),
             actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """查看本人自查自报：所报证件和出国（境）情况（按报送时原样）及经过 / show one report as submitted."""
        from ..queries.travel import self_reports
        check_format(fmt, ("table", "json"))
        data = self_reports.show_report(database(), id_number, _campaign_id(campaign), actor_login=actor,
                                        today=today())
        if fmt == "json":
            emit_json(data)
        else:
            _print_report(data)

    @app.command("self-reports")
    @handles_errors
    def reports(campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
                status: Optional[str] = typer.Option(None, "--status", help=STATUS_HELP),
                org: Optional[str] = typer.Option(None, "--org"),
                as_of: Optional[str] = typer.Option(None, "--as-of"),
                fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """列出活动范围内的人员及其自查自报状态（身份证号隐去中间位）/ the persons in scope and their reports."""
        from ..queries.travel import self_reports
        check_format(fmt, TEXT_FORMATS)
        rows = self_reports.list_reports(database(), _campaign_id(campaign), actor_login=actor, today=today(),
                                         as_of=parse_date(as_of, "--as-of"), status=status, org_code=org)
        if fmt == "json":
            emit_json(rows)
            return
        emit(fmt, REPORT_COLUMNS, ((r["person_name"], r["person_id_number_masked"], f"{r['org_name']}（{r['org']}）",
                                    RANKS.get(r["rank"], r["rank"]), STATE_LABELS[r["state"]], r["submitted_on"] or "",
                                    "" if r["zero_report"] is None else ("是" if r["zero_report"] else "否"),
                                    r["documents"], r["trips"], r["reviewer"] or "", r["confirmed_on"] or "",
                                    "逾期" if r["overdue"] else "") for r in rows), title="自查自报")
        if fmt == "table":
            typer.echo(f"共 {len(rows)} 人 / {len(rows)} person(s)")

    @app.command("self-report-status")
    @handles_errors
    def status_by_unit(campaign: int = typer.Option(..., "--campaign", help=CAMPAIGN_HELP),
                       org: Optional[str] = typer.Option(None, "--org"),
                       as_of: Optional[str] = typer.Option(None, "--as-of"),
                       fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                       actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """按单位统计自查自报进度（待报、已报送、退回、已确认）/ the campaign's progress by unit."""
        from ..queries.travel import self_reports
        check_format(fmt, TEXT_FORMATS)
        data = self_reports.status_by_unit(database(), _campaign_id(campaign), actor_login=actor, today=today(),
                                           as_of=parse_date(as_of, "--as-of"), org_code=org)
        if fmt == "json":
            emit_json(data)
            return
        cells = [(u["org"], u["org_name"], u["total"], u["owed"], u["submitted"], u["returned"], u["confirmed"],
                  u["overdue"]) for u in data["units"]]
        t = data["totals"]
        cells.append(("合计", "", t["total"], t["owed"], t["submitted"], t["returned"], t["confirmed"], t["overdue"]))
        emit(fmt, UNIT_COLUMNS, cells, title=f"{data['campaign']['name']}：自查自报情况（截至 {data['as_of']}）")


def _said(result) -> None:
    typer.echo(f"自查自报 {result.report_id}：{STATE_LABELS[result.from_state]} → {STATE_LABELS[result.to_state]} / "
               f"self-report {result.report_id}: {result.from_state} → {result.to_state}"
               f"（版本 {result.version} / version {result.version}）")


def _print_report(data: dict) -> None:
    from statemachines.codes import ROLES

    from .tables import console, print_table
    out = console()
    c = data["campaign"]
    out.print(f"{data['person_name']} {data['person_id_number_masked']}  单位 {data['org']}  "
              f"{RANKS.get(data['rank'], data['rank'])}  活动 {c['id']}：{c['name']}  状态 {STATE_LABELS[data['state']]}"
              f"  版本 {data['version']}")
    if not data["submissions"]:
        return
    out.print(f"报送 {data['submitted_on']}（第 {data['submission_seq']} 次）  录入 {data['recorded_by']}  "
              f"{'零报告' if data['zero_report'] else ''}")
    current = data["submissions"][-1]
    print_table((Column("证件类别"), Column("证件号码", fixed=True), Column("签发", fixed=True, drop=2),
                 Column("有效期至", fixed=True), Column("已失效", fixed=True, drop=3), Column("保管机构"),
                 Column("自查纠正", fixed=True), Column("备注", least=12, drop=1)),
                [(DOCUMENT_KINDS[d["kind"]].label, d.get("number", d["number_masked"]), d["issued_on"] or "",
                  d["expires_on"], "是" if d["expired"] else "", d["kept_at"] or "",
                  "是" if d["self_corrected"] else "", d["remark"] or d["correction"] or "")
                 for d in current["documents"]], title="本人持有因私出入境证件情况", out=out)
    print_table((Column("起止时间", fixed=True), Column("所到国家（地区）"), Column("事由"), Column("是否批准", fixed=True),
                 Column("审批机构", drop=2), Column("自查纠正", fixed=True, drop=3), Column("备注", least=12, drop=1)),
                [(f"{t['departure_on']} 至 {t['return_on']}", "、".join(t["destinations"]), t["reason"],
                  "是" if t["approved"] else "否", t["approving_authority"] or "", "是" if t["self_corrected"] else "",
                  t["remark"] or t["correction"] or "") for t in current["trips"]],
                title="本人因私出国（境）情况", out=out)
    if data["notes"]:
        out.print(f"其他需要说明情况：{data['notes']}")
    out.print(f"{data['pledge_text']}  （{data['pledge_signed_on']} 签名）")
    if data["confirmed_on"]:
        out.print(f"审核人：{data['reviewer']}（{ROLES.get(data['reviewer_role'], data['reviewer_role'])}）"
                  f"  {data['confirmed_on']} 确认")
    print_table((Column("日期", fixed=True), Column("事项"), Column("状态"), Column("第几次报送", numeric=True),
                 Column("说明", least=16), Column("操作人"), Column("角色", drop=1)),
                [(h["on"], {"submit": "报送", "confirm": "审核确认", "return": "退回修改"}[h["trigger"]],
                  STATE_LABELS[h["to_state"]], h["submission_seq"], h["note"] or "", h["actor"],
                  ROLES.get(h["role"], h["role"])) for h in data["history"]], title="经过", out=out)
