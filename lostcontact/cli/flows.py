"""sweep, alerts, policy load|show, campaign add|milestone add|submit, schedule."""
from __future__ import annotations

from typing import Optional

import typer

from statemachines.codes import ALERT_RULES, ORG_LEVELS

from .common import check_format, database, emit_json, handles_errors, parse_date, settings, today
from .tables import FORMAT_HELP, TEXT_FORMATS, Column, emit, print_table

RULE_LABELS = {
    "R1": "立案（超过6个月未联系）", "R4": "立案（“口袋”党员）", **ALERT_RULES, "closed": "已关闭的提醒", "due_dates_recomputed": "重算期限",
    "notices": "通知", "notices_sent": "已发送通知", "notices_failed": "发送失败通知",
    "abandoned_runs": "中断的旧运行（标记为 abandoned）",
}


CAMPAIGN_HELP = "排查活动名称 / the campaign's name"
MILESTONE_HELP = "节点代码 / the milestone's key"

ALERT_COLUMNS = (Column("灯", fixed=True), Column("预警"), Column("对象"), Column("接收组织"),
                 Column("期限", fixed=True), Column("发出", fixed=True, drop=1), Column("事项", least=24))


def _alert_cells(rows: list[dict]):
    """Each alert as a person reads it: its own level's light, the rule in words, the recipient by name."""
    from statemachines.codes import ALERT_LEVELS, ALERT_RULES

    from ..queries.alerts import LIGHT_LABELS, LIGHTS
    for r in rows:
        who = r.get("member_name") or (r["subject_id"] if r["subject_kind"] == "member" else "")
        subject = {"case": f"案件 {r['case_id']} {who}".strip(), "member": who, "org": r["subject_id"],
                   "system": f"{r['subject_id']} 年", "document": f"证件 {r['subject_id']}",
                   "regchg": f"备案变更 {r['subject_id']}", "regrpt": f"变更备案报送 {r['subject_id']}",
                   }.get(r["subject_kind"], r["subject_id"])
        org = f"{r['org_name']}（{r['org']}）" if r.get("org_name") else r["org"]
        yield (LIGHT_LABELS[LIGHTS[r["level"]]], f"{ALERT_RULES.get(r['rule'], r['rule'])}（{ALERT_LEVELS[r['level']]}）",
               subject, org,
               r["due_on"], r["raised_on"], r["message"])


def print_alerts(rows: list[dict], fmt: str = "table") -> None:
    """The alerts, one row each at its own level; the line above counts those same rows by light and the
    line below adds them up, so the two always agree."""
    from ..queries.alerts import LIGHT_LABELS, LIGHTS
    if fmt == "csv":
        emit(fmt, ALERT_COLUMNS, _alert_cells(rows))
        return
    by_light = {light: 0 for light in LIGHT_LABELS}
    for r in rows:
        by_light[LIGHTS[r["level"]]] += 1
    typer.echo("  ".join(f"{LIGHT_LABELS[light]}：{n}" for light, n in by_light.items()) + "  / alerts by light")
    emit(fmt, ALERT_COLUMNS, _alert_cells(rows))
    typer.echo(f"共 {len(rows)} 条 / {len(rows)} open alert(s)")


