"""demo: the main job on the embedded default (INTERFACE.md). It ends on the settings' today unless `--start`
fixes the dates, so that the commands it suggests afterwards (which run as of today) see what the demo saw."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import typer

from statemachines.errors import UsageError

from .common import handles_errors, parse_date, today

DEMO_DB_ENV = "LOSTCONTACT_DB=sqlite:///lostcontact-demo.db"  # relative: the demo writes into the current folder
WEB_URL = "http://127.0.0.1:8000/"  # `lostcontact serve` with its defaults
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread (no 0/o, 1/l/i)


def _print_tally(db, day) -> None:
    try:
        from ..queries.tally import tally
    except ImportError:
        return
    node, _as_of = tally(db, today=day, as_of=day)
    from .reports import tally_legend
    typer.echo("")
    tally_legend(node.columns, f"统计表（附件5）{node.name} 截至 {day} / the A–X tally")


def demo_password() -> str:
    return "demo-" + "".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(8))


def demo_dates(start: date | None, days: int, today_: date) -> tuple[date, date]:
    """(first day, last day): ending today unless `start` is given; never past today, where the sweep the
    demo runs each day could not run either."""
    first = start or today_ - timedelta(days=days - 1)
    last = first + timedelta(days=days - 1)
    if last > today_:
        raise UsageError(f"演示将持续到 {last}，晚于今天（{today_}）：请把 --start 提前或减少 --days",
                         f"the demo would run until {last}, after today ({today_}): start earlier or run fewer --days")
    return first, last


def print_calendar_notes(alerts: list[dict]) -> None:
    """The sweep's own `calendar` alerts, said plainly: a year of the demo without holiday data."""
    for alert in alerts:
        if alert["rule"] == "calendar":
            typer.echo(f"注意：{alert['message']}\nnote: no statutory holiday data for {alert['subject_id']}: its "
                       "working days are counted Monday to Friday and its due dates are provisional")


def follow_up_commands(last: date, today_: date) -> list[str]:
    """What to try next, against the demo database, as of the demo's last day (today, unless --start)."""
    as_of = "" if last == today_ else f" --as-of {last}"
    return [f"{DEMO_DB_ENV} lostcontact {command}" for command in (
        f"cases{as_of}", f"cases --overdue{as_of}", f"alerts --format json{as_of}", "case show 1", f"tally{as_of}",
        f"alerts --actor officer_411001010101{as_of}", "users list", f"sweep{as_of}")]


def print_web_help(db, password: str, last: date, today_: date) -> None:
    from ..demo.roster import SHOWCASE_LOGINS
    from ..queries.users import every_user

    typer.echo("\n网页界面 / web app:")
    typer.echo(f"  {DEMO_DB_ENV} lostcontact serve")
    typer.echo(f"  然后在浏览器打开 / then open {WEB_URL}")
    for user in every_user(db, None, now=datetime.now(timezone.utc)):
        if user.login in SHOWCASE_LOGINS:
            grants = "，".join(f"{g.role_label} @ {g.org_name}" for g in user.grants)
            typer.echo(f"  用户 login {user.login}（{user.name}：{grants}）")
    typer.echo(f"  演示密码（每个演示用户相同）/ demo password (every demo user): {password}")
    typer.echo("  全部演示用户及其授权 / every demo user and their grants: lostcontact users list")
    if last != today_:
        typer.echo(f"  网页按今天（{today_}）显示，演示截至 {last} / the web app shows today, the demo ended {last}")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    @handles_errors
    def demo(members: int = typer.Option(300, "--members", help="党员人数 / roster size"),
             seed: int = typer.Option(1, "--seed", help="随机种子，相同则结果相同 / the same seed, the same demo"),
             days: int = typer.Option(30, "--days", help="运行天数 / days to run"),
             start: Optional[str] = typer.Option(None, "--start", help="第一天（YYYY-MM-DD），默认使演示截至今天 / "
                                                 "the first day; by default the demo ends today"),
             password: Optional[str] = typer.Option(None, "--password", help="演示用户的登录密码，默认随机生成并显示 / "
                                                    "the demo users' login password (default: a new one, printed)"),
             programme: str = typer.Option("lost-contact", "--programme",
                                           help="演示内容：lost-contact（失联党员，默认）、travel（证件管理）或 all（两者，"
                                                "同一数据库）/ what to show: lost-contact (default), travel "
                                                "(travel documents) or all (both, one database)"),
             persons: int = typer.Option(60, "--persons", help="证件管理演示的登记备案人员数（至少 23）/ persons of "
                                         "the travel demo (at least 23)")
             ) -> None:
        """演示：新建演示数据库，按日运行督办并模拟支部工作，截至今天；--programme travel 演示证件管理 / the main
        job, in its own fresh database, ending today; --programme travel shows the travel documents programme."""
        if members < 1 or days < 1:
            raise UsageError("--members 与 --days 须为正整数", "--members and --days must be positive")
        if programme not in PROGRAMMES:
            raise UsageError(f"--programme 只能是 {'、'.join(PROGRAMMES)}", f"--programme is one of {', '.join(PROGRAMMES)}")
        if persons < TRAVEL_CAST:
            raise UsageError(f"--persons 至少为 {TRAVEL_CAST}（每类问题都要有人）",
                             f"--persons is at least {TRAVEL_CAST} (someone for every kind of finding)")
        today_ = today()
        first, last = demo_dates(parse_date(start, "--start"), days, today_)
        from ..services.auth import hash_password
        password = password or demo_password()
        password_hash = hash_password(password)  # a too short --password is refused before anything is replaced

        from ..demo import DEMO_FILE
        path = Path.cwd() / DEMO_FILE
        typer.echo(f"演示数据库 / demo database: {path}（每次运行重建 / replaced each run）")
        if programme != "travel":
            _lost_contact(members, seed, days, first, last, today_, path, password, password_hash)
        if programme != "lost-contact":
            _travel(persons, seed, last, today_, path, password, password_hash, after=programme == "all")


PROGRAMMES = ("lost-contact", "travel", "all")
TRAVEL_CAST = 23  # the planted parts of the travel demo (demo/travel_cast.py PARTS)


def _lost_contact(members, seed, days, first, last, today_, path, password, password_hash) -> None:
    from models.db import open_database

    from ..demo import run_demo
    from ..queries.alerts import open_alerts
    from .flows import RULE_LABELS, print_alerts
    typer.echo(f"{members} 名党员，种子 {seed}，{first} 至 {last} 共 {days} 天，进程内运行每日督办 / "
               f"{members} members, seed {seed}, {days} days from {first} to {last}, daily flows in-process")
    result = run_demo(members=members, seed=seed, days=days, start=first, path=path, password_hash=password_hash)
    typer.echo(f"用时 {result.seconds:.1f} s；模拟办理 {result.actions} 步 / simulated officer steps")
    typer.echo("督办合计 / sweep totals: " + "，".join(
        f"{RULE_LABELS.get(k, k)} {k}={v}" for k, v in sorted(result.totals.items()) if v))
    db = open_database(result.db_url)
    try:
        alerts = open_alerts(db, today=last, as_of=last)
        print_calendar_notes(alerts)
        typer.echo(f"\n{last} 未关闭的提醒（按红绿灯）/ open alerts by traffic light:")
        print_alerts(alerts)
        _print_tally(db, last)
        typer.echo("\n进一步查看 / explore further:")
        for command in follow_up_commands(last, today_):
            typer.echo(f"  {command}")
        typer.echo(f"  （最后一条：演示已运行截至 {last} 的督办，再运行不会重复立案或提醒 / the last one: the demo "
                   f"already ran the sweep of {last}, running it again opens nothing twice）")
        print_web_help(db, password, last, today_)
    finally:
        db.dispose()


def _discipline(db, last, path) -> None:
    """The discipline register's part, over the travel story's persons (docs/discipline-register.md)."""
    from statemachines.discipline.codes import CATEGORIES

    from ..demo.discipline import tell_discipline
    told = tell_discipline(db, last=last, folder=path.parent)
    typer.echo("\n纪检监察机关失联、外逃、出走人员登记 / the discipline register: "
               + "，".join(f"{CATEGORIES[k]} {v}" for k, v in told.entries.items())
               + f"；连续3个月以上未联系的人员 {told.candidates} 名 / candidates")
    typer.echo(f"外逃风险 {len(told.risks)} 人 / flight risks:")
    for risk in told.risks:
        typer.echo(f"  {risk['person_name']} {risk['person_id_number_masked']}（{risk['org_name']}）："
                   + "；".join(r["words"] for r in risk["reasons"]))
    typer.echo(f"失联、外逃、出走信息汇总表（附件1-4，截至 {last}）/ the register's summary: {told.form}")


def _travel(persons, seed, last, today_, path, password, password_hash, *, after: bool) -> None:
    from models.db import open_database

    from ..demo import run_travel_demo
    from .demo_travel import follow_ups, print_findings, print_story, print_travel_users
    typer.echo(f"\n证件管理演示：{persons} 名登记备案人员，种子 {seed}，截至 {last} / the travel documents programme: "
               f"{persons} persons, seed {seed}, ending {last}")
    story = run_travel_demo(last=last, seed=seed, persons=persons, path=path, password_hash=password_hash,
                            after_lost_contact=after)
    print_story(story)
    db = open_database(story.db_url)
    try:
        print_findings(db, last)
        typer.echo(f"\n干部因私出国（境）管理工作有关情况统计表（附件3，截至 {last}）/ the summary form: {story.form}")
        _discipline(db, last, path)
        typer.echo("\n进一步查看 / explore further:")
        for command in follow_ups(DEMO_DB_ENV, last, today_):
            typer.echo(f"  {command}")
        if not after:  # the lost-contact part printed it
            print_web_help(db, password, last, today_)
        print_travel_users(db)
    finally:
        db.dispose()