def register(app: typer.Typer) -> None:
    @app.command("sweep")
    @handles_errors
    def sweep(as_of: Optional[str] = typer.Option(None, "--as-of")) -> None:
        """执行每日督办规则 R1–R10 / run the scheduled rules once."""
        from ..services.dates import check_as_of
        db = database()
        day = check_as_of(parse_date(as_of, "--as-of"), today())
        if settings().prefect_api_url:
            from workflows.sweep import run_daily_sweep
            result = run_daily_sweep(day)
            typer.echo(f"经 Prefect 运行（{settings().prefect_api_url}）/ ran through Prefect")
        else:
            from lostcontact.notices import SmtpSettings
            from workflows.orchestration import run_in_process
            result = run_in_process(db, day, smtp=SmtpSettings.from_env()).as_dict()
            typer.echo("在进程内运行（未设置 PREFECT_API_URL）/ ran in-process (PREFECT_API_URL is not set)")
        typer.echo(f"督办日期 as of {result['as_of']}，{result['partitions']} 个分区 partitions，"
                   f"用时 {result['duration_s']:.2f} s，运行编号 run {result['run_id']}")
        print_table((Column("事项"), Column("代号", fixed=True), Column("数量", fixed=True, numeric=True)),
                    [(RULE_LABELS.get(key, key), key if key[1:].isdigit() else "", value)  # rules by their DOMAIN.md ids
                     for key, value in sorted(result["counts"].items())])

    @app.command("alerts")
    @handles_errors
    def alerts(org: Optional[str] = typer.Option(None, "--org"), as_of: Optional[str] = typer.Option(None, "--as-of"),
               fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
               actor: Optional[str] = typer.Option(None, "--actor")) -> None:
        """提醒、超期与督办 / reminders, overdue alerts and escalations open for a subtree."""
        from ..queries.alerts import open_alerts
        check_format(fmt, TEXT_FORMATS)
        rows = open_alerts(database(), today=today(), actor_login=actor, org_code=org,
                           as_of=parse_date(as_of, "--as-of"))
        if fmt == "json":
            emit_json(rows)
            return
        print_alerts(rows, fmt)

    policy_app = typer.Typer(help="督办策略 / policy", no_args_is_help=True)
    app.add_typer(policy_app, name="policy")

    @policy_app.command("load")
    @handles_errors
    def policy_load(file: str = typer.Argument(..., help="策略文件（TOML）/ the policy file (TOML)"),
                    actor: str = typer.Option(..., "--actor")) -> None:
        """载入新的策略版本（下次督办时重算未办结环节的期限）/ store a new policy version."""
        from ..services import policy_admin
        policy = policy_admin.load_policy(database(), file, actor_login=actor, today=today())
        typer.echo(f"策略 {policy.version} 已载入，自 {today()} 起生效；下次督办时重算未办结环节的期限 / "
                   f"policy {policy.version} stored, effective from {today()}; open due dates are recomputed "
                   "at the next sweep")

    @policy_app.command("show")
    @handles_errors
    def policy_show(fmt: str = typer.Option("text", "--format")) -> None:
        """查看当前策略 / show the policy in force."""
        from ..services import policy_admin
        check_format(fmt, ("text", "json"))
        data = policy_admin.show_policy(database(), today=today())
        if fmt == "json":
            emit_json(data)
            return
        typer.echo(f"当前策略 current: {data['current']}（自 {data['effective_from']} 起 / effective from)")
        print_table((Column("版本", fixed=True), Column("生效日期", fixed=True), Column("载入人")),
                    [(v["version"], v["effective_from"], v["loaded_by"]) for v in data["versions"]])
        typer.echo(data["text"])

    campaign_app = typer.Typer(help="集中排查活动 / campaigns (R10)", no_args_is_help=True)
    milestone_app = typer.Typer(help="排查节点 / milestones", no_args_is_help=True)
    app.add_typer(campaign_app, name="campaign")
    campaign_app.add_typer(milestone_app, name="milestone")

    @campaign_app.command("add")
    @handles_errors
    def campaign_add(name: str = typer.Argument(..., help=CAMPAIGN_HELP),
                     start: str = typer.Option(..., "--start", help="开始日期 YYYY-MM-DD / first day"),
                     end: str = typer.Option(..., "--end", help="结束日期 YYYY-MM-DD / last day")) -> None:
        """新建排查活动 / add a campaign."""
        from ..services import campaigns
        campaigns.add_campaign(database(), name, start=parse_date(start, "--start"), end=parse_date(end, "--end"))
        typer.echo(f"已建立排查活动 / campaign added: {name}")

    @milestone_app.command("add")
    @handles_errors
    def milestone_add(name: str = typer.Argument(..., help=CAMPAIGN_HELP), key: str = typer.Argument(..., help=MILESTONE_HELP),
                      due: str = typer.Option(..., "--due", help="报送期限 YYYY-MM-DD / due date"),
                      level: str = typer.Option(..., "--level", help="须报送的组织层级 / the org level that submits: " + "，".join(
                          f"{code}={label}" for code, label in ORG_LEVELS.items())),
                      title: str = typer.Option(..., "--title", help="节点名称 / the milestone's title")) -> None:
        """新增节点：该层级的组织须在期限前报送 / the orgs of LEVEL owe a submission by the due date."""
        from ..services import campaigns
        campaigns.add_milestone(database(), name, key, due=parse_date(due, "--due"), level=level, title=title)
        typer.echo(f"已新增节点 / milestone added: {name} {key} (due {due}, {level})")

    @campaign_app.command("submit")
    @handles_errors
    def campaign_submit(name: str = typer.Argument(..., help=CAMPAIGN_HELP), key: str = typer.Argument(..., help=MILESTONE_HELP),
                        org: str = typer.Option(..., "--org"),
                        as_of: Optional[str] = typer.Option(None, "--as-of"),
                        actor: str = typer.Option(..., "--actor")) -> None:
        """报送节点材料（冻结该组织的统计表）/ submit for a milestone (freezes the org's tally)."""
        from ..services import campaigns
        submission = campaigns.submit(database(), name, key, org_code=org, actor_login=actor, today=today(),
                                      as_of=parse_date(as_of, "--as-of"))
        typer.echo(f"已报送 / submitted: {name} {key} {org} (submission {submission})")

    @app.command("schedule")
    @handles_errors
    def schedule() -> None:
        """按计划运行 Prefect 部署（每日 06:00 督办）/ serve the Prefect deployments on their schedules."""
        from workflows.deployments import serve_deployments
        database()
        serve_deployments(settings().prefect_api_url, echo=typer.echo)
